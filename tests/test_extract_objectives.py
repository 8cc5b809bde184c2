"""Losses and objectives named by their modifiers are methods (GUIDELINES M1), written once and unknown to the KB."""
from __future__ import annotations

import pytest

from kg.extract.model import METHOD


def methods(rules, abstract):
    return {h.key for h in rules.extract_text("A Method", abstract) if h.type == METHOD}


@pytest.mark.parametrize("abstract, key", [
    ("PPO is built around a clipped surrogate objective.", "clipped surrogate objective"),
    ("The sequence model is trained with a Cloze objective: items are masked.", "cloze objective"),
    ("The generators are tied by a cycle consistency loss.", "cycle consistency loss"),
])
def test_a_named_loss_or_objective_is_a_method(rules, abstract, key):
    assert key in methods(rules, abstract)


@pytest.mark.parametrize("abstract", [
    "The training objective and the total loss both decrease.",
    "We bound the regret for an unbounded loss.",
    "It reaches a lower validation loss than our own hand-designed loss.",
    "Adding non informative loss terms hurts.",
])
def test_which_part_of_training_or_a_property_names_no_loss(rules, abstract):
    assert not {k for k in methods(rules, abstract) if k.endswith(("loss", "objective"))}


def test_the_objectives_listed_after_objectives_are_methods_not_tasks(rules):
    hits = {h.key: h for h in rules.extract_text("A Model", (
        "It learns with three objectives, image-text contrastive learning, image-text matching and image-grounded "
        "text generation. The encoder is pre-trained with two objectives, a masked model (MM) and next sentence "
        "prediction, so that it transfers."))}
    for key in ("image text contrastive learning", "image text matching", "image grounded text generation",
                "next sentence prediction"):
        assert hits[key].type == METHOD
    assert "so" not in hits


def test_a_sentence_after_objectives_is_no_list(rules):
    hits = {h.key for h in rules.extract_text("A Model", (
        "We study objectives, and we find that the training of very large models with many layers is unstable."))}
    assert not {k for k in hits if "training" in k or "layers" in k}


def test_a_regime_before_a_known_technique_is_its_variant(rules):
    hits = {h.key: h for h in rules.extract_text("A Study", "The chat models start from supervised fine-tuning. "
                                                            "We compare with full fine-tuning.")}
    for key in ("supervised fine tuning", "full fine tuning"):
        assert hits[key].type == METHOD and hits[key].variant_of
