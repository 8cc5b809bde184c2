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
