"""Structured listings: JSON Lines and CSV with columns title, authors, abstract, date, url, venue."""
from __future__ import annotations

import csv
import io
import json
import re

from ..model import Skipped, SourceRef
from .base import Parsed, add, make_listing, oversize, too_long
from .similarity_page import parse_date

_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
FIELDS = ("title", "authors", "abstract", "date", "url", "venue")


def _authors(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value)
    for sep in (";", "|", " and ", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text.strip()] if text.strip() else []


def _date(value) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
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
    abstract = data.get("abstract")
    add(parsed, make_listing(
        fmt, file, line, title, authors=_authors(data.get("authors")),
        abstract=str(abstract) if abstract not in (None, "") else None, date=_date(data.get("date")),
        url=(str(data["url"]) if data.get("url") else None), venue=(str(data["venue"]) if data.get("venue") else None),
    ))


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
                parsed.skipped.append(Skipped(SourceRef(file, n), f"invalid JSON ({exc.msg} at column {exc.colno})"))
                continue
            _row(JsonLines.NAME, file, n, data, parsed)
        return parsed


class Csv:
    NAME = "csv"

    @staticmethod
    def score(lines: list[str]) -> float:
        header = next((line for line in lines if line.strip()), "")
        columns = {c.strip().strip('"').lower() for c in next(csv.reader([header]), [])}
        return 1.0 if "title" in columns and len(columns & set(FIELDS)) >= 2 else 0.0

    @staticmethod
    def parse(lines: list[str], file: str) -> Parsed:
        parsed = Parsed()
        reader = csv.reader(io.StringIO("\n".join(lines)))
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            return parsed
        if "title" not in header:
            parsed.skipped.append(Skipped(SourceRef(file, 1), "CSV header has no 'title' column"))
            return parsed
        csv.field_size_limit(10**8)
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
