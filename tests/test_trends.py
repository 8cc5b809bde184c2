"""`kg trends` on a small synthetic corpus with known years: papers per year of a term, rising and falling
entities of the last two years against the years before, papers without a year counted and never guessed."""
from __future__ import annotations

import json

import pytest

from kg.queries.trends import year_of
from kg.store import LocalStore

from conftest import kg_run


def _paper(n: int, date, text: str) -> dict:
    return {"title": f"Widget study number {n}", "authors": [f"Author {n % 4}"], "abstract": text, "date": date}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """2018-2020: 6 of 10 papers use ResNet on ImageNet, 4 use BERT. 2021-2022: 8 of 10 use BERT, 1 ResNet.
    Three BERT papers have no year (no date; a date without a year; an empty date)."""
    rows, n = [], 0
    for i in range(10):
        n += 1
        year = 2018 + i % 3
        text = "We train ResNet on ImageNet." if i < 6 else "We fine-tune BERT for parsing."
        rows.append(_paper(n, f"{year}-0{1 + i % 9}-15", text))
    for i in range(10):
        n += 1
        year = 2021 + i % 2
        text = "We fine-tune BERT for parsing." if i < 8 else ("We train ResNet for parsing." if i == 8 else "We parse.")
        rows.append(_paper(n, f"{year}-03-1{i % 9}", text))
    for date in (None, "--05-01", ""):
        n += 1
        rows.append(_paper(n, date, "We fine-tune BERT for parsing."))
    path = tmp_path_factory.mktemp("trends")
    listing = path / "papers.jsonl"
    listing.write_text("".join(json.dumps({k: v for k, v in r.items() if v is not None}) + "\n" for r in rows),
                       encoding="utf-8")
    kg_run(None, "load", str(listing), "--store", str(path / "store"))
    return path / "store"


def test_year_of():
    assert year_of("2021-03-01") == 2021 and year_of("2019") == 2019
    assert year_of("２０２１-01-01") is None and year_of("--08-28") is None and year_of(None) is None and year_of("") is None and year_of("n.d.") is None


def test_papers_per_year_of_a_term(store):
    data = json.loads(kg_run(None, "trends", "BERT", "--store", str(store), "--json").output)
    bert = data["matches"][0]
    assert (bert["name"], bert["label"]) == ("BERT", "Method")
    assert bert["years"] == {"2018": 2, "2019": 1, "2020": 1, "2021": 4, "2022": 4}
    assert bert["undated"] == 3 and bert["papers"] == 15
    assert bert["first"].startswith("2018") and bert["last"].startswith("2022")
    text = kg_run(None, "trends", "BERT", "--store", str(store)).output
    assert "3 without a year, not counted" in text and "2021" in text


def test_gap_years_are_zero(store):
    data = json.loads(kg_run(None, "trends", "ImageNet", "--store", str(store), "--json").output)
    assert data["matches"][0]["years"] == {"2018": 2, "2019": 2, "2020": 2}


def test_rising_and_falling(store):
    data = json.loads(kg_run(None, "trends", "--store", str(store), "--json", "--min-papers", "2").output)
    assert data["papers"] == 23 and data["dated"] == 20 and data["undated"] == 3
    assert data["recent"] == [2021, 2022] and data["before"] == [2018, 2020]
    assert data["years"] == {"2018": 4, "2019": 3, "2020": 3, "2021": 5, "2022": 5}
    assert any("3 paper(s) without a year" in note for note in data["notes"])
    rising = {r["name"]: r for r in data["rising"]}
    falling = {r["name"]: r for r in data["falling"]}
    assert rising["BERT"]["recent"] == 8 and rising["BERT"]["before"] == 4 and rising["BERT"]["change"] == 40.0
    assert falling["ImageNet"]["change"] == -60.0 and falling["ResNet"]["change"] == -50.0
    assert [r["name"] for r in data["falling"]][:2] == ["ImageNet", "ResNet"]
    assert rising["BERT"]["undated"] == 3 and rising["BERT"]["first"].startswith("2018")
    text = kg_run(None, "trends", "--store", str(store), "--min-papers", "2").output
    assert "2021–2022 against 2018–2020" in text and "BERT" in text and "without a year" in text


def test_min_papers_and_errors(store, tmp_path):
    data = json.loads(kg_run(None, "trends", "--store", str(store), "--json", "--min-papers", "9").output)
    assert data["rising"] == [] and [r["name"] for r in data["falling"]] == []
    missing = kg_run(None, "trends", "Zyzzyva", "--store", str(store), ok=False)
    assert missing.exit_code != 0 and "Zyzzyva" in missing.output and len(missing.output.strip().splitlines()) == 1
    bad = kg_run(None, "trends", "--limit", "0", "--store", str(store), ok=False)
    assert bad.exit_code != 0 and "--limit" in bad.output
    none = kg_run(None, "trends", "--store", str(tmp_path / "nothing"), ok=False)
    assert none.exit_code != 0 and "no graph yet" in none.output


def test_no_years_at_all(tmp_path):
    listing = tmp_path / "undated.jsonl"
    listing.write_text(json.dumps(_paper(1, None, "We fine-tune BERT.")) + "\n", encoding="utf-8")
    kg_run(None, "load", str(listing), "--store", str(tmp_path / "s"))
    data = json.loads(kg_run(None, "trends", "--store", str(tmp_path / "s"), "--json").output)
    assert data["undated"] == 1 and data["recent"] is None and data["rising"] == []
    assert any("no paper has a year" in note for note in data["notes"])
    assert "no paper has a year" in kg_run(None, "trends", "--store", str(tmp_path / "s")).output


def test_one_extracted_link_per_paper_and_entity(store):
    """entity_papers_split counts link rows as papers: the resolver gives each paper one relation per entity."""
    local = LocalStore(store)
    try:
        doubled = local.conn.execute("SELECT count(*) FROM (SELECT paper, node FROM links WHERE type != 'AUTHORED' "
                                     "GROUP BY paper, node HAVING count(*) > 1)").fetchone()[0]
    finally:
        local.close()
    assert doubled == 0
