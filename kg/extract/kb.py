"""The curated knowledge base: canonical names, types and aliases of well-known methods, datasets, concepts.

Files are JSON lines {"name","type","kind","aliases","case_sensitive_aliases"} in kg/extract/data/.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError
from kg.extract.model import ENTITY_TYPES
from kg.extract.normalize import normalise

DATA_DIR = Path(__file__).parent / "data"
KB_FILES = ("methods.jsonl", "datasets.jsonl", "concepts.jsonl")


@dataclass
class KbEntry:
    name: str
    type: str
    kind: str = ""
    aliases: list[str] = field(default_factory=list)
    case_sensitive_aliases: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return normalise(self.name)

    def surface_forms(self) -> list[tuple[str, bool]]:
        """Every (form, case_sensitive) pair; short all-caps forms ("SAM", "GAN") always match by case."""
        forms: dict[str, bool] = {}
        for form in [self.name, *self.aliases]:
            forms.setdefault(form, _looks_like_acronym(form))
        for form in self.case_sensitive_aliases:
            forms[form] = True
        return list(forms.items())


def _looks_like_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return 0 < len(form) <= 5 and bool(letters) and all(c.isupper() for c in letters)


@dataclass
class KnowledgeBase:
    entries: list[KbEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_key: dict[str, KbEntry] = {}
        self.alias_keys: dict[str, str] = {}
        for entry in self.entries:
            self.by_key.setdefault(entry.key, entry)
        for entry in self.entries:
            for form, _ in entry.surface_forms():
                self.alias_keys.setdefault(normalise(form), entry.key)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, surface: str) -> KbEntry | None:
        """The entry a surface form (any case/plural/hyphenation) names, if any."""
        key = self.alias_keys.get(normalise(surface))
        return self.by_key.get(key) if key else None


def load_kb(data_dir: str | Path | None = None) -> KnowledgeBase:
    """Read every KB file present; a missing file is fine (an empty part), a broken line is an error."""
    folder = Path(data_dir) if data_dir else DATA_DIR
    entries: list[KbEntry] = []
    for name in KB_FILES:
        path = folder / name
        if path.exists():
            entries.extend(_read_entries(path))
    return KnowledgeBase(entries)


def _read_entries(path: Path) -> list[KbEntry]:
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entry = KbEntry(
                    name=data["name"],
                    type=data["type"],
                    kind=data.get("kind") or "",
                    aliases=list(data.get("aliases") or []),
                    case_sensitive_aliases=list(data.get("case_sensitive_aliases") or []),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"{path}:{number}: not a KB entry ({exc})") from exc
            if entry.type not in ENTITY_TYPES:
                raise ConfigError(f"{path}:{number}: type {entry.type!r} is not one of {', '.join(ENTITY_TYPES)}")
            entries.append(entry)
    return entries
