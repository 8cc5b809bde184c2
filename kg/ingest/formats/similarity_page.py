"""Paper-similarity / daily-papers page: title, abstract, "• N authors", "·", "Mon D[, YYYY] [upvotes]"."""
from __future__ import annotations

import re

from .base import Parsed, add, looks_like_abstract, make_listing, oversize, too_long

NAME = "similarity"
_AUTHORS = re.compile(r"^\s*[•·*]?\s*(\d+)\s+authors?\s*$")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DATE = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:, (\d{4}))?(?:\s+(\d+))?$")


def score(lines: list[str]) -> float:
    hits = sum(1 for line in lines if _AUTHORS.match(line))
    return min(1.0, hits / 3) if hits else 0.0


def parse_date(text: str) -> tuple[str | None, int | None]:
    """ "Feb 12, 2021 1" → ("2021-02-12", 1); "Aug 28" → ("--08-28", None): no guessed year."""
    match = _DATE.match(text.strip())
    if not match or match.group(1).lower() not in _MONTHS:
        return None, None
    month, day = _MONTHS[match.group(1).lower()], int(match.group(2))
    if not 1 <= day <= 31:
        return None, None
    year = match.group(3)
    date = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    return date, int(match.group(4)) if match.group(4) else None


def parse(lines: list[str], file: str) -> Parsed:
    parsed = Parsed()
    start = 0
    for i, line in enumerate(lines):
        match = _AUTHORS.match(line)
        if not match:
            continue
        block = [(n, lines[n].strip()) for n in range(start, i) if lines[n].strip()]
        end = i
        date = upvotes = None
        for n in range(i + 1, min(i + 4, len(lines))):  # "·" then the date line
            text = lines[n].strip()
            if text in ("", "·"):
                continue
            date, upvotes = parse_date(text)
            if date:
                end = n
            break
        start = end + 1
        big = [(n, t) for n, t in block if too_long(t)]
        if big:
            add(parsed, oversize(file, big[0][0] + 1, big[0][1]))
            continue
        if not block:
            add(parsed, make_listing(NAME, file, i + 1, ""))
            continue
        abstract = None
        if len(block) >= 2 and looks_like_abstract(block[-1][1]) and not looks_like_abstract(block[-2][1]):
            (title_line, title), abstract = block[-2], block[-1][1]
        else:
            title_line, title = block[-1]
        add(parsed, make_listing(NAME, file, title_line + 1, title, abstract=abstract,
                                 author_count=int(match.group(1)), date=date, upvotes=upvotes))
    return parsed
