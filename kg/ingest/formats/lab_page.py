"""Lab publication page: a title line, one author per line, then an optional abstract line."""
from __future__ import annotations

from .base import Parsed, add, looks_like_abstract, looks_like_name, make_listing, oversize, too_long
from ..model import Skipped, SourceRef

NAME = "lab"
_HEADINGS = {"publications", "selected publications", "papers", "preprints", "journal articles", "conference papers"}


def score(lines: list[str]) -> float:
    content = [line.strip() for line in lines if line.strip()]
    if not content:
        return 0.0
    if any("·" in line or "authors" == line.split()[-1] for line in content):
        return 0.0
    names = sum(1 for line in content if looks_like_name(line))
    ratio = names / len(content)
    return min(1.0, ratio * 1.6) if ratio > 0.2 else 0.0


def parse(lines: list[str], file: str) -> Parsed:
    parsed = Parsed()
    record: dict | None = None

    def flush() -> None:
        if record is None:
            return
        if not record["authors"] and record["abstract"] is None:
            reason = "page heading, not a paper" if record["title"].lower() in _HEADINGS else "title with no authors or abstract"
            parsed.skipped.append(Skipped(SourceRef(file, record["line"]), reason))
            return
        add(parsed, make_listing(NAME, file, record["line"], record["title"],
                                 authors=record["authors"], abstract=record["abstract"]))

    for n, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        if too_long(text):
            add(parsed, oversize(file, n, text))
            continue
        if record is not None and record["abstract"] is None and looks_like_abstract(text):
            record["abstract"] = text
        elif record is not None and record["abstract"] is None and looks_like_name(text) and text.lower() not in _HEADINGS:
            record["authors"].append(text)
        else:
            flush()
            record = {"title": text, "line": n, "authors": [], "abstract": None}
    flush()
    return parsed
