"""`kg trends`: papers per year for an entity, author or topic, and the entities rising or falling fastest.

`store` is what answers the trend reads: the LocalStore itself, or kg.queries.neo4j_trends over a Neo4j backend.

A paper's year is the first four characters of its date when they are digits; a paper without one (no date, or
a page that gave "--08-28") is counted and reported, never given a guessed year. Reads are SQL inside one
snapshot: the dated papers' years go into a temporary table once (LocalStore.years_table), papers per year and
each entity's papers per window are grouped from it and the links' primary key; one entity's papers come
through the links_by_node index.

Rising and falling compare two windows: the last two years of the corpus (its latest year Y and Y-1, not the
calendar) against every year before. An entity's share of a window is the fraction of that window's dated
papers that mention it; the change is the difference of the shares in percentage points, so an entity grows
only by gaining ground on the rest of the corpus, not because the corpus grew. Entities need `min_papers`
papers in the window they are strong in (recent for rising, before for falling).
"""
from __future__ import annotations

from collections import Counter

from ..errors import KgError
from ..graph.schema import PAPER
from .related import MIN_MATCH, match_score, resolve

WINDOW_YEARS = 2
MAX_TERM_MATCHES = 5


def year_of(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isascii() and date[:4].isdigit():
        return int(date[:4])
    return None


def _series(dates: list[str | None]) -> dict:
    """Papers per year from the first year to the last (years without papers included), first and last date."""
    years = Counter(y for y in map(year_of, dates) if y is not None)
    dated = sorted(d for d in dates if year_of(d) is not None)
    return {"papers": len(dates), "undated": len(dates) - sum(years.values()),
            "years": {str(y): years[y] for y in range(min(years), max(years) + 1)} if years else {},
            "first": dated[0] if dated else None, "last": dated[-1] if dated else None}


def term_trend(store, backend, term: str) -> dict:
    """Papers per year of the authors, entities and topics matching `term` (best matches first). A topic
    matches on its name (the stored topics, as `kg topics` last computed them)."""
    scored = [(nid, s) for nid, s in resolve(backend, term) if not nid.startswith(PAPER.lower() + ":")]
    topics = {f"topic:{t.id}": t for t in store.topics()}
    scored += [(tid, s) for tid, t in topics.items()
               if (s := max(match_score(term, t.name), match_score(term, tid.replace(":", " ")))) >= MIN_MATCH]
    matches = [nid for nid, _ in sorted(scored, key=lambda item: (-item[1], item[0]))]
    if not matches:
        raise KgError(f"no author, method, dataset, concept or topic matches {term!r}; try `kg related {term}`, "
                      "`kg topics` or `kg stats` for names")
    names = store.names_of([nid for nid in matches[:MAX_TERM_MATCHES] if nid not in topics])
    rows = []
    for nid in matches[:MAX_TERM_MATCHES]:
        if nid in topics:
            rows.append({"name": topics[nid].name, "label": "Topic", "id": nid,
                         **_series(store.dates_of_topic(topics[nid].id))})
            continue
        label, name, _ = names[nid]
        rows.append({"name": name, "label": label, "id": nid, **_series(store.dates_of_node(nid))})
    notes = ["topics were computed before the last load; `kg topics` computes them again"] if (
        any(nid in topics for nid in matches[:MAX_TERM_MATCHES]) and store.topics_stale()) else []
    return {"term": term, "matches": rows, "notes": notes}


def corpus_trends(store, limit: int = 10, min_papers: int = 3) -> dict:
    """The entities whose share of papers rose or fell most in the last two years against the years before."""
    with store.snapshot(), store.years_table():
        per_year, undated = store.papers_per_year()
        dated = sum(per_year.values())
        result = {"papers": dated + undated, "dated": dated, "undated": undated,
                  "years": {str(y): per_year.get(y, 0) for y in range(min(per_year), max(per_year) + 1)}
                  if per_year else {}, "recent": None, "before": None, "rising": [], "falling": [], "notes": []}
        if undated:
            result["notes"].append(f"{undated} paper(s) without a year are not counted")
        if not per_year:
            result["notes"].append("no paper has a year: nothing to compare")
            return result
        last = max(per_year)
        cut = last - WINDOW_YEARS + 1
        recent_total = sum(n for y, n in per_year.items() if y >= cut)
        before_total = sum(n for y, n in per_year.items() if y < cut)
        result["recent"] = [cut, last]
        if not before_total:
            result["notes"].append(f"every dated paper is from {cut}–{last}: no earlier years to compare against")
            return result
        result["before"] = [min(per_year), cut - 1]
        split = store.entity_papers_split(cut)
        rising, falling = _ranked(split, recent_total, before_total, limit, min_papers)
        names = store.names_of([r["id"] for r in rising + falling])
        for listed in (rising, falling):
            for r in listed:
                label, name, papers = names[r["id"]]
                dates = store.dated_papers_of_node(r["id"])
                series = _series(dates + [None] * (papers - len(dates)))
                r.update(name=name, label=label, first=series["first"], last=series["last"],
                         years=series["years"], undated=series["undated"])
    result["rising"], result["falling"] = rising, falling
    return result


def _ranked(split: dict[str, tuple[int, int]], recent_total: int, before_total: int, limit: int,
            min_papers: int) -> tuple[list[dict], list[dict]]:
    recent = {nid: r for nid, (r, _) in split.items()}
    before = {nid: b for nid, (_, b) in split.items()}

    def row(nid: str) -> dict:
        r, b = recent[nid], before[nid]
        return {"id": nid, "recent": r, "before": b, "recent_share": round(r / recent_total, 6),
                "before_share": round(b / before_total, 6),
                "change": round(100 * (r / recent_total - b / before_total), 4)}

    rows = [row(nid) for nid in split if recent[nid] or before[nid]]
    rising = sorted((r for r in rows if r["change"] > 0 and r["recent"] >= min_papers),
                    key=lambda r: (-r["change"], r["id"]))[:limit]
    falling = sorted((r for r in rows if r["change"] < 0 and r["before"] >= min_papers),
                     key=lambda r: (r["change"], r["id"]))[:limit]
    return rising, falling


__all__ = ["term_trend", "corpus_trends", "year_of"]
