"""Page variants the seeds do not show but real pages do: single authors, missing abstracts, other badges."""
from __future__ import annotations

from kg.ingest import read_paths

ABSTRACT = ("We study kernels for learning in a setting where the data are scarce and show that a simple estimator "
            "attains the minimax rate, with experiments on CIFAR-10 and MNIST that support the theory.")

POSTER = f"""Skip to yearly menu bar Skip to main content


Session

Poster Session 3

Abstract:
Chat is not available.


Solo Author Paper on Kernels

Jane Solo

{ABSTRACT}


No Abstract Here: A Short Paper

Alice Smith · Bob Jones


Spotlight
Third Paper With Badge

Carol White · dan black · Hao-Tien (Lewis) Chiang

{ABSTRACT}
"""

SEARCH = f"""Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeFirst Paper Title Here
{ABSTRACT}
Second Paper Has No Abstract
Third Paper Title
{ABSTRACT}
"""

SIMILARITY = f"""Daily Papers

First Similar Paper

{ABSTRACT}

  • 2 authors
·
Mar 3, 2024

Second Similar Paper Without Abstract

  • 1 author
·
Mar 4 12
"""


def _read(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = read_paths([path])
    return result.listings, result.skipped


def test_poster_single_author_missing_abstract_and_other_badge(tmp_path):
    rows, skipped = _read(tmp_path, "poster.txt", POSTER)
    assert not skipped and {r.format for r in rows} == {"poster"}
    assert [(r.title, r.authors, r.badge, bool(r.abstract)) for r in rows] == [
        ("Solo Author Paper on Kernels", ["Jane Solo"], None, True),
        ("No Abstract Here: A Short Paper", ["Alice Smith", "Bob Jones"], None, False),
        ("Third Paper With Badge", ["Carol White", "dan black", "Hao-Tien (Lewis) Chiang"], "Spotlight", True),
    ]


def test_search_page_with_a_missing_abstract(tmp_path):
    rows, skipped = _read(tmp_path, "search.txt", SEARCH)
    assert not skipped and {r.format for r in rows} == {"search"}
    assert [(r.title, bool(r.abstract)) for r in rows] == [
        ("First Paper Title Here", True), ("Second Paper Has No Abstract", False), ("Third Paper Title", True)]


def test_similarity_page_with_a_missing_abstract_and_singular_author(tmp_path):
    rows, skipped = _read(tmp_path, "sim.txt", SIMILARITY)
    assert not skipped and {r.format for r in rows} == {"similarity"}
    assert [(r.title, r.author_count, r.date, r.upvotes, bool(r.abstract)) for r in rows] == [
        ("First Similar Paper", 2, "2024-03-03", None, True),
        ("Second Similar Paper Without Abstract", 1, "--03-04", 12, False),
    ]
