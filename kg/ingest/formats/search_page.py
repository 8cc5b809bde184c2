"""Paper-search result page: a title line then an abstract line, repeated; the first title is glued to "Subscribe"."""
from __future__ import annotations

import re

from .base import Parsed, add, looks_like_abstract, make_listing, oversize, reads_as_prose, too_long

NAME = "search"
_CHROME = re.compile(r"^(get trending papers in your email inbox.*|subscribe|new|daily papers)$", re.I)
_GLUED = re.compile(r"^Subscribe(?=\S)")


def score(lines: list[str]) -> float:
    """The glued "Subscribe" title is decisive; otherwise site chrome plus dense title/abstract alternation."""
    content = [line.strip() for line in lines if line.strip()]
    if not content:
        return 0.0
    glued = any(_GLUED.match(line) for line in content[:10])
    chrome = any(line.lower().startswith("get trending papers") for line in content[:10])
    long_lines = sum(1 for line in content if looks_like_abstract(line))
    blank_ratio = sum(1 for line in lines if not line.strip()) / max(1, len(lines))
    alternating = long_lines / max(1, len(content)) > 0.3 and blank_ratio < 0.1
    return min(1.0, (0.9 if glued else 0.0) + (0.3 if chrome else 0.0) + (0.4 if alternating else 0.0))


def parse(lines: list[str], file: str) -> Parsed:
    parsed = Parsed()
    title: tuple[int, str] | None = None
    for n, raw in enumerate(lines, 1):
        text = _GLUED.sub("", raw.strip())
        if not text or _CHROME.match(text):
            continue
        if too_long(text):
            add(parsed, oversize(file, n, text))
            title = None
            continue
        if looks_like_abstract(text) or (title is not None and reads_as_prose(text)):
            if title is None:
                add(parsed, make_listing(NAME, file, n, ""))  # an abstract with no title above it
            else:
                add(parsed, make_listing(NAME, file, title[0], title[1], abstract=text))
                title = None
        else:
            if title is not None:  # previous title had no abstract
                add(parsed, make_listing(NAME, file, title[0], title[1]))
            title = (n, text)
    if title is not None:
        add(parsed, make_listing(NAME, file, title[0], title[1]))
    return parsed
