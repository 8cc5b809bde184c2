"""Ingest: scraped listing files → cleaned `Listing` rows → merged `Paper` records.

`read_paths` is the one entry point; formats are detected per file (or forced with `fmt`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from .formats import ALL_FORMATS, PAGE_FORMATS
from .merge import merge_into, merge_papers, paper_id, to_paper
from .model import IngestResult, Listing, Paper, Skipped, SourceRef
from .reader import IngestError, read_lines

LISTING_SUFFIXES = {".txt", ".jsonl", ".json", ".csv", ""}
MIN_SCORE = 0.3

__all__ = ["read_paths", "read_file", "detect_format", "expand_paths", "merge_papers", "paper_id",
           "IngestError", "IngestResult", "Listing", "Paper", "Skipped", "SourceRef", "FORMAT_NAMES"]
FORMAT_NAMES = tuple(ALL_FORMATS)


def detect_format(path: Path, lines: list[str]) -> str:
    """Pick the format by extension for structured files, else by which page parser is most confident."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json") or (suffix != ".csv" and ALL_FORMATS["jsonl"].score(lines) == 1.0):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    scores = {name: module.score(lines) for name, module in PAGE_FORMATS.items()}
    best = max(scores, key=scores.get)
    if scores[best] < MIN_SCORE:
        if ALL_FORMATS["csv"].score(lines) == 1.0:
            return "csv"
        raise IngestError(
            f"{path}: no known listing format (tried {', '.join(FORMAT_NAMES)}); pass --format to force one"
        )
    return best


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded to their listing files (sorted, hidden files skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts) and p.suffix.lower() in LISTING_SUFFIXES)
            if not found:
                raise IngestError(f"{path}: folder has no listing files (.txt, .jsonl, .csv)")
            files.extend(found)
        else:
            files.append(path)
    return files


def read_file(path: Path, fmt: str | None = None, encoding: str = "utf-8") -> tuple[list[Listing], list[Skipped]]:
    """Parse one file; file-level problems raise IngestError, row-level ones come back as Skipped."""
    lines = read_lines(path, encoding)
    name = fmt or detect_format(path, lines)
    if name not in ALL_FORMATS:
        raise IngestError(f"--format {name}: unknown format (choose from {', '.join(FORMAT_NAMES)})")
    parsed = ALL_FORMATS[name].parse(lines, str(path))
    if not parsed.listings and not fmt:
        raise IngestError(f"{path}: looks like the {name} format but no paper could be read from it")
    return parsed.listings, parsed.skipped


def _bad_file(path: Path, exc: IngestError) -> Skipped:
    """A file-level error as a skipped entry, keeping the line the message names ("f.csv:1: …"; 0 when none)."""
    match = re.match(rf"{re.escape(str(path))}(?::(\d+))?: (.*)", str(exc), re.S)
    if not match:
        return Skipped(SourceRef(str(path), 0), str(exc))
    return Skipped(SourceRef(str(path), int(match.group(1) or 0)), match.group(2))


def read_paths(
    paths: Iterable[str | Path],
    fmt: str | None = None,
    encoding: str = "utf-8",
    on_file: Callable[[Path], None] | None = None,
    skip_bad_files: bool = False,
    keep_listings: bool = True,
) -> IngestResult:
    """Read every listing under `paths` and merge rows into distinct papers (first-seen order).

    Files are merged as they are read; with keep_listings=False the rows themselves are dropped once merged
    (a large load then holds the corpus once, as papers)."""
    files = expand_paths(paths)
    listings: list[Listing] = []
    skipped: list[Skipped] = []
    merged: dict[str, Paper] = {}
    rows_read = 0
    for path in files:
        try:
            rows, bad = read_file(path, fmt, encoding)
        except IngestError as exc:
            if not skip_bad_files:
                raise
            skipped.append(_bad_file(path, exc))
            rows, bad = [], []
        rows_read += len(rows)
        for paper in merge_papers(to_paper(listing) for listing in rows):
            if paper.id in merged:
                merge_into(merged[paper.id], paper)
            else:
                merged[paper.id] = paper
        if keep_listings:
            listings.extend(rows)
        skipped.extend(bad)
        if on_file:
            on_file(path)
    return IngestResult(papers=list(merged.values()), listings=listings, skipped=skipped,
                        files=[str(f) for f in files], rows=rows_read)
