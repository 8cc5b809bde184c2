"""Precision of new names: numbers, variables, determiners and glued sentences are never entities;
list shorthand ("CIFAR-10/100") and proper names with "The" are read in full."""
from __future__ import annotations

import re

import pytest

from kg.extract.model import DATASET, METHOD
from kg.extract.names import name_shape
from kg.ingest import read_paths
from conftest import SEEDS


def names(hits, kind=None):
    return {h.name for h in hits if kind is None or h.type == kind}


def test_counts_and_scores_before_a_dataset_noun_are_not_names(rules):
    hits = rules.extract_text(
        "A title",
        "Extensive experiments on 12 datasets show gains. We evaluate on 6 benchmark datasets in two domains. "
        "Our model reaches 69.9 on standard datasets. We use 90 benchmark datasets (with average size N = 1000).",
    )
    assert names(hits, DATASET) == set()


def test_shorthand_series_carries_the_prefix(rules):
    hits = rules.extract_text("A title", "Experiments on CIFAR-10, -20, -100, and TinyImageNet-200 datasets show gains.")
    assert {"CIFAR-10", "CIFAR-20", "CIFAR-100", "TinyImageNet-200"} <= names(hits, DATASET)
    assert not {n for n in names(hits) if not re.search("[A-Za-z]", n)}
    slash = rules.extract_text("A title", "It achieves strong results on CIFAR-10/100 and SVHN.")
    assert {"CIFAR-10", "CIFAR-100", "SVHN"} <= names(slash, DATASET)
    editions = rules.extract_text("A title", "Experiments are carried out on the PASCAL VOC 2007 and 2012 benchmarks.")
    assert any("2012" in h.name for h in editions if h.type == DATASET)


def test_no_series_from_a_table_reference(rules):
    hits = rules.extract_text("A title", "As shown in Table 2 and 3, the method wins.")
    assert not any(re.search(r"\d", n) for n in names(hits))


def test_leading_the_stays_with_a_proper_name(rules):
    hits = rules.extract_text(
        "A title",
        "The new search algorithm compares favorably on several benchmarks: Sokoban, The Witness, and the sliding puzzle.",
    )
    found = names(hits, DATASET)
    assert "The Witness" in found and "Sokoban" in found
    assert not found & {"The", "Witness"}


def test_determiner_before_a_capitalised_cue_is_not_a_dataset(rules):
    hits = rules.extract_text("GeneDisco: A Benchmark for Experimental Design in Drug Discovery", None)
    assert "A Benchmark" not in names(hits)
    assert {h.name: h.type for h in hits}.get("GeneDisco") == DATASET


def test_title_prefix_typed_by_the_head_after_the_colon(rules):
    hits = rules.extract_text(
        "DIVA: Dataset Derivative of a Learning Task",
        "Our method, DIVA (Differentiable Validation) gives a closed-form expression of the validation error.",
    )
    diva = next(h for h in hits if "DIVA" in h.aliases)
    assert diva.type == METHOD


def test_glued_sentence_is_cut_at_the_full_stop(rules):
    hits = rules.extract_text("A title", "It reaches 87.8% accuracy evaluated on ImageNet-1K.Beyond the standard setting, it helps.")
    assert "ImageNet-1k" in names(hits, DATASET)
    assert not any(".Beyond" in a for h in hits for a in h.aliases)


def test_cue_then_coined_name_is_a_dataset(rules):
    hits = rules.extract_text("A title", "Experiments on the multilingual translation benchmark WMT10 show gains.")
    assert {h.name: h.type for h in hits}.get("WMT10") == DATASET


@pytest.mark.parametrize("word", ["C_Phi", "derakhshani2021kernel", "EValuation", "caUsal", "GPU-based", "12", "N", "-100"])
def test_words_that_are_not_names(word):
    assert name_shape(word) is None


@pytest.mark.parametrize("word", ["GPT-3", "iBOT", "word2vec", "RoBERTa", "DINOv2", "As-ViT", "STL-10"])
def test_coined_names_still_recognised(word):
    assert name_shape(word) == "coined"


@pytest.mark.parametrize(
    "title",
    ["Layer by Layer: Uncovering Hidden Representations in Language Models",
     "Towards Automated Deep Learning: Efficient Joint Neural Architecture and Hyperparameter Search",
     "Training the Untrainable: Introducing Inductive Bias via Representational Alignment"],
)
def test_catchy_title_phrases_are_not_methods(rules, title):
    prefix = title.split(":")[0]
    assert prefix not in names(rules.extract_text(title, None))


def test_lower_case_words_do_not_match_proper_dataset_names(rules):
    hits = rules.extract_text("PAC Generalization via Invariant Representations",
                              "Although a natural question for static benchmarks, it is open.")
    assert not names(hits, DATASET) & {"PACS", "Natural Questions"}
    assert "Natural Questions" in names(rules.extract_text("A title", "We evaluate on Natural Questions."), DATASET)


def test_seed_graph_has_no_junk_names(rules):
    if not SEEDS.is_dir():
        pytest.skip(f"seed listings not present under {SEEDS}")
    papers = read_paths([SEEDS]).papers
    hits = [h for found in rules.extract_corpus(papers).values() for h in found]
    junk = {
        h.name for h in hits if h.type in (DATASET, METHOD)
        and (not re.search("[A-Za-z]", h.name) or len(h.name) == 1 or h.name in ("The", "A", "An")
             or h.name.split()[0] in ("The", "A", "An") and len(h.name.split()) > 2
             or re.search(r"[A-Za-z0-9]\.[A-Z][a-z]", h.name) or "_" in h.name)
    }
    assert junk == set()
