"""The span model's spans as per-paper evidence (kg.extract.span_evidence): pure functions over mentions."""
from __future__ import annotations

from kg.extract.mentions import Mention
from kg.extract.model import CONCEPT, DATASET, METHOD
from kg.extract.span_evidence import apply_spans, inside_task, is_quantity, new_names, split_spans


def span(start, end, text, label, sentence="x"):
    return Mention(start, end, text, f"span-{label}", sentence)


def test_metric_is_dropped_and_names_are_typed():
    fid = Mention(10, 13, "FID", "acronym")
    svhn = Mention(20, 24, "SVHN", "acronym")
    kb = Mention(30, 33, "BLEU", "kb", kb_key="bleu", type=METHOD)
    spans = [span(10, 13, "FID", "metric"), span(20, 24, "SVHN", "dataset"), span(30, 33, "BLEU", "metric")]
    kept = apply_spans([fid, svhn, kb], spans)
    assert fid not in kept and svhn.type == DATASET and kb in kept  # the KB's reading stands


def test_defined_short_form_and_shorthand_survive():
    short = Mention(0, 3, "APE", "abbrev", long_form="Absolute Position Embedding")
    member = Mention(10, 13, "100", "shorthand", long_form="CIFAR-100")
    assert apply_spans([short, member], [span(0, 3, "APE", "metric")]) == [short, member]


def test_quantities_are_not_names():
    assert is_quantity("16x16") and is_quantity("1.5B") and is_quantity("300M")
    assert not is_quantity("JFT-300M") and not is_quantity("T5")


def test_task_spans_and_new_names():
    spans = [span(0, 25, "multi-object tracking", "task"), span(40, 48, "DroneSpot", "dataset", "On DroneSpot")]
    assert inside_task(6, 25, spans) and not inside_task(30, 35, spans)
    found = new_names([], spans, set())
    assert [(m.text, m.type, m.rule) for m in found] == [("DroneSpot", DATASET, "span-name")]
    rules, model = split_spans([Mention(0, 1, "x", "kb"), *spans])
    assert len(rules) == 1 and len(model) == 2 and CONCEPT
