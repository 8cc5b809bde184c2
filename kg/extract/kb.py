"""The curated knowledge base: canonical names, types and aliases of well-known methods, datasets, concepts.

Files are JSON lines {"name","type","kind","aliases","case_sensitive_aliases"} in kg/extract/data/.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError
from kg.extract.model import ENTITY_TYPES
from kg.extract.lexicon import CONCEPT_HEADS, METHOD_CUES, TITLE_NAME_HEADS
from kg.extract.normalize import normalise, singular

DATA_DIR = Path(__file__).parent / "data"
KB_FILES = ("methods.jsonl", "datasets.jsonl", "concepts.jsonl", "metrics.jsonl")


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

        self.shortened_keys = _shortened_keys(self.entries, self.alias_keys)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, surface: str) -> KbEntry | None:
        """The entry a surface form (any case/plural/hyphenation) names, if any."""
        key = self.alias_keys.get(normalise(surface))
        return self.by_key.get(key) if key else None


    def near(self, surface: str) -> KbEntry | None:
        """The entry a form names with its head noun left off or inflected differently: "Kullback-Leibler"
        for the KB's "Kullback-Leibler divergence", "temporal difference" for "temporal difference
        learning", "masked language model" for "masked language modeling". Only forms of two or more
        words, and only when a single entry fits, so a lone modifier ("image") never reaches a task."""
        key = normalise(surface)
        if len(key.split()) < 2:
            return None
        target = self.shortened_keys.get(key) or self.shortened_keys.get(_uninflected(key))
        return self.by_key.get(target) if target else None


def _uninflected(key: str) -> str:
    """The noun behind a last word in "-eling": "modeling"/"modelling" → "model" (the thing and the
    activity of building it are one node to a reader)."""
    words = key.split()
    for ending in ("elling", "eling"):
        if words and words[-1].endswith(ending):
            return " ".join([*words[:-1], words[-1][: -len(ending)] + "el"])
    return key


def _shortened_keys(entries: list[KbEntry], alias_keys: dict[str, str]) -> dict[str, str]:
    """Short form → entry key: each KB name of 3+ words without its last word, when that word is a common
    noun (not "CRF") and the rest reads as a name (no "of"/"and": "region of interest" is not ROI
    pooling), and each KB name ending in "-eling" with that word uninflected. A short form two entries
    share, or one that is itself a KB form, maps to nothing."""
    found: dict[str, set[str]] = {}
    inflected: set[str] = set()
    for entry in entries:
        key = entry.key
        keys = key.split()
        if len(keys) >= 3 and _common_noun(entry.name.split()[-1]) and not _JOINERS & set(keys[:-1]):
            found.setdefault(" ".join(keys[:-1]), set()).add(key)
        if len(keys) >= 2 and _uninflected(key) != key:
            found.setdefault(_uninflected(key), set()).add(key)
            inflected.add(_uninflected(key))
    names = [f" {key} " for key in {normalise(e.name) for e in entries} | set(alias_keys)]
    out = {}
    for short, keys in found.items():
        if len(keys) != 1 or short in alias_keys:
            continue
        if short in inflected:
            out[short] = next(iter(keys))
            continue
        if short.rsplit(" ", 1)[-1] in _COMPLETE_HEADS:
            continue  # "statistical learning" is a thing of its own, not short for statistical learning theory
        holders = {alias_keys.get(n.strip(), n.strip()) for n in names if f" {short} " in n}
        if len(holders) == 1:  # "monte carlo" also opens MCTS and ends MCMC: a term of its own, not a short form
            out[short] = next(iter(keys))
    return out


def _common_noun(word: str) -> bool:
    """"Divergence", "learning": a word, not a code or acronym ("CRF", "v2")."""
    return word.isalpha() and len(word) > 3 and not word.isupper() and word[1:].islower()


_COMPLETE_HEADS = frozenset(singular(w) for w in CONCEPT_HEADS | METHOD_CUES | TITLE_NAME_HEADS)
_JOINERS = frozenset("of in on the and or for to with by a an at from".split())


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
