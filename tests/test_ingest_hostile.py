"""Hostile and odd input through the real `kg load`: one line naming file and line per problem, every dropped row
reported as skipped with a reason, good rows and good files kept, a non-zero exit only where the problem is fatal."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.ingest import read_file

from conftest import EXAMPLES

GOOD = {"title": "A Perfectly Ordinary Paper About Graphs", "authors": ["Jane Doe"],
        "abstract": "We study graphs. It works well on standard benchmarks."}


def _load(tmp_path, *paths, args=(), ok=True):
    """`kg load --json` of `paths` into a fresh store under tmp_path; the parsed report (or the result when not ok)."""
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "load", "--model", "rules", "--json", *args,
                                       *map(str, paths)], catch_exceptions=False)
    if not ok:
        return result
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _papers(tmp_path) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "papers", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {paper["title"]: paper for paper in json.loads(result.stdout)}


def _jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def _skipped(report) -> dict[str, str]:
    return {row["source"]: row["reason"] for row in report["skipped"]}


# ------------------------------------------------------------------------------------- over-long first line

@pytest.mark.parametrize("name, first", [("page.txt", "<html>" + "x" * 140_000),
                                         ("wide.csv", "title,abstract," + "x" * 250_000)])
def test_first_line_over_the_csv_field_limit_is_one_line_and_other_files_load(tmp_path, name, first):
    huge = tmp_path / name
    huge.write_text(first + "\nA Title Of A Paper,Its abstract\n", encoding="utf-8")
    good = tmp_path / "good.jsonl"
    _jsonl(good, [GOOD])
    result = _load(tmp_path, huge, good, ok=False)
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{huge}" in lines[0], result.output
    report = _load(tmp_path, huge, good, args=["--skip-bad-files"])
    assert report["added"]["Paper"] == 1
    assert any(row["source"].startswith(str(huge)) for row in report["skipped"])
    if name.endswith(".csv"):
        assert f"{huge}:1" in _skipped(report)


def test_csv_header_over_the_csv_field_limit_still_reads_its_rows(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("title,abstract," + "x" * 140_000 + "\nA Title Of A Paper,Its abstract.,\n", encoding="utf-8")
    report = _load(tmp_path, path)
    assert report["added"]["Paper"] == 1 and report["skipped"] == []


# ------------------------------------------------------------------------------------- Unicode line separators

def test_unicode_line_separators_inside_a_jsonl_row_are_not_line_breaks(tmp_path):
    path = tmp_path / "seps.jsonl"
    _jsonl(path, [{"title": "Paragraph\u2028Separated Title", "abstract": "One\u2029two\x85three\x0cfour."}, GOOD])
    report = _load(tmp_path, path)
    assert report["skipped"] == [] and report["rows"] == 2
    papers = _papers(tmp_path)
    assert "Paragraph Separated Title" in papers and GOOD["title"] in papers
    assert papers["Paragraph Separated Title"]["abstract"] == "One two three four."
    assert papers[GOOD["title"]]["sources"] == [f"{path}:2"]


def test_line_numbers_count_only_newline_breaks(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(("\r\n".join(json.dumps(r, ensure_ascii=False) for r in
                                  [{"title": "First\u2028Paper Of Three"}, {"title": 5}, GOOD]) + "\r\n").encode())
    report = _load(tmp_path, path)
    assert _skipped(report) == {f"{path}:2": "row has no title"}


# ------------------------------------------------------------------------------------- poster with markup

def _poster(tmp_path, title: str, authors: str):
    text = (EXAMPLES / "poster_session.txt").read_text(encoding="utf-8")
    text = text.replace("LoRA: Low-Rank Adaptation of Large Language Models", title)
    text = text.replace("Edward J. Hu · Yelong Shen · Phillip Wallis · Zeyuan Allen-Zhu · Yuanzhi Li · Shean Wang · "
                        "Lu Wang · Weizhu Chen", authors)
    path = tmp_path / "poster.txt"
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines().index(title) + 1


def test_poster_markup_title_is_kept_as_text(tmp_path):
    path, line = _poster(tmp_path, "<script>alert('x')</script> Low-Rank Adaptation", "Edward J. Hu · Yelong Shen")
    report = _load(tmp_path, path, args=["--format", "poster"])
    papers = _papers(tmp_path)
    assert papers["<script>alert('x')</script> Low-Rank Adaptation"]["sources"] == [f"{path}:{line}"]
    assert report["skipped"] == []


def test_poster_record_that_cannot_be_read_is_reported_not_dropped(tmp_path):
    path, line = _poster(tmp_path, "<script>alert(1)</script>", "<b>Edward J. Hu</b> · Yelong Shen")
    report = _load(tmp_path, path, args=["--format", "poster"])
    assert report["added"]["Paper"] == 5
    reason = _skipped(report)[f"{path}:{line}"]
    assert "poster record" in reason and "<script>alert(1)</script>" in reason


# ------------------------------------------------------------------------------------- short search abstracts

def _search_lines() -> list[str]:
    lines = (EXAMPLES / "paper_search.txt").read_text(encoding="utf-8").splitlines()
    assert lines[4].startswith("BERT")  # after the first title/abstract pair
    return lines[:4] + ["CaféNet: Small Networks for Coffee Images",
                        "We propose CaféNet, a tiny network for café images."] + lines[4:]


@pytest.mark.parametrize("variant", ["latin-1", "crlf-bom"])
def test_short_search_abstract_stays_an_abstract(tmp_path, variant):
    text = "\n".join(_search_lines()) + "\n"
    path = tmp_path / "search.txt"
    if variant == "latin-1":
        path.write_bytes(text.encode("latin-1", errors="replace"))
        args = ["--encoding", "latin-1"]
    else:
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
        args = []
    original, _ = read_file(EXAMPLES / "paper_search.txt")
    _load(tmp_path, path, args=args)
    papers = _papers(tmp_path)
    assert papers["CaféNet: Small Networks for Coffee Images"]["abstract"] == \
        "We propose CaféNet, a tiny network for café images."
    assert set(papers) == {row.title for row in original} | {"CaféNet: Small Networks for Coffee Images"}
    assert all(p["abstract"] for p in papers.values())


# ------------------------------------------------------------------------------------- JSONL field types

def test_jsonl_authors_of_the_wrong_shape(tmp_path):
    path = tmp_path / "authors.jsonl"
    _jsonl(path, [{"title": "Authors As An Object Here", "authors": {"a": 1}},
                  {"title": "Authors With A Null Entry", "authors": ["Jane Doe", None, "John Roe"]},
                  {"title": "Authors With A Nested Object", "authors": ["Jane Doe", {"name": "X"}]},
                  {"title": "Abstract As A List Here", "abstract": ["no"]},
                  GOOD])
    report = _load(tmp_path, path)
    skipped = _skipped(report)
    assert set(skipped) == {f"{path}:1", f"{path}:3", f"{path}:4"}
    assert "authors" in skipped[f"{path}:1"] and "object" in skipped[f"{path}:1"]
    assert "authors" in skipped[f"{path}:3"] and "abstract" in skipped[f"{path}:4"]
    papers = _papers(tmp_path)
    assert papers["Authors With A Null Entry"]["authors"] == ["Jane Doe", "John Roe"]
    assert set(papers) == {"Authors With A Null Entry", GOOD["title"]}


def test_overlong_title_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "long.jsonl"
    _jsonl(path, [{"title": "Long " * 1000}, GOOD])
    report = _load(tmp_path, path)
    reason = _skipped(report)[f"{path}:1"]
    assert "title" in reason and "1,000" in reason
    assert set(_papers(tmp_path)) == {GOOD["title"]}


def test_invalid_json_reason_reads_well(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "unterminated\n' + json.dumps(GOOD) + "\n", encoding="utf-8")
    report = _load(tmp_path, path)
    reason = _skipped(report)[f"{path}:1"]
    assert reason.startswith("invalid JSON") and "at at" not in reason and "column" in reason
