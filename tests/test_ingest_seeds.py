"""Ingest on the real seed listings: exact row and paper counts, clean-up and merging."""
from __future__ import annotations

from kg.ingest import detect_format, read_file, read_paths
from kg.ingest.reader import read_lines
from kg.ingest.text import title_key

from conftest import seed


def _titles(rows):
    return [r.title for r in rows]


def test_lab_page_rows_merge_and_cleanup():
    path = seed("000")
    assert detect_format(path, read_lines(path)) == "lab"
    rows, skipped = read_file(path)
    assert len(rows) == 12
    assert [s.reason for s in skipped] == ["page heading, not a paper"]
    papers = read_paths([path]).papers
    assert len(papers) == 10
    twice = [p for p in papers if len(p.sources) == 2]
    assert len(twice) == 2
    hybrid = next(p for p in twice if p.title.startswith("Towards Hybrid-grained"))
    copies = [r for r in rows if r.title == hybrid.title]
    assert sum(1 for r in copies if r.abstract) == 1  # one copy lacks the abstract ...
    assert hybrid.abstract and "OptFeature" in hybrid.abstract  # ... and the merged paper keeps it
    assert len(hybrid.authors) == 7
    dejavu = papers[0]
    assert "voir plus" not in dejavu.abstract and "natural images with one another" in dejavu.abstract
    assert "déjà vu memorization" in dejavu.abstract  # d\'ej\`a vu
    assert dejavu.authors == ["Casey Meehan", "Florian Bordes", "Kamalika Chaudhuri", "Chuan Guo"]
    assert "A²CiD²: Accelerating Asynchronous Communication in Decentralized Deep Learning" in _titles(papers)
    assert all("\\" not in p.title and "$" not in p.title for p in papers)
    assert not any("voir plus" in (p.abstract or "") for p in papers)


def test_similarity_page_counts_dates_and_upvotes():
    path = seed("001")
    assert detect_format(path, read_lines(path)) == "similarity"
    rows, skipped = read_file(path)
    assert len(rows) == 35 and not skipped
    assert all(r.author_count and r.author_count >= 1 for r in rows)
    assert all(r.abstract for r in rows)
    first = rows[0]
    assert first.title == "Understanding self-supervised Learning Dynamics without Contrastive Pairs"
    assert (first.date, first.upvotes, first.author_count) == ("2021-02-12", 1, 3)
    yearless = [r for r in rows if r.date and r.date.startswith("--")]
    assert yearless and all(len(r.date) == 7 for r in yearless)  # "--MM-DD": no guessed year
    assert "--08-28" in {r.date for r in yearless}


def test_poster_session_authors_and_badges():
    path = seed("002")
    assert detect_format(path, read_lines(path)) == "poster"
    rows, skipped = read_file(path)
    assert len(rows) == 116 and not skipped
    assert all(r.authors for r in rows)
    badges = {r.title: r.badge for r in rows if r.badge}
    assert sorted(badges.values()) == ["Honorable Mention", "Outstanding Paper"]
    assert "Outstanding Paper" not in _titles(rows) and "Honorable Mention" not in _titles(rows)
    assert not {"Session", "Poster Session 8", "Abstract:", "Chat is not available."} & set(_titles(rows))
    scene = next(r for r in rows if r.title.startswith("Scene Transformer"))
    assert "Hao-Tien (Lewis) Chiang" in scene.authors


def test_search_pages_glued_subscribe():
    for prefix in ("003", "004"):
        path = seed(prefix)
        assert detect_format(path, read_lines(path)) == "search"
        rows, skipped = read_file(path)
        assert len(rows) == 129 and not skipped
        assert all(r.abstract for r in rows)
        assert not rows[0].title.startswith("Subscribe")


def test_all_seeds_one_node_per_paper(seeds_dir):
    result = read_paths([seeds_dir])
    keys = [title_key(p.title) for p in result.papers]
    assert len(keys) == len(set(keys))
    assert len(result.listings) == 12 + 35 + 116 + 129 + 129
    shared = [p for p in result.papers if len({s.file for s in p.sources}) > 1]
    assert shared, "some papers appear in several seed files"
    assert len(result.papers) == len(result.listings) - sum(len(p.sources) - 1 for p in result.papers)
    again = read_paths([seeds_dir])
    assert [p.id for p in again.papers] == [p.id for p in result.papers]  # stable ids
