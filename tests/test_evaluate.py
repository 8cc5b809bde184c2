"""The evaluation harness: normalisation, gold loading, and counts checked by hand on real gold lines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.evaluation.evaluate import (
    ALL,
    SCORED_TYPES,
    evaluate_file,
    format_report,
    load_gold,
    match_key,
    normalize_surface,
    score,
    title_key,
)
from kg.extract.model import EntityHit, Evidence

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
SCIREX = EVAL_DIR / "scirex_abstracts.jsonl"
SCIERC = EVAL_DIR / "scierc.jsonl"
needs_scirex = pytest.mark.skipif(not SCIREX.is_file(), reason="../shared/eval/scirex_abstracts.jsonl absent")
needs_scierc = pytest.mark.skipif(not SCIERC.is_file(), reason="../shared/eval/scierc.jsonl absent")


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("Autoencoders", "autoencoder"),
        ("convolutional neural networks", "convolutional neural network"),
        ("loss", "loss"),
        ("analysis", "analysis"),
        ("corpus", "corpus"),
        ("classes", "class"),
        ("ontologies", "ontology"),
        ("LSTMs", "lstm"),
        ("DAVIS", "davis"),  # an acronym, not a plural
        ("HIERARCHICAL MULTISCALE RECURRENT NEURAL NETWORKS", "hierarchical multiscale recurrent neural network"),
        ("state-of-the-art", "state of the art"),
        ("graph_neural_networks", "graph neural network"),
        ("(CNN),", "cnn"),
        ("Adam's", "adam"),
        ("Déjà vu", "deja vu"),
        ("the Cityscapes dataset", "cityscape"),  # names are singularised too: both sides are
        ("dataset", "dataset"),
    ],
)
def test_normalize_surface(surface, expected):
    assert normalize_surface(surface) == expected


def test_match_key_unifies_separators_but_keeps_distinct_names_apart():
    assert match_key("ResNet-50") == match_key("ResNet 50") == match_key("resnet50")
    assert match_key("Full-Resolution Residual Networks") == match_key("full resolution residual network")
    assert match_key("ResNet-50") != match_key("ResNet-101")
    assert match_key("loss") != match_key("los")


def test_title_key_ignores_case_accents_and_punctuation():
    assert title_key("Do SSL Models Have Déjà Vu?") == title_key("do ssl models have deja vu")
    # seed gold keeps the listing's LaTeX; ingest cleans it
    assert title_key(r"Have D\'ej\`a Vu? $\textbf{A}^2$") == title_key("Have Déjà Vu? A²")
    assert title_key("Deep Sets") != title_key("Deep Set")


def _line_of(path: Path, doc_id: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if json.loads(line)["id"] == doc_id:
            return line
    pytest.skip(f"{doc_id} not in {path.name}")


def _one_doc_file(tmp_path: Path, line: str) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    return path


def _counts(report, fmt: str, type_: str):
    s = report.groups[fmt][type_]
    return s.gold, s.pred, s.tp, s.fp, s.fn, s.lenient_correct, s.any_type_correct


@needs_scirex
def test_scirex_hand_scored_document(tmp_path):
    # FRRN paper: salient gold is one method (mention "Full-Resolution Residual Networks"),
    # one dataset (Cityscapes) and one task (Semantic Segmentation and two other mentions).
    path = _one_doc_file(tmp_path, _line_of(SCIREX, "000f90380d768a85e2316225854fc377c079b5c4"))
    (doc,) = load_gold(path)
    assert doc.title.startswith("Full-Resolution Residual Networks")
    assert not doc.abstract.startswith(doc.title)

    seen = []

    def predict(title, abstract):
        seen.append((title, abstract))
        return [
            ("Method", ["Full Resolution Residual Network", "FRRN"]),  # salient: TP
            ("Method", ["ResNet"]),  # not salient, but an annotated Method mention
            ("Method", ["pooling operations"]),  # only "pooling" is annotated
            ("Dataset", ["Cityscapes dataset"]),  # TP after dropping the head noun
            ("Concept", ["semantic segmentation"]),  # TP
            ("Concept", ["Semantic image segmentation"]),  # same gold entity again: FP, but a Task mention
            ("Concept", ["intersection-over-union score"]),  # annotated, but as a Metric
        ]

    report = score(load_gold(path), predict)
    assert seen == [(doc.title, doc.abstract)]
    # gold, pred, TP, FP, FN, correct vs same-type mentions, correct vs any-type mentions
    assert _counts(report, "scirex", "methods") == (1, 3, 1, 2, 0, 2, 2)
    assert _counts(report, "scirex", "datasets") == (1, 1, 1, 0, 0, 1, 1)
    assert _counts(report, "scirex", "tasks") == (1, 3, 1, 2, 0, 2, 3)
    assert _counts(report, "scirex", ALL) == (3, 7, 3, 4, 0, 5, 6)
    assert report.groups["scirex"][ALL].recall == 1.0
    assert report.groups["scirex"][ALL].lenient_precision == pytest.approx(5 / 7)


@needs_scierc
def test_scierc_hand_scored_document_merges_same_type_coreference(tmp_path):
    # P06-4007: Method spans FERRET (twice, coreferent), "interactive question-answering (Q/A)
    # system" coreferent with "Q/A", and "predictive questioning" (coreferent only with a Generic):
    # 3 method entities; one Task span.
    path = _one_doc_file(tmp_path, _line_of(SCIERC, "P06-4007"))
    (doc,) = load_gold(path)
    assert (len(doc.entities["methods"]), len(doc.entities["datasets"]), len(doc.entities["tasks"])) == (3, 0, 1)

    def predict(title, abstract):
        assert title == "" and abstract.startswith("This paper describes FERRET")
        return [
            ("Method", ["FERRET"]),  # TP
            ("Method", ["Q/A"]),  # TP via the coreference cluster
            ("Method", ["question answering"]),  # FP: no span reads like that
            ("Concept", ["predictive questioning"]),  # FP as a task; annotated, but as a Method
        ]

    report = score(load_gold(path), predict)
    assert _counts(report, "scierc", "methods") == (3, 3, 2, 1, 1, 2, 2)
    assert _counts(report, "scierc", "tasks") == (1, 1, 0, 1, 1, 0, 1)
    assert _counts(report, "scierc", ALL) == (4, 4, 2, 2, 2, 2, 3)
    assert report.groups["scierc"][ALL].f1 == pytest.approx(0.5)


@needs_scierc
def test_scierc_generic_mention_is_not_a_method(tmp_path):
    # P86-1011: Methods are "grammatical formalisms", "Tree Adjoining Grammars", "Head Grammars";
    # "formalisms" is annotated twice, as Generic only.
    path = _one_doc_file(tmp_path, _line_of(SCIERC, "P86-1011"))
    report = score(load_gold(path), lambda t, a: [
        ("Method", ["tree-adjoining grammar"]),
        ("Method", ["head grammar"]),
        ("Method", ["formalisms"]),
        ("Concept", ["weak equivalence"]),
    ])
    assert _counts(report, "scierc", "methods") == (3, 3, 2, 1, 1, 2, 3)
    assert _counts(report, "scierc", "tasks") == (0, 1, 0, 1, 0, 0, 0)
    s = report.groups["scierc"][ALL]
    assert (s.precision, s.recall) == (pytest.approx(0.5), pytest.approx(2 / 3))


def _perfect_predictor(docs):
    by_text = {(d.title, d.abstract): d for d in docs}

    def predict(title, abstract):
        doc = by_text[(title, abstract)]
        return [(slot, e.forms) for slot in SCORED_TYPES for e in doc.entities[slot]]

    return predict


@pytest.mark.parametrize("path, fmt", [pytest.param(SCIREX, "scirex", marks=needs_scirex),
                                       pytest.param(SCIERC, "scierc", marks=needs_scierc)])
def test_perfect_predictor_scores_one(path, fmt):
    docs = load_gold(path)
    report = score(docs, _perfect_predictor(docs))
    assert set(report.groups) == {fmt}
    for type_, s in report.groups[fmt].items():
        assert s.gold > 0, type_
        assert (s.precision, s.recall, s.f1, s.lenient_precision) == (1.0, 1.0, 1.0, 1.0), type_
    assert "100.0" in format_report(report)


@needs_scirex
def test_empty_predictor_scores_zero_recall():
    docs = load_gold(SCIREX)
    s = score(docs, lambda t, a: []).groups["scirex"][ALL]
    assert s.pred == 0 and s.tp == 0 and s.gold > 900 and s.recall == 0.0 and s.precision is None


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"title": "A toy paper", "abstract": "We train a Widget Net on ToySet.",
                   "methods": [{"name": "Widget Net", "aliases": ["WidgetNet"]}],
                   "datasets": [{"name": "ToySet", "aliases": []}], "tasks": []})


@pytest.mark.parametrize(
    "bad, words",
    [
        ('{"title": "x", "abstract": "y", "methods": [', "not valid JSON"),
        ('["a list"]', "JSON object"),
        ('{"foo": 1}', "not a SciREX, SciERC or simple"),
        ('{"title": "x", "abstract": "y", "methods": [{"aliases": []}]}', '"name"'),
        ('{"text": "x", "entities": [{"text": "x", "type": "Gadget"}]}', "Gadget"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, bad, words):
    path = _write(tmp_path, [GOOD, "", bad])
    with pytest.raises(KgError) as err:
        load_gold(path)
    message = str(err.value)
    assert f"{path}:3:" in message and words in message and "\n" not in message


def test_simple_gold_round_trip_and_seed_join(tmp_path):
    seed_line = json.dumps({"title": "Toy Paper: A Study", "seed_file": "000_x.txt",
                            "methods": [{"name": "Widget Net", "aliases": ["WN"], "proposed": True}],
                            "datasets": [], "tasks": [{"name": "toy classification", "aliases": []}]})
    path = _write(tmp_path, [GOOD, seed_line])
    with pytest.raises(KgError, match=r"gold\.jsonl:2: .*texts"):
        load_gold(path)
    with pytest.raises(KgError, match=r"gold\.jsonl:2: .*not found"):
        load_gold(path, texts={"Another paper": ("Another paper", "text")})
    docs = load_gold(path, texts={"toy paper a study": ("Toy Paper: A Study", "We propose WN for toys.")})
    assert [d.abstract for d in docs] == ["We train a Widget Net on ToySet.", "We propose WN for toys."]
    assert docs[1].entities["methods"][0].proposed is True

    report = score(docs, lambda title, abstract: [("Method", ["widget nets"]), ("Dataset", ["ToySets"])]
                   if title == "A toy paper" else [("Method", ["WN"]), ("Concept", ["toy classifications"])])
    s = report.groups["simple"]
    assert (s["methods"].tp, s["datasets"].tp, s["tasks"].tp, s[ALL].f1) == (2, 1, 1, 1.0)
    assert s[ALL].lenient_precision is None  # our gold has no mention layer


class _LookupExtractor:
    """Stands in for kg.extract.Extractor: finds a fixed vocabulary by exact substring."""

    def __init__(self, vocabulary: dict[str, str]):
        self.vocabulary = vocabulary

    def extract_corpus(self, papers, progress=None):
        out = {}
        for done, paper in enumerate(papers, 1):
            hits = []
            for surface, type_ in self.vocabulary.items():
                start = paper.abstract.find(surface)
                if start >= 0:
                    ev = Evidence("abstract", start, start + len(surface), surface, "", "lookup", 1.0)
                    hits.append(EntityHit(type_, surface.lower(), surface, "USES", [surface], [ev]))
            out[paper.id] = hits
            if progress:
                progress(done)
        return out


@needs_scierc
def test_evaluate_file_runs_an_extractor_over_gold(tmp_path):
    path = _one_doc_file(tmp_path, _line_of(SCIERC, "P06-4007"))
    calls = []
    report = evaluate_file(path, _LookupExtractor({"FERRET": "Method", "Q/A": "Method", "users": "Dataset"}),
                           progress=calls.append)
    assert calls == [1]
    assert _counts(report, "scierc", "methods")[:5] == (3, 2, 2, 0, 1)
    assert _counts(report, "scierc", "datasets")[:5] == (0, 1, 0, 1, 0)
    assert json.loads(json.dumps(report.to_dict()))["groups"]["scierc"]["headline"] == "f1"


SEED_GOLD = Path(__file__).resolve().parent / "gold" / "seeds_gold.jsonl"


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="tests/gold/seeds_gold.jsonl not written yet")
def test_seed_gold_joins_every_line_to_an_ingested_paper():
    ingest = pytest.importorskip("kg.ingest")
    if not hasattr(ingest, "read_paths"):
        pytest.skip("kg.ingest.read_paths not available yet")
    from kg.evaluation.evaluate import seed_texts

    texts = seed_texts(SEED_GOLD)
    docs = load_gold(SEED_GOLD, texts)
    assert docs and all(d.format == "simple" for d in docs)
    assert sum(bool(d.abstract) for d in docs) > len(docs) / 2
    assert sum(len(d.entities[t]) for d in docs for t in SCORED_TYPES) > len(docs)


def test_found_recall_credits_a_shared_mention_for_every_gold_entity(tmp_path):
    gold = tmp_path / "shared.jsonl"
    gold.write_text(json.dumps({
        "title": "Playing Atari", "abstract": "We evaluate on Atari 2600 games and report scores.",
        "methods": [], "tasks": [],
        "datasets": [{"name": "Pong", "aliases": ["Atari 2600 games"]},
                     {"name": "Breakout", "aliases": ["Atari 2600 games"]}]}) + "\n")
    docs = load_gold(gold)
    report = score(docs, lambda title, abstract: [("Dataset", ["Atari 2600 game"])])
    datasets = report.groups["simple"]["datasets"]
    assert (datasets.tp, datasets.recall, datasets.found_recall) == (1, 0.5, 1.0)
    assert datasets.to_dict()["found_recall"] == 1.0
    assert "R(any)" in format_report(report)


def test_held_out_examples_gold_is_consistent_with_the_examples():
    """The held-out gold must describe the shipped examples: every title is an example paper and every method or
    dataset is written in that paper's title or abstract (task names are keywords and may not be)."""
    from kg.ingest import read_paths
    from kg.ingest.text import title_key as ingest_title_key

    repo = Path(__file__).resolve().parents[1]
    gold = repo / "tests" / "gold" / "examples_gold.jsonl"
    papers = {ingest_title_key(p.title): p for p in read_paths([repo / "examples"]).papers}
    docs = load_gold(gold)
    assert len(docs) == len(papers) == 33
    for doc in docs:
        paper = papers[ingest_title_key(doc.title)]
        text = f"{paper.title}\n{paper.abstract or ''}".casefold()
        for slot in ("methods", "datasets"):
            for entity in doc.entities[slot]:
                written = any(form.casefold() in text for form in entity.forms)
                shorthand = entity.name.split()[-1].casefold() in text  # "SQuAD v1.1 and v2.0" → "SQuAD v2.0"
                assert written or shorthand, (doc.title, entity.forms)


def test_blind_examples_gold_v2_names_only_what_its_texts_write():
    """The second held-out set carries its own abstracts; every method or dataset it lists is written there."""
    gold = Path(__file__).resolve().parents[1] / "tests" / "gold" / "examples_gold_v2.jsonl"
    docs = load_gold(gold)
    assert len(docs) == 40 and all(doc.abstract for doc in docs)
    for doc in docs:
        text = f"{doc.title}\n{doc.abstract}".casefold()
        for slot in ("methods", "datasets"):
            for entity in doc.entities[slot]:
                assert any(form.casefold() in text for form in entity.forms), (doc.title, entity.forms)
