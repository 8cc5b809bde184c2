"""Bad input gets one clear line naming the file (and line); good rows around a bad one survive."""
from __future__ import annotations

import json

import pytest

from kg.ingest import IngestError, read_file, read_paths
from kg.ingest.reader import MAX_LINE_CHARS


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_missing_path(tmp_path):
    with pytest.raises(IngestError) as exc:
        read_paths([tmp_path / "nope.txt"])
    assert "nope.txt: no such file or folder" in _one_line(exc)


def test_empty_and_blank_files(tmp_path):
    for name, data in (("empty.txt", b""), ("blank.txt", b"\n  \n\t\n")):
        with pytest.raises(IngestError) as exc:
            read_file(_write(tmp_path, name, data))
        assert _one_line(exc).endswith(f"{name}: empty file")


def test_binary_file(tmp_path):
    path = _write(tmp_path, "model.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    with pytest.raises(IngestError) as exc:
        read_file(path)
    assert "binary file" in _one_line(exc) and "model.txt" in str(exc.value)


def test_wrong_encoding_names_line_and_suggests_fix(tmp_path):
    text = "A Study of Things\nJane Doe\nJos\xe9 Garc\xeda\n".encode("latin-1")
    path = _write(tmp_path, "latin.txt", text)
    with pytest.raises(IngestError) as exc:
        read_file(path)
    message = _one_line(exc)
    assert "latin.txt:3: not valid utf-8 (byte 0xe9" in message and "--encoding" in message
    rows, _ = read_file(path, fmt="lab", encoding="latin-1")
    assert (rows[0].title, rows[0].authors) == ("A Study of Things", ["Jane Doe", "José García"])


def test_unknown_format(tmp_path):
    path = _write(tmp_path, "notes.txt", "1 2 3\n4 5 6\n7 8 9\n")
    with pytest.raises(IngestError) as exc:
        read_file(path)
    assert "notes.txt: no known listing format" in _one_line(exc) and "--format" in str(exc.value)


def test_bad_jsonl_rows_are_skipped_with_line_numbers(tmp_path):
    good = {"title": "Attention Is All You Need", "authors": ["Ashish Vaswani", "Noam Shazeer"],
            "abstract": "We propose the Transformer.", "date": "2017-06-12"}
    lines = [json.dumps(good), "{not json", json.dumps({"authors": ["X"]}), json.dumps({**good, "title": "Second"})]
    path = _write(tmp_path, "rows.jsonl", "\n".join(lines) + "\n")
    rows, skipped = read_file(path)
    assert [r.title for r in rows] == ["Attention Is All You Need", "Second"]
    assert [(s.source.line, s.reason.split(" (")[0]) for s in skipped] == [(2, "invalid JSON"), (3, "row has no title")]


def test_csv_rows_and_ragged_row(tmp_path):
    text = ('title,authors,abstract,date,url,venue\n'
            '"BERT: Pre-training",Jacob Devlin; Ming-Wei Chang,"We introduce BERT.",2018-10-11,,NAACL\n'
            'only,two\n')
    rows, skipped = read_file(_write(tmp_path, "papers.csv", text))
    assert rows[0].authors == ["Jacob Devlin", "Ming-Wei Chang"] and rows[0].venue == "NAACL"
    assert skipped[0].source.line == 3 and "2 cells for 6 columns" in skipped[0].reason


def test_huge_line_is_skipped_not_fatal(tmp_path):
    good = json.dumps({"title": "Small Paper", "abstract": "Fine."})
    huge = json.dumps({"title": "Huge", "abstract": "x" * (MAX_LINE_CHARS + 10)})
    rows, skipped = read_file(_write(tmp_path, "huge.jsonl", good + "\n" + huge + "\n"))
    assert [r.title for r in rows] == ["Small Paper"]
    assert skipped[0].source.line == 2 and "limit" in skipped[0].reason


def test_skip_bad_files_keeps_the_good_ones(tmp_path):
    _write(tmp_path, "a.jsonl", json.dumps({"title": "Good Paper"}) + "\n")
    _write(tmp_path, "b.txt", b"")
    with pytest.raises(IngestError):
        read_paths([tmp_path])
    result = read_paths([tmp_path], skip_bad_files=True)
    assert [p.title for p in result.papers] == ["Good Paper"]
    assert result.skipped[0].reason == "empty file"


def test_lab_page_short_title_after_a_paper_without_abstract(tmp_path):
    text = ("Publications\n"
            "Exploring Simple Siamese Representation Learning\nXinlei Chen\nKaiming He\n"
            "Segment Anything\nAlexander Kirillov\nEric Mintun\n"
            "A segmentation model that is prompted with points and boxes and trained on more than a billion masks, "
            "released together with the data set it was trained on, for everyone to use.\n"
            "Deep Ganguli Wrote This\nDeep Ganguli\n")
    rows, _ = read_file(_write(tmp_path, "lab.txt", text), fmt="lab")
    assert [(r.title, r.authors) for r in rows][:2] == [
        ("Exploring Simple Siamese Representation Learning", ["Xinlei Chen", "Kaiming He"]),
        ("Segment Anything", ["Alexander Kirillov", "Eric Mintun"])]
    assert rows[1].abstract and rows[2].authors == ["Deep Ganguli"]
