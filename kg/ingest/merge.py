"""Merge listing rows into distinct papers keyed by normalised title, keeping the richest field of each copy."""
from __future__ import annotations

import hashlib
from typing import Iterable

from .model import Listing, Paper
from .text import title_key


def paper_id(title: str) -> str:
    """Stable id: the same title (up to case, accents, punctuation) always gets the same id."""
    return "p-" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:12]


def to_paper(listing: Listing) -> Paper:
    return Paper(
        id=paper_id(listing.title), title=listing.title, authors=list(listing.authors), abstract=listing.abstract,
        date=listing.date, url=listing.url, venue=listing.venue, badge=listing.badge,
        author_count=listing.author_count, upvotes=listing.upvotes, sources=[listing.source],
    )


def _better_date(a: str | None, b: str | None) -> str | None:
    """Prefer a date that has a year over one that does not; otherwise keep the first."""
    if not a or (a.startswith("--") and b and not b.startswith("--")):
        return b or a
    return a


def merge_into(base: Paper, other: Paper) -> Paper:
    """Fold `other` into `base` (same paper); nothing known in either copy is lost.

    Ties go to the copy listed first (smallest file, then line), never to the copy read first, so the
    merged paper is the same whatever order the listings are loaded in."""
    other_first = bool(other.sources) and (not base.sources or min(other.sources) < min(base.sources))
    first, second = (other, base) if other_first else (base, other)
    base.title = first.title
    base.authors = list(second.authors if len(second.authors) > len(first.authors) else first.authors)
    base.abstract = second.abstract if len(second.abstract or "") > len(first.abstract or "") else first.abstract
    base.date = _better_date(first.date, second.date)
    for name in ("url", "venue", "badge", "author_count"):
        mine = getattr(first, name)
        setattr(base, name, mine if mine not in (None, "") else getattr(second, name))
    if other.upvotes is not None:
        base.upvotes = max(base.upvotes or 0, other.upvotes)
    base.sources = sorted(set(base.sources) | set(other.sources))
    return base


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Distinct papers in first-seen order."""
    merged: dict[str, Paper] = {}
    for paper in papers:
        if paper.id in merged:
            merge_into(merged[paper.id], paper)
        else:
            merged[paper.id] = Paper(**{**paper.__dict__, "authors": list(paper.authors), "sources": list(paper.sources)})
    return list(merged.values())
