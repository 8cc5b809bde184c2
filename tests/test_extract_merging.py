"""Round 5: one node per thing (spelled-out numerals, acronyms defined in titles, bare uses of a
defined acronym) and the junk classes seen in the seed graph (clauses, units, metrics, modifiers,
sentence-like title prefixes, subset counts glued to a dataset name)."""
from __future__ import annotations


from kg.extract.model import DATASET, METHOD, PROPOSES
from kg.extract.normalize import normalise
from kg.extract.pipeline import build_pipeline
from kg.extract.mentions import abbreviations_of
from conftest import by_name


def test_spelled_out_dimension_and_digit_d_share_a_key():
    assert normalise("Two-dimensional Matryoshka Sentence Embedding") == normalise("2D Matryoshka Sentence Embeddings")
    assert normalise("three-dimensional shapes") == normalise("3-D shape") == "3d shape"
    assert normalise("two d") == "two d"  # only a digit takes a bare "d"


def test_title_name_and_its_spelled_out_acronym_are_one_entity(rules):
    hits = rules.extract_text(
        "2D Matryoshka Sentence Embeddings",
        "Inspired by this, we propose a novel sentence embedding model called Two-dimensional Matryoshka "
        "Sentence Embedding (2DMSE).",
    )
    proposed = [h for h in hits if h.relation == PROPOSES]
    assert len(proposed) == 1
    assert {"2D Matryoshka Sentence Embeddings", "2DMSE"} <= set(proposed[0].aliases)


def test_bracket_before_colon_still_closes_an_acronym_definition(rules):
    hits = rules.extract_text(
        "Learning Fast Samplers for Diffusion Models",
        "We introduce Differentiable Diffusion Sampler Search (DDSS): a method that optimizes fast samplers.",
    )
    named = by_name(hits)
    assert "DDSS" in named["Differentiable Diffusion Sampler Search"].aliases
    assert "DDSS" not in named


def test_title_defines_its_acronym_and_merges_both_spellings(rules):
    hits = rules.extract_text(
        "MINE: Mutual Information Neural Estimation",
        "We present a Mutual Information Neural Estimator (MINE) that is linearly scalable in dimensionality.",
    )
    mine = [h for h in hits if "MINE" in h.aliases]
    assert len(mine) == 1 and mine[0].relation == PROPOSES
    assert {"Mutual Information Neural Estimation", "Mutual Information Neural Estimator"} <= set(mine[0].aliases)


def test_title_acronym_spelling_must_end_at_a_phrase_boundary():
    nlp = build_pipeline("rules")
    for title in ("A²CiD²: Accelerating Asynchronous Communication in Decentralized Deep Learning",
                  "ARTEMIS: Attention-based Retrieval with Text-Explicit Matching and Implicit Similarity"):
        doc = nlp.make_doc(title)
        doc._.kg_field = "title"
        assert abbreviations_of(nlp(doc)) == []


def test_title_prefix_that_is_a_defined_acronym_takes_the_expansion(rules):
    hits = rules.extract_text(
        "D'OH: Decoder-Only random Hypernetworks for Implicit Neural Representations",
        "We propose to use a Decoder-Only randomly projected Hypernetwork (D'OH) instead.",
    )
    doh = [h for h in hits if "D'OH" in h.aliases]
    assert len(doh) == 1 and doh[0].relation == PROPOSES and doh[0].name != "D'OH"


def test_bare_use_of_a_defined_acronym_is_the_defined_thing(rules):
    hits = rules.extract_text(
        "DualHSIC: HSIC-Bottleneck and Alignment for Continual Learning",
        "Rehearsal-based approaches are a mainstay of continual learning (CL). By appropriately leveraging "
        "inter-task relationships, we propose a novel CL method named DualHSIC.",
    )
    assert "CL" not in by_name(hits)


def test_comma_clause_is_no_long_form(rules):
    hits = rules.extract_text(
        "A title",
        "This guarantee can be used as a loss function, which we call the LTS loss, to optimize neural "
        "networks representing the policy (LTS+NN).",
    )
    assert not [h for h in hits if "," in h.name]


def test_unit_after_a_number_is_not_a_name(rules):
    hits = rules.extract_text(
        "A title", "It achieves ~90x compression of 44.1 KHz audio into tokens at just 8kbps bandwidth."
    )
    assert "KHz" not in by_name(hits)


def test_metric_and_modifier_long_forms_are_not_entities(rules):
    metric = rules.extract_text("A title", "Results are reported as mixed error rate (MER) on the test set.")
    assert not [h for h in metric if "MER" in h.aliases]
    modifier = rules.extract_text(
        "A title", "We frame Out Of Distribution (OOD) detection in DNNs as a statistical hypothesis testing problem."
    )
    assert not [h for h in modifier if h.type == METHOD and "OOD" in h.aliases]


def test_language_models_is_an_umbrella_class_neither_a_method_nor_a_topic(rules):
    hits = rules.extract_text(
        "Towards Optimal Learning of Language Models",
        "This work studies the general principles of improving the learning of language models (LMs).",
    )
    assert hits  # the paper keeps its topic
    assert not [h for h in hits if "LMs" in h.aliases or h.key == "language models"]


def test_sentence_like_title_prefixes_are_not_names(rules):
    for title in ("Supervision Exists Everywhere: A Data Efficient Contrastive Language-Image Pre-training Paradigm",
                  "Order Matters: Sequence to sequence for sets"):
        hits = rules.extract_text(title, None)
        assert title.split(":")[0] not in by_name(hits)


def test_modifier_words_after_propose_verbs_are_not_names(rules):
    hits = rules.extract_text(
        "A title",
        "To mitigate these problems we introduce the Wasserstein dependency measure, which learns more complete "
        "representations. We further designed and used the first GPU-based self-critical Reinforcement Learning "
        "model. Then, we build an IIW-based information bottleneck on the trade-off.",
    )
    assert not {"Wasserstein", "GPU-based", "IIW-based"} & set(by_name(hits))


def test_subset_counts_glued_to_a_dataset_name_are_that_dataset(rules):
    papers = [
        _Paper("a", "Video compression", "We evaluate on the UVG benchmark and beat HEVC."),
        _Paper("b", "Progressive video", "We validate our method on the UVG8/17 and DAVIS50 video sequence benchmarks."),
    ]
    hits = rules.extract_corpus(papers)["b"]
    names = {h.name for h in hits if h.type == DATASET}
    assert "UVG" in names and not {"UVG8", "UVG17"} & names


def test_article_before_a_hyphenated_name_is_not_the_stack(rules):
    hits = rules.extract_text(
        "A title", "We address these issues by introducing the Stack-augmented Parser-Interpreter Neural Network (SPINN)."
    )
    spinn = [h for h in hits if "SPINN" in h.aliases]
    assert spinn and spinn[0].type == METHOD
    assert not [h for h in hits if h.type == DATASET]


class _Paper:
    def __init__(self, id, title, abstract):
        self.id, self.title, self.abstract = id, title, abstract
