"""kg's trained span model: the shipped weights, the kg_span_model component, the corpus converter, the trainer CLI."""
from __future__ import annotations

import itertools
import json
import socket
import subprocess
import sys

import pytest
from spacy.tokens import DocBin

from conftest import EVAL, REPO
from kg.extract.pipeline import RULES, base_pipeline
from kg.extract.span_model import LABELS, SPAN_MODEL_DIR, SPANS_KEY, load_span_model
from kg.train.corpus import ConversionStats, build_corpora, convert, cut_long, read_records, record_to_doc

FULLTEXT = EVAL / "scirex_fulltext.jsonl"
# An input sentence only (no gold): the component must not change the host's tokens.
PLAIN = "We train a convolutional network with dropout for image classification and report top-1 accuracy (Acc.)."


def fulltext() -> str:
    if not FULLTEXT.is_file():
        pytest.skip(f"SciREX full text not present at {FULLTEXT}")
    return str(FULLTEXT)


def dev_abstract_sentences(limit: int) -> list[dict]:
    """The first dev sentences of titles and abstracts (first two sections) that have mentions."""
    records = (
        r for r in read_records(fulltext(), "dev") if r["section_index"] <= 1 and len(r["mentions"]) >= 2
    )
    return list(itertools.islice(records, limit))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the span model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_shipped_model_loads_without_network(no_network):
    assert (SPAN_MODEL_DIR / "meta.json").is_file()
    nlp = load_span_model()
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == set(LABELS)
    assert load_span_model() is nlp  # cached
    meta = nlp.meta
    assert meta["sources"][0]["name"] == "SciREX"
    assert meta["performance"]["ents_f"] > 0.3


def test_shipped_model_is_small():
    size = sum(p.stat().st_size for p in SPAN_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 10_000_000, size


def test_model_finds_typed_spans_in_dev_abstract_sentences():
    nlp = load_span_model()
    records = dev_abstract_sentences(20)
    assert records
    found, exact = 0, 0
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        gold = {(m["start_char"], m["end_char"], m["type"].upper()) for m in record["mentions"]}
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        assert all(label in LABELS for _, _, label in predicted)
        found += len(predicted)
        exact += len(predicted & gold)
    assert found >= 10
    assert exact >= 5


def test_component_puts_typed_spans_on_doc_without_retokenizing():
    import kg.extract.span_model  # noqa: F401  (registers the factory)

    plain = base_pipeline(RULES)
    nlp = base_pipeline(RULES)
    nlp.add_pipe("kg_span_model")
    texts = [PLAIN] + ([r["text"] for r in dev_abstract_sentences(5)] if FULLTEXT.is_file() else [])
    for text in texts:
        doc = nlp(text)
        assert [t.text for t in doc] == [t.text for t in plain(text)]
        assert SPANS_KEY in doc.spans
        assert len(doc.ents) == 0  # the host's ents are left alone
        model_doc = load_span_model()(text)
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]] == [
            (e.start_char, e.end_char, e.label_) for e in model_doc.ents
        ]
    assert any(len(nlp(t).spans[SPANS_KEY]) for t in texts)
    # nlp.pipe goes through the component's batched pipe and gives the same spans.
    def triples(doc):
        return [(s.start, s.end, s.label_) for s in doc.spans[SPANS_KEY]]

    piped = [triples(doc) for doc in nlp.pipe(texts, batch_size=2)]
    called = [triples(doc) for doc in map(nlp, texts)]
    assert piped == called


def test_converter_aligns_real_lines_and_counts_widened_mentions(capsys):
    nlp = base_pipeline(RULES)
    head = list(itertools.islice(read_records(fulltext(), "train"), 300))
    # Plus the first train sentence with a mention inside a token (such as a name before a hyphen).
    unaligned = next(
        r
        for r in read_records(fulltext(), "train")
        if any(nlp.make_doc(r["text"]).char_span(m["start_char"], m["end_char"]) is None for m in r["mentions"])
    )
    docs, stats = convert(nlp, [*head, unaligned])
    print(stats.as_dict())
    assert stats.records == len(head) + 1
    assert stats.mentions == sum(len(r["mentions"]) for r in [*head, unaligned])
    assert stats.kept + stats.dropped_overlap + stats.dropped_unaligned == stats.mentions
    assert stats.expanded >= 1
    assert stats.kept > 0.95 * stats.mentions
    for record, doc in zip([*head, unaligned], docs):
        assert doc.text == record["text"]
        gold = {(m["start_char"], m["end_char"], m["type"].upper()) for m in record["mentions"]}
        for ent in doc.ents:
            assert ent.label_ in LABELS
            if doc.char_span(ent.start_char, ent.end_char) is not None and record is not unaligned:
                assert (ent.start_char, ent.end_char, ent.label_) in gold
    assert "'expanded'" in capsys.readouterr().out


def test_converter_cuts_long_sentences_outside_entities():
    nlp = base_pipeline(RULES)
    words = " ".join(f"w{i}" for i in range(250))
    record = {"text": words, "mentions": [{"start_char": words.index("w98"), "end_char": words.index("w103") - 1, "type": "Method"}]}
    doc = record_to_doc(nlp, record, ConversionStats())
    assert [e.text for e in doc.ents] == ["w98 w99 w100 w101 w102"]
    pieces = cut_long(doc, 100)
    assert sum(len(p) for p in pieces) == len(doc)
    assert all(len(p) <= 100 for p in pieces)
    assert [e.text for p in pieces for e in p.ents] == ["w98 w99 w100 w101 w102"]


def test_build_corpora_writes_train_tune_and_dev(tmp_path):
    data = tmp_path / "small.jsonl"
    train_ids, dev_ids, lines = set(), set(), []
    for record in read_records(fulltext()):
        ids = train_ids if record["split"] == "train" else dev_ids
        if len(ids) < 2 or record["doc_id"] in ids:
            ids.add(record["doc_id"])
            lines.append(json.dumps(record))
        if len(train_ids) >= 2 and len(dev_ids) >= 2 and record["split"] == "dev" and record["doc_id"] not in dev_ids:
            break
    data.write_text("\n".join(lines) + "\n")
    nlp = base_pipeline(RULES)
    stats = build_corpora(nlp, data, tmp_path / "corpus", seed=1, empty_share=0.0, max_tokens=100)
    assert stats["tune"].papers == 1 and stats["train"].papers == 1 and stats["dev"].papers == 2
    assert stats["train"].empty_sentences_skipped > 0
    for name in ("train", "tune", "dev"):
        docs = list(DocBin().from_disk(tmp_path / "corpus" / f"{name}.spacy").get_docs(nlp.vocab))
        assert len(docs) == stats[name].docs
        assert sum(len(d.ents) for d in docs) == stats[name].kept


def test_train_cli_help():
    out = subprocess.run(
        [sys.executable, "-m", "kg.train", "--help"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    for option in ("--out", "--max-minutes", "--seed"):
        assert option in out.stdout


def test_windows_read_candidates_with_the_models_context_inside_their_sentence():
    from kg.extract.mentions import Mention
    from kg.extract.span_model import reading_windows, receptive_field

    nlp = base_pipeline(RULES)
    text = ("Deep networks are widely used in many areas of modern science and industry today. "
            "We evaluate our new retrieval model on the MS MARCO passage ranking benchmark and report MRR@10 "
            "against strong sparse baselines such as BM25 and several dense retrievers.")
    doc = nlp(text)
    context = receptive_field(load_span_model())
    assert context == 4  # depth 4, window 1 (kg/train/config.cfg)
    marks = [Mention(text.index(w), text.index(w) + len(w), w, "acronym", "") for w in ("MARCO", "BM25")]
    windows = reading_windows(doc, marks, context)
    second = list(doc.sents)[1]
    assert windows and all(second.start <= a < b <= second.end for a, b in windows)
    for m in marks:  # each candidate sits inside a window with `context` tokens of its sentence either side
        span = doc.char_span(m.start, m.end)
        want = (max(second.start, span.start - context), min(second.end, span.end + context))
        assert any(a <= want[0] and want[1] <= b for a, b in windows)
    assert sum(b - a for a, b in windows) < len(second)
    assert reading_windows(doc, marks, None) == [(second.start, second.end)]  # None: the whole sentence


def test_component_reading_windows_maps_spans_to_host_tokens():
    import kg.extract.span_model  # noqa: F401  (registers the factory)
    from kg.extract.mentions import Mention, mentions_of

    nlp = base_pipeline(RULES)
    nlp.add_pipe("kg_span_model", config={"read": "windows", "share_tokens": True})
    text = "We report top-1 accuracy of our network on ImageNet and compare it with ResNet-50 and VGG-16 baselines."
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline[:-1]:
        doc = proc(doc)
    mentions_of(doc).extend(Mention(text.index(w), text.index(w) + len(w), w, "coined-name", text)
                            for w in ("ImageNet", "ResNet-50"))
    doc = nlp.get_pipe("kg_span_model")(doc)
    whole = {(e.start_char, e.end_char, e.label_) for e in load_span_model()(text).ents}
    spans = {(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]}
    assert spans <= whole  # the same reading around the candidates, on the host's own tokens
    assert {("ImageNet", "DATASET"), ("ResNet-50", "METHOD")} <= {(text[a:b], label) for a, b, label in spans}
    assert all(doc.char_span(a, b) is not None for a, b, _ in spans)


def test_span_model_is_on_by_default_and_the_cache_knows_the_mode(monkeypatch):
    from kg.extract import Extractor
    from kg.extract.cache import extractor_version
    from kg.extract.pipeline import SPAN_MODEL_ENV, span_model_wanted

    assert span_model_wanted({}) and span_model_wanted({SPAN_MODEL_ENV: "1"})
    assert not any(span_model_wanted({SPAN_MODEL_ENV: v}) for v in ("0", "off", "false", "no"))
    monkeypatch.delenv(SPAN_MODEL_ENV, raising=False)
    on = Extractor(model=RULES)
    assert on.span_model and "kg_span_model" in on.nlp.pipe_names
    monkeypatch.setenv(SPAN_MODEL_ENV, "0")
    off = Extractor(model=RULES)
    assert not off.span_model and "kg_span_model" not in off.nlp.pipe_names
    assert Extractor(model=RULES, span_model=True).span_model  # the parameter wins over the environment
    assert extractor_version(on.flavour) != extractor_version(off.flavour)
