"""`kg eval` from the command line on the real gold files: a scored report, JSON or table."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import EVAL, REPO, SEEDS

GOLD = REPO / "tests" / "gold" / "seeds_gold.jsonl"


def _eval(*args):
    result = CliRunner().invoke(main, ["eval", *args], env={"KG_SPACY_MODEL": "rules"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_eval_seed_gold_json():
    if not SEEDS.is_dir():
        pytest.skip("seed listings not present")
    report = json.loads(_eval(str(GOLD), "--seeds", str(SEEDS), "--json"))
    simple = report["groups"]["simple"]
    assert simple["headline"] == "f1"
    methods = simple["types"]["methods"]
    assert methods["docs"] == sum(1 for _ in GOLD.open())
    assert methods["gold"] == sum(len(json.loads(line)["methods"]) for line in GOLD.open())
    assert methods["tp"] + methods["fn"] == methods["gold"] and methods["tp"] + methods["fp"] == methods["pred"]
    assert 0.0 < methods["f1"] <= 1.0


def test_eval_scirex_table():
    gold = EVAL / "scirex_abstracts.jsonl"
    if not gold.is_file():
        pytest.skip("SciREX gold not present")
    table = _eval(str(gold))
    assert "recall" in table and "methods" in table and "datasets" in table


def test_eval_bad_gold_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"title": "A", "abstract": "B", "methods": [], "datasets": [], "tasks": []}\n{oops\n')
    result = CliRunner().invoke(main, ["eval", str(bad)], env={"KG_SPACY_MODEL": "rules"})
    assert result.exit_code != 0 and f"{bad}:2" in result.output


def test_eval_on_a_binary_or_non_utf8_file_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b'{"title": "x"}\n\x7fELF\x00\x01\x02\xd0\xff\n')
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"title": "caf\xe9"}\n'.encode("latin-1"))
    for path, expected in ((binary, "blob.jsonl:2: binary data"), (latin, "latin.jsonl:1: not valid UTF-8")):
        result = CliRunner().invoke(main, ["eval", str(path), "--model", "rules"])
        assert result.exit_code != 0
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines[-1].startswith("kg: error:") and expected in lines[-1], result.output
        assert "Traceback" not in result.output
