"""Behaviour added for recall and identity: spelt-out digits in acronyms, dataset editions and suites,
model names in titles, and one node per acronym whatever spelling its expansion has."""
from __future__ import annotations

import pytest

from kg.extract.abbreviations import best_long_form
from kg.extract.model import CONCEPT, DATASET, METHOD, PROPOSES
from kg.ingest.model import Paper

from conftest import by_name


def test_acronym_with_spelt_out_leading_digit():
    text = "we introduce a novel sentence embedding model called Two-dimensional Matryoshka Sentence Embedding"
    assert text[best_long_form("2DMSE", text) :] == "Two-dimensional Matryoshka Sentence Embedding"
    assert best_long_form("2DMSE", "a model called Matryoshka Sentence Embedding") is None


def test_acronym_and_its_expansion_are_one_entity_in_a_paper(rules):
    hits = rules.extract_text(
        "ESE: Espresso Sentence Embeddings",
        "In this paper, we introduce a novel sentence embedding model called Two-dimensional Matryoshka "
        "Sentence Embedding (2DMSE). It supports elastic settings.",
    )
    matryoshka = [h for h in hits if "2DMSE" in h.aliases]
    assert len(matryoshka) == 1
    assert matryoshka[0].key == "2d matryoshka sentence embedding"  # "two-dimensional" is keyed as "2d"
    assert matryoshka[0].relation == PROPOSES


def test_expansion_spellings_across_papers_share_a_node(rules):
    papers = [
        Paper(id="a", title="Espresso", abstract="We introduce Two-dimensional Matryoshka Sentence Embedding (2DMSE)."),
        Paper(id="b", title="Starbucks", abstract="We revisit 2D Matryoshka Sentence Embeddings (2DMSE) and find 2DMSE slow."),
        Paper(id="c", title="Errors", abstract="The mean absolute error (MAE) of Masked Autoencoders is reported."),
    ]
    result = rules.extract_corpus(papers)
    keys = [{h.key for h in result[p] if "2DMSE" in h.aliases} for p in ("a", "b")]
    assert keys[0] == keys[1] and len(keys[0]) == 1
    mae = [h for h in result["c"] if "MAE" in h.aliases]
    assert [h.key for h in mae] == ["mean absolute error"]  # the local definition beats the KB's MAE


@pytest.mark.parametrize(
    "sentence, alias, key",
    [
        ("We report exact match on SQuAD 1.1 with a single model.", "SQuAD 1.1", "squad"),  # a form the KB knows
        ("The agent learns to play 49 Atari 2600 game environments from pixels.", "Atari 2600 game environments",
         "arcade learning environment"),
    ],
)
def test_dataset_edition_and_suite_stay_with_the_kb_entry(rules, sentence, alias, key):
    hits = [h for h in rules.extract_text("A paper", sentence) if h.type == DATASET]
    found = {h.key: h for h in hits}
    assert key in found and alias in found[key].aliases


def test_an_edition_the_kb_does_not_know_is_a_variant_of_the_family(rules):
    sentence = "Our approach achieves 86.2% mean IOU on PASCAL VOC 2012 and 80.3% on Cityscapes."
    found = {h.name: h for h in rules.extract_text("A paper", sentence) if h.type == DATASET}
    assert found["PASCAL VOC 2012"].variant_of[1] == "pascal voc" and "Cityscapes" in found


@pytest.mark.parametrize(
    "title, name",
    [
        ("Full-Resolution Residual Networks for Semantic Segmentation in Street Scenes", "Full-Resolution Residual Networks"),
        ("Real-Time Single Image and Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network",
         "Efficient Sub-Pixel Convolutional Neural Network"),
        ("Deeply-Recursive Convolutional Network for Image Super-Resolution", "Deeply-Recursive Convolutional Network"),
    ],
)
def test_model_name_in_title_is_proposed(rules, title, name):
    hit = by_name(rules.extract_text(title)).get(name)
    assert hit is not None and hit.type == METHOD and hit.relation == PROPOSES


@pytest.mark.parametrize(
    "title",
    ["Convolutional Neural Network Architectures for Matching Natural Language Sentences",
     "How Attentive are Graph Attention Networks?", "Attention Is All You Need"],
)
def test_generic_or_known_title_pieces_are_not_proposed(rules, title):
    assert not [h for h in rules.extract_text(title) if h.relation == PROPOSES]


def test_lowercase_well_known_techniques(rules):
    hits = by_name(rules.extract_text(
        "Understanding learning dynamics",
        "Non-contrastive methods rely on a stop-gradient and an exponential moving average of the weights; "
        "ensembling several networks further helps.",
    ))
    assert {"Stop-Gradient", "Exponential Moving Average", "Model Ensembling"} <= set(hits)
    assert all(hits[n].type == METHOD for n in ("Stop-Gradient", "Exponential Moving Average", "Model Ensembling"))


# -- round 3: title topics, umbrella fields, coined title names -------------------------------------


def concepts(hits):
    return {h.key: h for h in hits if h.type == CONCEPT}


def test_title_phrase_repeated_in_abstract_is_a_topic(rules):
    title = "Investigating the Effects of Word Substitution Errors on Sentence Embeddings"
    found = concepts(rules.extract_text(title, "We measure how word substitution errors made by speech recognisers "
                                               "change the similarity of sentence pairs."))
    assert "word substitution error" in found
    assert not any("effect" in key for key in found)  # "The Effects of" describes the paper, it is no topic
    assert "word substitution error" not in concepts(rules.extract_text(title, "We study speech recognisers."))


def test_title_piece_after_with_is_the_tool_not_the_topic(rules):
    found = concepts(rules.extract_text(
        "Lossless Compression with Probabilistic Circuits",
        "We show that probabilistic circuits give fast lossless compression of images."))
    assert "lossless compression" in found
    assert "probabilistic circuit" not in found


def test_general_concept_folds_into_the_title_topic(rules):
    found = concepts(rules.extract_text(
        "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine Translation",
        "The scores improve a statistical machine translation system. Machine translation quality rises."))
    assert "statistical machine translation" in found
    assert "machine translation" not in found
    assert "Machine translation" in found["statistical machine translation"].aliases


def test_umbrella_field_counts_only_when_the_title_names_it(rules):
    abstract = "Pretrained language models now dominate natural language processing benchmarks."
    assert "natural language processing" not in concepts(rules.extract_text("Thinking Like Transformers", abstract))
    titled = concepts(rules.extract_text("Deep Learning for Natural Language Processing", abstract))
    assert "natural language processing" in titled


def test_an_umbrella_class_of_models_is_no_topic_even_in_the_title(rules):
    found = concepts(rules.extract_text(
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        "Large language models reason better when prompted with worked steps; we study how language models do it."))
    assert not {"large language models", "language models"} & set(found)
    assert found  # the paper keeps its topics


@pytest.mark.parametrize("title", ["Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
                                   "Scale Improves Robustness of Vision Models",
                                   "Deep Double Descent: Where Bigger Models and Data Hurt"])
def test_a_verb_stating_the_finding_starts_no_title_topic(rules, title):
    found = concepts(rules.extract_text(title, "We measure it on many benchmarks. Reasoning and robustness improve."))
    assert not any(key.startswith(("elicits", "improves")) or key.endswith("hurt") for key in found)


def test_title_name_with_its_own_acronym_is_the_proposed_method(rules):
    hits = rules.extract_text(
        "Matryoshka Representation Learning",
        "Our main contribution is Matryoshka Representation Learning (MRL), which nests embeddings. "
        "MRL adds no cost at inference.")
    mrl = [h for h in hits if "MRL" in h.aliases]
    assert len(mrl) == 1 and mrl[0].type == METHOD and mrl[0].relation == PROPOSES
    nmt = [h for h in rules.extract_text(
        "Neural Machine Translation by Jointly Learning to Align and Translate",
        "Neural machine translation (NMT) is a recent approach. NMT models use an encoder.") if "NMT" in h.aliases]
    assert nmt and nmt[0].type == CONCEPT


def test_no_name_runs_across_a_line_break(rules):
    hits = rules.extract_text("V-Net", "Volumetric Medical Image Segmentation\nConvolutional Neural Networks (CNNs) "
                                       "have been employed widely.")
    assert not [h.name for h in hits if "\n" in h.name or any("\n" in a for a in h.aliases)]
    assert "Convolutional Neural Network" in {h.name for h in hits}


def test_a_known_form_with_a_generic_tail_defines_the_known_acronym(rules):
    hits = rules.extract_text(
        "A C-LSTM Neural Network for Text Classification",
        "We propose a model called C-LSTM. Phrase vectors are fed into a long short-term memory recurrent neural "
        "network (LSTM). Shallow neural networks (SNNs) are fast.")
    by = by_name(hits)
    assert "long short-term memory recurrent neural network" in by["Long Short-Term Memory"].aliases
    assert by["C-LSTM"].relation == PROPOSES and by["C-LSTM"].variant_of[1] == by["Long Short-Term Memory"].key
    assert "Spiking Neural Network" not in by  # the paper's own definition still wins over a different KB entry


def test_a_known_method_keeps_deep_and_model_written_around_it(rules):
    hits = rules.extract_text("Classification", "We trained a large, deep convolutional neural network. Huang "
                                                "described a bidirectional LSTM model. Our C-LSTM model is new.")
    by = by_name(hits)
    assert "deep convolutional neural network" in by["Convolutional Neural Network"].aliases
    assert "bidirectional LSTM model" in by["Bidirectional LSTM"].aliases
    assert "C-LSTM" in by  # a known name inside a longer one does not take that name's "model"


def test_an_untyped_name_headed_by_an_idea_is_a_concept(rules):
    hits = rules.extract_text("Score-Based Generative Modeling", "One framework based on stochastic differential "
                                                                 "equations (SDEs). A forward SDE diffuses data.")
    assert {h.name: h.type for h in hits}["stochastic differential equations"] == CONCEPT


def test_a_verb_ends_a_title_topic_and_a_tradeoff_is_an_idea(rules):
    hits = rules.extract_text("Scaling Laws for Data Filtering -- Data Curation cannot be Compute Agnostic",
                              "We study the quality-quantity tradeoff (QQT) in data curation for data filtering.")
    types = {h.name: h.type for h in hits}
    assert types["quality-quantity tradeoff"] == CONCEPT
    assert not [name for name in types if "cannot" in name]


def test_the_known_techniques_the_issue_found_missing_are_in_the_kb(rules):
    hits = rules.extract_text("Adapting Models", "We compare finetuning with linear probing, bootstrapping and early "
                                                 "exiting on state-space models (SSMs). The model is fine-tuned once.")
    names = {h.name for h in hits if h.type == METHOD}
    assert {"Fine-Tuning", "Linear Probing", "Bootstrapping", "Early Exit", "State Space Model"} <= names


def test_a_name_in_brackets_after_a_data_noun_is_a_dataset(rules):
    hits = rules.extract_text("Memorizing Transformers", "We evaluate on books (PG-19), code and math.")
    assert {h.name: h.type for h in hits}["PG-19"] == DATASET


@pytest.mark.parametrize("title, abstract, absent", [
    ("High Fidelity Neural Audio Compression", "A neural codec for audio compression.", "fidelity neural audio compression"),
    ("A Solvable Model of Neural Scaling Laws", "We study a solvable model of scaling laws.", "solvable model"),
    ("Adding Gradient Noise Improves Learning for Very Deep Networks", "We add noise to very deep networks.",
     "very deep network"),
    ("Some Study", "We give a theoretical analysis of the inductive bias of LLMs.", "inductive bias"),
])
def test_the_issues_non_entities_are_gone(rules, title, abstract, absent):
    assert absent not in {h.key for h in rules.extract_text(title, abstract)}


def test_a_phenomenon_the_paper_dwells_on_stays(rules):
    hits = rules.extract_text("On Inductive Bias", "We measure the inductive bias of transformers.")
    assert "inductive bias" in {h.key for h in hits}
