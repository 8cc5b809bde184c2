"""Records that leave the ingest layer: one `Listing` per parsed row, one `Paper` per distinct paper.

Everything downstream (extract, graph, store) only sees these, so page formats stay private to ingest.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where a listing row came from: file path as given and 1-based line of its title."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Listing:
    """One row of a scraped page, already cleaned (LaTeX, truncation markers) but not merged."""

    title: str
    source: SourceRef
    format: str
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    date: str | None = None  # ISO "YYYY-MM-DD"; "--MM-DD" when the page gave no year
    url: str | None = None
    venue: str | None = None
    badge: str | None = None  # award line such as "Outstanding Paper"
    author_count: int | None = None  # pages that only say "N authors"
    upvotes: int | None = None


@dataclass
class Paper:
    """A distinct paper: listings with the same normalised title merged, every source remembered."""

    id: str
    title: str
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    date: str | None = None
    url: str | None = None
    venue: str | None = None
    badge: str | None = None
    author_count: int | None = None
    upvotes: int | None = None
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Title and abstract as one string; extraction offsets of abstract hits are relative to the abstract."""
        return self.title if not self.abstract else f"{self.title}\n{self.abstract}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sources"] = [f"{s.file}:{s.line}" for s in self.sources]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Paper":
        data = dict(data)
        data["sources"] = [_parse_source(s) for s in data.get("sources", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _parse_source(text: str) -> SourceRef:
    file, _, line = text.rpartition(":")
    return SourceRef(file, int(line))


@dataclass
class Skipped:
    """A row (or file) that could not be used, with a reason a person can act on."""

    source: SourceRef
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class IngestResult:
    """What reading some paths produced: merged papers plus every skipped row."""

    papers: list[Paper]
    listings: list[Listing]
    skipped: list[Skipped] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: int = 0  # listing rows read (kept even when the rows themselves are not)
