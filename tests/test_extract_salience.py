"""Round 6: topics a paper dwells on (bare topic words, phrases it repeats) and short forms of KB names."""
from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.kb import load_kb
from kg.extract.model import CONCEPT


def concepts(hits):
    return {h.key: h for h in hits if h.type == CONCEPT}


def test_bare_topic_word_repeated_in_the_abstract_is_a_topic(rules):
    title = "The Pitfalls of Simplicity Bias in Neural Networks"
    twice = ("Simplicity bias hurts generalization under distribution shift. "
             "We show that generalization improves once the bias is removed.")
    assert "generalization" in concepts(rules.extract_text(title, twice))
    once = "Simplicity bias hurts generalization under distribution shift. We show how to remove it."
    assert "generalization" not in concepts(rules.extract_text(title, once))


def test_bare_topic_word_in_the_title_is_a_topic(rules):
    found = concepts(rules.extract_text("Assessing Generalization of SGD via Disagreement",
                                        "We estimate the test error of deep networks from unlabeled data."))
    assert "generalization" in found


def test_topic_words_are_capped_per_paper(rules):
    abstract = ("Retrieval and summarization both need robustness. Retrieval is fast, summarization is slow, "
                "and robustness is rare.")
    found = concepts(rules.extract_text("Thinking Like Transformers", abstract))
    assert len({"retrieval", "summarization", "robustness"} & set(found)) == 2


def test_phrase_the_paper_repeats_is_a_topic_without_other_papers(rules):
    title = "HNeRV: A Hybrid Neural Representation for Videos"
    twice = "HNeRV decodes frames from small embeddings. For video analysis HNeRV beats video analysis codecs."
    assert "video analysis" in concepts(rules.extract_text(title, twice))
    once = "HNeRV decodes frames from small embeddings and is useful for video analysis."
    # written once, a phrase with a broad head ("analysis", unlike "compression") needs the span model's
    # reading as a task; without the model it is no topic
    from kg.extract import Extractor

    assert "video analysis" not in concepts(Extractor(model="rules", span_model=False).extract_text(title, once))


def test_model_and_modeling_are_one_node():
    hits = Extractor(model="rules", span_model=True).extract_text(
        "Exposing the Implicit Energy Networks behind Masked Language Models via Metropolis-Hastings",
        "We pretrain with masked language modeling and sample from the model.")
    mlm = [h for h in hits if h.key == "masked language modeling"]
    assert len(mlm) == 1 and "Masked Language Models" in mlm[0].aliases
    assert not [h for h in hits if h.key.startswith("masked language model") and h.key != "masked language modeling"]


def test_name_without_its_head_noun_is_the_kb_entry(rules):
    hits = rules.extract_text("Thinking Like Transformers",
                              "Temporal difference (TD) methods bootstrap value estimates. TD methods are fast.")
    assert [h.name for h in hits if "TD" in h.aliases] == ["Temporal Difference Learning"]


@pytest.mark.parametrize("form, name", [
    ("Kullback-Leibler", "Kullback-Leibler Divergence"),
    ("temporal difference", "Temporal Difference Learning"),
    ("masked language models", "masked language modeling"),
])
def test_kb_short_forms(form, name):
    entry = load_kb().near(form)
    assert entry is not None and entry.name == name


@pytest.mark.parametrize("form", [
    "statistical learning",  # a name of its own (its last word is a task head), not statistical learning theory
    "monte carlo",  # opens and ends other KB names: a term, not short for Monte Carlo dropout
    "gated attention",  # ends in a method head: the mechanism, a thing apart from the Gated-Attention Reader
    "region of interest",  # a phrase, not ROI pooling
    "image",  # one word never stands for a longer task
    "language model",  # a KB entry of its own
])
def test_kb_short_forms_leave_other_terms_alone(form):
    entry = load_kb().near(form)
    assert entry is None


def test_title_that_is_only_a_known_name_proposes_it(rules):
    abstract = "We introduce a new neural architecture that outputs positions in its input sequence."
    pointer = [h for h in rules.extract_text("Pointer Networks", abstract) if h.key == "pointer network"]
    assert pointer and pointer[0].relation == "PROPOSES"
    used = [h for h in rules.extract_text("Order Matters: Sequence to Sequence for Sets",
                                          "We compare against pointer networks on sorting.") if h.key == "pointer network"]
    assert used and used[0].relation == "USES"
