"""Checks on the curated knowledge base the extractor matches against.

The KB is hand-written data, so these tests guard the properties the matcher relies on:
well-formed rows, one canonical entry per surface form, and enough breadth to be useful.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[1] / "kg" / "extract" / "data"
FILES = {
    "Method": DATA_DIR / "methods.jsonl",
    "Dataset": DATA_DIR / "datasets.jsonl",
    "Concept": DATA_DIR / "concepts.jsonl",
    "Metric": DATA_DIR / "metrics.jsonl",
}
MIN_ROWS = {"Method": 350, "Dataset": 300, "Concept": 300, "Metric": 20}
REQUIRED = {"name": str, "type": str, "kind": str, "aliases": list, "case_sensitive_aliases": list}
SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014_]+")


def fold(surface: str) -> str:
    """Case-fold and drop hyphens/dashes/spaces, the strictest reading of 'the same surface form'."""
    text = unicodedata.normalize("NFKC", surface).casefold()
    return SEPARATORS.sub("", text)


def load(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}:{number} is not valid JSON: {exc}")
    return rows


@pytest.fixture(scope="module")
def kb() -> dict[str, list[dict]]:
    return {entity_type: load(path) for entity_type, path in FILES.items()}


def surfaces(row: dict) -> list[str]:
    return [row["name"], *row["aliases"]]


@pytest.mark.parametrize("entity_type", list(FILES))
def test_rows_have_fields_of_the_right_type(kb, entity_type):
    for row in kb[entity_type]:
        for key, expected in REQUIRED.items():
            assert isinstance(row.get(key), expected), (row, key)
        assert row["name"].strip() == row["name"] and row["name"], row
        assert row["kind"] and " " not in row["kind"], row
        assert all(isinstance(a, str) and a.strip() == a and a for a in row["aliases"]), row


@pytest.mark.parametrize("entity_type", list(FILES))
def test_type_matches_file(kb, entity_type):
    wrong = [row["name"] for row in kb[entity_type] if row["type"] != entity_type]
    assert not wrong, f"{FILES[entity_type].name} holds rows of another type: {wrong}"


@pytest.mark.parametrize("entity_type", list(FILES))
def test_names_unique_per_type(kb, entity_type):
    seen = defaultdict(list)
    for row in kb[entity_type]:
        seen[fold(row["name"])].append(row["name"])
    duplicates = {k: v for k, v in seen.items() if len(v) > 1}
    assert not duplicates


@pytest.mark.parametrize("entity_type", list(FILES))
def test_case_sensitive_aliases_are_declared_surfaces(kb, entity_type):
    for row in kb[entity_type]:
        stray = set(row["case_sensitive_aliases"]) - set(surfaces(row))
        assert not stray, (row["name"], stray)


@pytest.mark.parametrize("entity_type", list(FILES))
def test_case_restriction_not_undone_by_a_twin(kb, entity_type):
    """A case-sensitive form with a case-insensitive twin in the same entry would match any case anyway."""
    for row in kb[entity_type]:
        sensitive = set(row["case_sensitive_aliases"])
        loose = {fold(s) for s in surfaces(row) if s not in sensitive}
        undone = sorted(s for s in sensitive if fold(s) in loose)
        assert not undone, (row["name"], undone)


@pytest.mark.parametrize("entity_type", list(FILES))
def test_aliases_not_repeated_within_an_entry(kb, entity_type):
    for row in kb[entity_type]:
        assert len(row["aliases"]) == len(set(row["aliases"])), row["name"]
        assert row["name"] not in row["aliases"], row["name"]


def test_no_surface_form_names_two_entries(kb):
    """A shared alias would send mentions to the wrong node; only exact-case twins may coexist."""
    owners = defaultdict(list)  # folded form -> [(entry id, surface, case-sensitive?)]
    for entity_type, rows in kb.items():
        for row in rows:
            entry = f"{entity_type}:{row['name']}"
            sensitive = set(row["case_sensitive_aliases"])
            for surface in dict.fromkeys(surfaces(row)):
                owners[fold(surface)].append((entry, surface, surface in sensitive))
    clashes = []
    for folded, claims in owners.items():
        entries = {entry for entry, _, _ in claims}
        if len(entries) < 2:
            continue
        by_entry = defaultdict(list)
        for entry, surface, sensitive in claims:
            by_entry[entry].append((surface, sensitive))
        exact_case_only = all(all(s for _, s in forms) for forms in by_entry.values())
        spellings = [{surface for surface, _ in forms} for forms in by_entry.values()]
        disjoint = all(a.isdisjoint(b) for i, a in enumerate(spellings) for b in spellings[i + 1:])
        if not (exact_case_only and disjoint):
            clashes.append((folded, sorted(entries)))
    assert not clashes, clashes


def test_fold_treats_hyphen_space_and_case_alike():
    assert fold("Mask R-CNN") == fold("mask rcnn") == fold("Mask–RCNN")
    assert fold("ImageNet-1k") != fold("ImageNet-21k")


@pytest.mark.parametrize("entity_type", list(FILES))
def test_minimum_size(kb, entity_type):
    assert len(kb[entity_type]) >= MIN_ROWS[entity_type]


def test_well_known_entries_present_with_expected_aliases(kb):
    """Spot checks of entries the extractor's own tests and the brief rely on."""
    index = {(t, row["name"]): row for t, rows in kb.items() for row in rows}
    assert "ViT" in index[("Method", "Vision Transformer")]["case_sensitive_aliases"]
    assert "Contrastive Language-Image Pre-training" in index[("Method", "CLIP")]["aliases"]
    assert ("Dataset", "ImageNet-1k") in index and ("Dataset", "ImageNet-21k") in index
    assert ("Concept", "length generalization") in index
    for acronym in ("SAM",):  # deliberately ambiguous: must not be claimed by any entry
        assert not any(acronym in surfaces(row) for rows in kb.values() for row in rows)


def test_short_word_like_acronyms_are_case_sensitive(kb):
    """Acronyms that are also English words must only match in their written case."""
    word_like = {"CLIP", "GLUE", "BLEU", "PPO", "Adam", "LIME", "ELMo", "COCO", "MAE", "DINO", "SQuAD", "RAFT"}
    found = set()
    for rows in kb.values():
        for row in rows:
            for surface in surfaces(row):
                if surface in word_like:
                    found.add(surface)
                    assert surface in row["case_sensitive_aliases"], (row["name"], surface)
    assert found == word_like
