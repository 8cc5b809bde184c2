"""Structured listings: JSON Lines and CSV with columns title, authors, abstract, date, url, venue."""
from __future__ import annotations

import csv
import io
import json
import re

from ..model import Skipped, SourceRef
from ..reader import IngestError, MAX_LINE_CHARS
from .base import Parsed, add, make_listing, oversize, too_long
from .similarity_page import parse_date

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FIELDS = ("title", "authors", "abstract", "date", "url", "venue")
# The csv module refuses fields over 128 KiB by default, with an exception rather than a row; our own limit
# (MAX_LINE_CHARS, checked per cell) is the one that should speak, so the module's must sit well above it.
CSV_FIELD_LIMIT = 10**8


class _BadField(ValueError):
    """A JSON field of a type that has no text meaning (an object for authors, a list for an abstract)."""


def _kind(value) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean"}.get(type(value), type(value).__name__)


def _text(data: dict, name: str) -> str | None:
    """A scalar field as text; objects, lists and booleans would otherwise become "{'a': 1}" or "True"."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _BadField(f"field {name!r} is {_kind(value)}, not text; row skipped")
    return str(value)


def _authors(value) -> list[str]:
    """A list of names (null entries dropped) or one separator-joined string; anything else is refused."""
    if value is None:
        return []
    if isinstance(value, list):
        bad = next((i for i, v in enumerate(value) if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            raise _BadField(f"field 'authors' entry {bad + 1} is {_kind(value[bad])}, not a name; row skipped")
        return [v for v in value if v is not None]
    if not isinstance(value, str):
        raise _BadField(f"field 'authors' is {_kind(value)}: give a list of names or one ';'-separated string; "
                        "row skipped")
    text = value
    for sep in (";", "|", " and ", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text.strip()] if text.strip() else []


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if _ISO.match(text):
        return text
    return parse_date(text)[0] or text[:10]


def _row(fmt: str, file: str, line: int, data: dict, parsed: Parsed) -> None:
    if not isinstance(data, dict):
        parsed.skipped.append(Skipped(SourceRef(file, line), "not an object with a title field"))
        return
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        parsed.skipped.append(Skipped(SourceRef(file, line), "row has no title"))
        return
    try:
        fields = {"authors": _authors(data.get("authors")), "abstract": _text(data, "abstract"),
                  "date": _date(_text(data, "date")), "url": _text(data, "url"), "venue": _text(data, "venue")}
    except _BadField as exc:
        parsed.skipped.append(Skipped(SourceRef(file, line), str(exc)))
        return
    add(parsed, make_listing(fmt, file, line, title, **fields))


class JsonLines:
    NAME = "jsonl"

    @staticmethod
    def score(lines: list[str]) -> float:
        content = [line.strip() for line in lines if line.strip()]
        return 1.0 if content and content[0].startswith("{") and content[0].endswith("}") else 0.0

    @staticmethod
    def parse(lines: list[str], file: str) -> Parsed:
        parsed = Parsed()
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            if too_long(line):
                add(parsed, oversize(file, n, line))
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                parsed.skipped.append(Skipped(SourceRef(file, n), f"invalid JSON ({exc.msg}: column {exc.colno})"))
                continue
            _row(JsonLines.NAME, file, n, data, parsed)
        return parsed


class Csv:
    NAME = "csv"

    @staticmethod
    def score(lines: list[str]) -> float:
        header = next((line for line in lines if line.strip()), "")
        if too_long(header):
            return 0.0
        columns = {c.strip().strip('"').lower() for c in next(_reader([header]), [])}
        return 1.0 if "title" in columns and len(columns & set(FIELDS)) >= 2 else 0.0

    @staticmethod
    def parse(lines: list[str], file: str) -> Parsed:
        parsed = Parsed()
        reader = _reader(io.StringIO("\n".join(lines)))
        header = _header(reader, file)
        if header is None:
            return parsed
        if "title" not in header:
            parsed.skipped.append(Skipped(SourceRef(file, 1), "CSV header has no 'title' column"))
            return parsed
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                parsed.skipped.append(Skipped(SourceRef(file, reader.line_num), f"unreadable CSV row ({exc})"))
                continue
            n = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if any(too_long(c) for c in cells):
                add(parsed, oversize(file, n, max(cells, key=len)))
                continue
            if len(cells) != len(header):
                parsed.skipped.append(Skipped(SourceRef(file, n), f"{len(cells)} cells for {len(header)} columns"))
                continue
            _row(Csv.NAME, file, n, dict(zip(header, cells)), parsed)
        return parsed


def _reader(source):
    """A csv reader whose own field limit cannot fire before ours (see CSV_FIELD_LIMIT)."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(source)


def _header(reader, file: str) -> list[str] | None:
    """The lower-cased column names, None for an empty file; a header no CSV can have is a file-level error."""
    try:
        header = next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise IngestError(f"{file}:{reader.line_num}: unreadable CSV header ({exc})") from None
    longest = max(header, key=len, default="")
    if too_long(longest):
        raise IngestError(f"{file}:1: CSV header has a column name of {len(longest):,} characters "
                          f"(limit {MAX_LINE_CHARS:,}); not a listing header")
    return [h.strip().lower() for h in header]
