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
    """Fold `other` into `base` (same paper); nothing known in either copy is lost."""
    if len(other.authors) > len(base.authors):
        base.authors = list(other.authors)
    if other.abstract and len(other.abstract) > len(base.abstract or ""):
        base.abstract = other.abstract
    base.date = _better_date(base.date, other.date)
    for name in ("url", "venue", "badge", "author_count"):
        if getattr(base, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(base, name, getattr(other, name))
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
