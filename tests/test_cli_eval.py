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
