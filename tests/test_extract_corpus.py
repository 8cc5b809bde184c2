"""The whole extractor: corpus-level acronyms, canonical entities, relations and evidence offsets."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import pytest

from kg.extract import Extractor
from kg.extract.model import ABOUT, CONCEPT, DATASET, EVALUATED_ON, METHOD, PROPOSES, USES
from kg.extract.pipeline import PREFERRED_MODELS, choose_model
from conftest import seed

INSTALLED = [m for m in PREFERRED_MODELS if importlib.util.find_spec(m)]


@dataclass
class Doc:
    id: str
    title: str
    abstract: str | None


PAPERS = [
    Doc(
        "a",
        "SwiftTrack: Tracking Small Objects with Event Cameras",
        "Event cameras suit fast object tracking. We propose a novel tracker, SwiftTrack, built on "
        "Region Proposal Networks (RPN). Experiments on the DroneSpot benchmark and on COCO show gains "
        "in multi-object tracking and in glare estimation.",
    ),
    Doc(
        "b",
        "Fast Proposals for Aerial Multi-Object Tracking",
        "An RPN trained on DroneSpot gives strong baselines for multi-object tracking, and SwiftTrack "
        "improves further; glare estimation helps too.",
    ),
    Doc("c", "A Title Only Paper About Nothing In Particular", None),
]


@pytest.fixture(scope="module")
def rules_hits():
    return Extractor(model="rules", span_model=True).extract_corpus(PAPERS)  # the span model's task reading too


def by_key(hits):
    return {h.key: h for h in hits}


def test_rules_mode_uses_blank_pipeline():
    ex = Extractor(model="rules")
    assert ex.mode == "rules"
    assert "parser" not in ex.nlp.pipe_names and "kg_kb_matcher" in ex.nlp.pipe_names


def test_default_model_never_downloads(monkeypatch):
    monkeypatch.delenv("KG_SPACY_MODEL", raising=False)
    assert choose_model(None) == (INSTALLED[0] if INSTALLED else "rules")
    monkeypatch.setenv("KG_SPACY_MODEL", "rules")
    assert choose_model(None) == "rules"


def test_own_name_is_proposed_and_others_used(rules_hits):
    a = by_key(rules_hits["a"])
    assert a["swifttrack"].relation == PROPOSES and a["swifttrack"].type == METHOD
    assert a["dronespot"].type == DATASET and a["dronespot"].relation == EVALUATED_ON
    assert a["region proposal network"].relation == USES
    assert set(a["region proposal network"].aliases) >= {"Region Proposal Networks", "RPN"}
    assert a["multi object tracking"].type == CONCEPT and a["multi object tracking"].relation == ABOUT
    glare = a["glare estimation"]  # not in the KB: kept because the span model reads it as a task here
    assert glare.type == CONCEPT and [e.rule for e in glare.evidence] == ["phrase-stats"]


def test_acronym_defined_elsewhere_links_to_expansion(rules_hits):
    b = by_key(rules_hits["b"])
    rpn = b["region proposal network"]
    # the KB's name when the KB knows it, else the expansion the defining paper wrote
    assert rpn.aliases == ["RPN"] and rpn.name in ("Region Proposal Network", "Region Proposal Networks")
    assert b["swifttrack"].relation == USES  # only paper "a" introduces it
    assert b["dronespot"].relation == EVALUATED_ON


def test_title_only_paper_is_fine(rules_hits):
    assert rules_hits["c"] == []


def test_evidence_offsets_point_into_their_field(rules_hits):
    texts = {p.id: {"title": p.title, "abstract": p.abstract} for p in PAPERS}
    for paper_id, hits in rules_hits.items():
        for hit in hits:
            assert 0 < hit.confidence <= 1
            for ev in hit.evidence:
                field_text = texts[paper_id][ev.field]
                assert field_text[ev.start : ev.end] == ev.text
                assert ev.text in ev.sentence and ev.sentence in field_text


def test_progress_counts_every_paper():
    seen = []
    Extractor(model="rules").extract_corpus(PAPERS, progress=seen.append)
    assert seen == [1, 2, 3]


def test_seed_listing_directpred(tmp_path):
    from kg.ingest import read_paths

    papers = read_paths([str(seed("001"))]).papers
    target = next(p for p in papers if "Contrastive Pairs" in p.title)
    hits = by_key(Extractor(model="rules").extract_corpus(papers)[target.id])
    assert hits["directpred"].relation == PROPOSES and hits["directpred"].type == METHOD
    assert hits["byol"].relation == USES and hits["simsiam"].relation == USES
    assert hits["imagenet"].relation == EVALUATED_ON and hits["stl 10"].relation == EVALUATED_ON
    ssl = hits["self supervised learning"]
    assert ssl.type == CONCEPT and "SSL" in ssl.aliases


@pytest.mark.skipif(not INSTALLED, reason="no trained English spaCy model installed")
def test_model_mode_finds_the_same_core_entities():
    ex = Extractor(model=INSTALLED[0], span_model=True)
    assert ex.mode == INSTALLED[0] and "parser" in ex.nlp.pipe_names
    hits = ex.extract_corpus(PAPERS)
    a = by_key(hits["a"])
    assert a["swifttrack"].relation == PROPOSES
    assert a["dronespot"].type == DATASET
    assert [e.rule for e in a["glare estimation"].evidence] == ["noun-phrase"]
    # paper b's own text decides, not paper a using the same phrase
    alone = ex.extract_corpus([PAPERS[1]])["b"]
    assert ("glare estimation" in by_key(hits["b"])) == ("glare estimation" in by_key(alone))
