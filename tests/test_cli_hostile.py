"""Data is text, never markup: hostile titles, authors, arguments and paths print as written through every
command, in tables and in JSON, and never become live terminal hyperlinks."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HOSTILE = ["Sparse [/] Attention [v2]", "Graph Nets [citation needed]", "[bold red]Loud[/] Transformers"]
AUTHOR = "[link=https://evil.example]Mallory[/link]"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "a [b] path"
    folder.mkdir()
    listing = folder / "hostile [x].jsonl"
    with listing.open("w", encoding="utf-8") as handle:
        for n, title in enumerate(HOSTILE):
            handle.write(json.dumps({"title": title, "authors": [AUTHOR, "Alice Example"],
                                     "abstract": f"We propose [/] method number {n} and evaluate it on ImageNet "
                                                 "with a Transformer backbone."}) + "\n")
    store = folder / "store [red]"
    result = _kg(store, "load", str(listing), "--model", "rules")
    assert "[extractor: rules]" in result.stdout, "the load summary's own label is printed as written"
    return store


def _kg(store, *args):
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), *args], capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": "400", "TERM": "xterm-256color",
                                            "FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b]8;" not in result.stdout, "no terminal hyperlink escape"
    return result


@pytest.mark.parametrize("args", [["stats"], ["papers"], ["related", "Sparse [/] Attention"],
                                  ["related", "Mallory"], ["query", "coauthors", "-p", f"author={AUTHOR}"],
                                  ["query", "top-entities", "-p", "label=Method"]])
def test_tables_print_data_as_written(store, args):
    text = _kg(store, *args).stdout
    plain = __import__("re").sub(r"\x1b\[[0-9;]*m", "", text)
    if args[0] == "papers":
        assert all(title in plain for title in HOSTILE)
    if args[0] in ("papers", "related") or args[:2] == ["query", "coauthors"]:
        assert AUTHOR in plain or "Alice Example" in plain


@pytest.mark.parametrize("args", [["papers", "--json"], ["related", "Graph Nets [citation needed]", "--json"]])
def test_json_keeps_data_as_written(store, args):
    data = json.loads(_kg(store, *args).stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert "[citation needed]" in text
