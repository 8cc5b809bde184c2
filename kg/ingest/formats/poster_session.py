"""Conference poster-session page: [award badge], title, "A · B · C" authors, abstract; page chrome around."""
from __future__ import annotations

import re

from ..model import Skipped, SourceRef
from .base import Parsed, add, looks_like_abstract, looks_like_listed_author, looks_like_name, make_listing, oversize, too_long

NAME = "poster"
_SEP = re.compile(r"\s+·\s+")
_BADGE = re.compile(r"\b(paper|mention|award|oral|spotlight|highlight|best|outstanding|honorable|honourable)\b", re.I)
_CHROME = re.compile(r"^(skip to .*|session|poster session.*|oral session.*|abstract:?|chat is not available\.?)$", re.I)


def _is_author_line(line: str) -> bool:
    parts = _SEP.split(line.strip())
    return len(parts) >= 2 and all(looks_like_listed_author(p) for p in parts)


def score(lines: list[str]) -> float:
    authors = sum(1 for line in lines if _is_author_line(line))
    chrome = any(re.match(r"^(poster session|skip to yearly menu bar)", line.strip(), re.I) for line in lines[:30])
    return min(1.0, authors / 3 + (0.5 if chrome else 0.0))


def parse(lines: list[str], file: str) -> Parsed:
    parsed = Parsed()
    units = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    used = -1  # index of the last unit consumed by a record
    consumed: set[int] = set()
    for k, (n, text) in enumerate(units):
        if too_long(text):
            add(parsed, oversize(file, n, text))
            used = k
            consumed.add(k)
            continue
        single = (
            looks_like_name(text) and k + 1 < len(units) and looks_like_abstract(units[k + 1][1])
            and k - 1 > used and not looks_like_name(units[k - 1][1])
        )
        if not (_is_author_line(text) or single) or k - 1 <= used:
            continue
        title_n, title = units[k - 1]
        if _CHROME.match(title) or looks_like_abstract(title):
            continue
        badge = None
        if k - 2 > used:
            candidate = units[k - 2][1]
            if len(candidate.split()) <= 6 and _BADGE.search(candidate) and not _CHROME.match(candidate):
                badge = candidate
                consumed.add(k - 2)
        abstract = None
        if k + 1 < len(units) and looks_like_abstract(units[k + 1][1]) and not too_long(units[k + 1][1]):
            abstract = units[k + 1][1]
            used = k + 1
        else:
            used = k
        consumed.update(range(k - 1, used + 1))
        add(parsed, make_listing(NAME, file, title_n, title, authors=_SEP.split(text), abstract=abstract, badge=badge))
    parsed.skipped.extend(_leftovers(units, consumed, file))
    parsed.skipped.sort(key=lambda row: row.source)
    return parsed


def _leftovers(units: list[tuple[int, str]], consumed: set[int], file: str) -> list[Skipped]:
    """Runs of lines that became no record and are not page chrome: a record whose author line could not be read
    ("<b>A</b> · B") would otherwise vanish without a word, so each run is reported at its first line."""
    runs: list[list[tuple[int, str]]] = []
    previous = -2  # index of the last leftover unit
    for k, (n, text) in enumerate(units):
        if k in consumed or _CHROME.match(text):
            continue
        if previous == k - 1:
            runs[-1].append((n, text))
        else:
            runs.append([(n, text)])
        previous = k
    return [Skipped(SourceRef(file, run[0][0]),
                    f"{len(run)} line(s) form no poster record (title, 'A · B · C' authors, abstract), "
                    f"starting {_preview(run[0][1])!r}; skipped") for run in runs]


def _preview(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
