"""Gold annotations for `kg eval`: SciREX abstracts, SciERC and kg's simple format, read into one shape.

Gold sets name entities by how they are written (SciREX salient mentions, SciERC spans, our aliases), so every
entity keeps its surface forms, normalised for matching.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import KgError
from kg.extract.normalize import singular
from kg.ingest.text import clean_text, strip_accents
from kg.ingest.text import title_key as ingest_title_key

SCORED_TYPES = ("methods", "datasets", "tasks")
ALL = "all"

# Any type name a gold file or a predictor may use, mapped onto the three scored slots.
_TYPE_ALIASES = {
    "method": "methods", "methods": "methods",
    "dataset": "datasets", "datasets": "datasets", "material": "datasets",
    "task": "tasks", "tasks": "tasks", "concept": "tasks",
}
# Annotated types we do not score but still accept as "some entity" for the any-type precision view.
_OTHER_TYPES = {"metric", "otherscientificterm", "generic"}

# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212_/"
_SEPARATORS = re.compile(rf"[\s{re.escape(_DASHES)}]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")
# "the Cityscapes dataset" names the dataset Cityscapes; the head noun is dropped when a name precedes it.
_DATASET_HEAD = re.compile(r"(?<=\S)\s+(dataset|data set|database|corpus|corpora|benchmark)$")


def normalize_surface(text: str) -> str:
    """Readable matching form: accents and case folded, separators unified, edges trimmed, singular.

    A leading article and a trailing dataset head noun ("the X dataset" = "X") are dropped.
    Upper-case acronyms ("DAVIS", "MOTS") are not singularised unless the whole string is shouted
    (an all-caps title), while "LSTMs"/"GANs" lose their plural s.
    """
    text = strip_accents(text.translate(_QUOTES))
    shouted = text.upper() == text
    tokens = []
    for raw in _SEPARATORS.split(text):
        raw = raw.strip(".,;:!?\"'()[]{}<>*~|")
        if raw.endswith("'s"):
            raw = raw[:-2]
        if not raw:
            continue
        body = raw[:-1]
        if raw.isupper() and not shouted:
            token = raw.lower()  # an acronym: "DAVIS" is not the plural of "DAVI"
        elif raw.endswith("s") and len(body) >= 2 and body.isupper() and any(c.isalpha() for c in body):
            token = body.lower()  # "LSTMs", "CNNs"
        else:
            token = singular(raw.casefold()) if raw.isalpha() else raw.casefold()
        tokens.append(token)
    joined = _LEADING_ARTICLE.sub("", " ".join(tokens))
    return _DATASET_HEAD.sub("", joined).strip()


def match_key(text: str) -> str:
    """What two surface forms must share to match: the normalised form without spaces
    ("ResNet-50" = "resnet 50" = "ResNet50")."""
    return normalize_surface(text).replace(" ", "")


def _keys(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in (match_key(f) for f in forms if f) if k)


def title_key(title: str) -> str:
    """Join key for titles across sources: the raw gold title (LaTeX and all) goes through the same clean-up and
    merge key as ingested listings, so "$\\textbf{A}^2$…" in a gold file meets the ingested "A²…"."""
    return ingest_title_key(clean_text(title))


# ---------------------------------------------------------------------------------------------
# Gold loading
# ---------------------------------------------------------------------------------------------


@dataclass
class GoldEntity:
    """One gold entity of a document: its display name and every surface form it may be written as."""

    type: str  # one of SCORED_TYPES
    name: str
    forms: list[str]
    proposed: bool | None = None  # simple/seed gold: does the paper introduce it?

    @property
    def keys(self) -> frozenset[str]:
        return _keys([self.name, *self.forms])


@dataclass
class GoldDoc:
    """A gold document, whatever file format it came from.

    `entities` is the headline gold per scored type. `mentions` (SciREX all_mentions, SciERC spans)
    is the exhaustive mention layer per scored type, used for lenient precision; `other_mentions`
    holds the keys of annotated spans of unscored types (Metric, OtherScientificTerm, Generic).
    """

    id: str
    title: str
    abstract: str
    format: str  # "scirex", "scierc" or "simple"
    source: str  # "file:line"
    split: str | None = None
    entities: dict[str, list[GoldEntity]] = field(default_factory=dict)
    mentions: dict[str, frozenset[str]] | None = None
    other_mentions: frozenset[str] = frozenset()


def _read_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (1-based line, JSON object) for every non-blank line, with a one-line error otherwise."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise KgError(f"{path}: cannot read gold file ({exc.strerror or exc})") from exc
    with handle:
        for lineno, raw in enumerate(handle, 1):
            if b"\0" in raw:
                raise KgError(f"{path}:{lineno}: binary data, not a JSONL gold file")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise KgError(f"{path}:{lineno}: not valid UTF-8 (byte {exc.start + 1}); gold files are UTF-8 "
                              "JSONL") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KgError(f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
            if not isinstance(obj, dict):
                raise KgError(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
            yield lineno, obj


def _detect_format(obj: dict) -> str | None:
    if isinstance(obj.get("text"), str) and "entities" in obj:
        return "scierc"
    entity_lists = [obj.get(k) for k in SCORED_TYPES if isinstance(obj.get(k), list)]
    if "all_mentions" in obj or any(isinstance(e, dict) and "mentions" in e for lst in entity_lists for e in lst):
        return "scirex"
    if "title" in obj and ("abstract" in obj or "seed_file" in obj) and entity_lists:
        return "simple"
    return None


class _LineError(Exception):
    """A problem inside one record; turned into a KgError that names file and line."""


def _need(obj: dict, key: str, kind: type):
    value = obj.get(key)
    if not isinstance(value, kind):
        raise _LineError(f'field "{key}" must be a {kind.__name__}')
    return value


def _scirex_doc(obj: dict) -> GoldDoc:
    title = obj.get("title") or ""
    text = _need(obj, "abstract", str)
    if title and text.startswith(title + "\n"):
        body = text[len(title) + 1:]
    else:
        title, body = "", text  # no separate title: the body may begin with it (see the eval README)
    entities = {}
    for slot, entries in _slots(obj):
        entities[slot] = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("mentions"), list):
                raise _LineError(f'every "{slot}" entry needs a "mentions" list')
            # The cleaned SciREX name can be mangled ("SQuAD1 1"), so only the mentions are matched.
            entities[slot].append(GoldEntity(slot, str(entry.get("name", "")), [str(m) for m in entry["mentions"]]))
    mentions, other = _typed_mentions(obj.get("all_mentions", []), "all_mentions")
    # Salient entities keep the type SciREX assigned them by majority: they count for that slot too.
    for slot in SCORED_TYPES:
        mentions[slot] |= {k for e in entities[slot] for k in _keys(e.forms)}
    doc_id = str(obj.get("id", ""))
    return GoldDoc(doc_id, title, body, "scirex", "", obj.get("split"), entities,
                   {k: frozenset(v) for k, v in mentions.items()}, frozenset(other))


def _typed_mentions(spans, field_name: str) -> tuple[dict[str, set[str]], set[str]]:
    if not isinstance(spans, list):
        raise _LineError(f'field "{field_name}" must be a list')
    by_slot: dict[str, set[str]] = {slot: set() for slot in SCORED_TYPES}
    other: set[str] = set()
    for span in spans:
        if not isinstance(span, dict) or not isinstance(span.get("text"), str) or not isinstance(span.get("type"), str):
            raise _LineError(f'every "{field_name}" item needs "text" and "type" strings')
        key = match_key(span["text"])
        if not key:
            continue
        slot = _TYPE_ALIASES.get(span["type"].lower())
        if slot:
            by_slot[slot].add(key)
        elif span["type"].lower() in _OTHER_TYPES:
            other.add(key)
        else:
            raise _LineError(f'unknown entity type "{span["type"]}" in "{field_name}"')
    return by_slot, other


def _scierc_doc(obj: dict) -> GoldDoc:
    """SciERC gold: every typed span, one entity per distinct normalised text, and spans of the same
    type in one coreference cluster merged (so "CNN" and "convolutional network" are one entity)."""
    text = _need(obj, "text", str)
    spans = _need(obj, "entities", list)
    mentions, other = _typed_mentions(spans, "entities")
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    slots = [_TYPE_ALIASES.get(s["type"].lower()) for s in spans]
    keys = [match_key(s["text"]) for s in spans]
    first_by_key: dict[tuple[str, str], int] = {}
    for i, (slot, key) in enumerate(zip(slots, keys)):
        if slot and key:
            j = first_by_key.setdefault((slot, key), i)
            parent[find(i)] = find(j)
    clusters = obj.get("coref_clusters") or []
    if not isinstance(clusters, list):
        raise _LineError('field "coref_clusters" must be a list')
    for cluster in clusters:
        members = [i for i in cluster if isinstance(i, int) and 0 <= i < len(spans) and slots[i] and keys[i]]
        for slot in SCORED_TYPES:
            same = [i for i in members if slots[i] == slot]
            for i in same[1:]:
                parent[find(i)] = find(same[0])
    groups: dict[int, list[int]] = {}
    for i, (slot, key) in enumerate(zip(slots, keys)):
        if slot and key:
            groups.setdefault(find(i), []).append(i)
    entities: dict[str, list[GoldEntity]] = {slot: [] for slot in SCORED_TYPES}
    for members in groups.values():
        forms = list(dict.fromkeys(spans[i]["text"] for i in members))
        slot = slots[members[0]]
        entities[slot].append(GoldEntity(slot, forms[0], forms))
    return GoldDoc(str(obj.get("id", "")), "", text, "scierc", "", obj.get("split"), entities,
                   {k: frozenset(v) for k, v in mentions.items()}, frozenset(other))


def _slots(obj: dict) -> Iterator[tuple[str, list]]:
    """Each scored slot's entry list, refusing a slot that is not a list."""
    for slot in SCORED_TYPES:
        entries = obj.get(slot, [])
        if not isinstance(entries, list):
            raise _LineError(f'field "{slot}" must be a list')
        yield slot, entries


def _simple_entities(obj: dict) -> dict[str, list[GoldEntity]]:
    entities: dict[str, list[GoldEntity]] = {}
    for slot, entries in _slots(obj):
        entities[slot] = []
        for entry in entries:
            if isinstance(entry, str):
                entry = {"name": entry}
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
                raise _LineError(f'every "{slot}" entry needs a non-empty "name"')
            aliases = entry.get("aliases") or []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise _LineError(f'"aliases" of "{entry["name"]}" must be a list of strings')
            proposed = entry.get("proposed")
            entities[slot].append(GoldEntity(slot, entry["name"], [entry["name"], *aliases],
                                             bool(proposed) if proposed is not None else None))
    return entities


def _simple_doc(obj: dict, texts: dict[str, tuple[str, str | None]] | None) -> GoldDoc:
    title = _need(obj, "title", str)
    abstract = obj.get("abstract")
    if not isinstance(abstract, str):
        if abstract is not None:
            raise _LineError('field "abstract" must be a string')
        if texts is None:
            raise _LineError(f'no abstract and no paper texts supplied to join "{title[:60]}" (seed gold needs texts)')
        joined = texts.get(title_key(title))
        if joined is None:
            raise _LineError(f'title "{title[:60]}" not found among the {len(texts)} supplied papers')
        title, abstract = joined[0], joined[1] or ""
    return GoldDoc(str(obj.get("id") or title), title, abstract, "simple", "", obj.get("split"),
                   _simple_entities(obj))


def _normalise_texts(texts) -> dict[str, tuple[str, str | None]]:
    """Accept title → (title, abstract) mappings or Paper-like objects; key them by title_key."""
    if isinstance(texts, dict):
        return {title_key(k): tuple(v) for k, v in texts.items()}
    return {title_key(p.title): (p.title, p.abstract) for p in texts}


def texts_from_papers(papers) -> dict[str, tuple[str, str | None]]:
    """The `texts` mapping load_gold wants, built from ingested Paper records."""
    return {p.title: (p.title, p.abstract) for p in papers}


def load_gold(path, texts=None) -> list[GoldDoc]:
    """Read a gold JSONL file; every line may be SciREX, SciERC or our simple format.

    `texts` (title → (title, abstract), or Paper objects) supplies abstracts for seed-gold lines
    that only name a `seed_file`.
    """
    path = Path(path)
    keyed = _normalise_texts(texts) if texts is not None else None
    docs = []
    for lineno, obj in _read_lines(path):
        fmt = _detect_format(obj)
        try:
            if fmt == "scirex":
                doc = _scirex_doc(obj)
            elif fmt == "scierc":
                doc = _scierc_doc(obj)
            elif fmt == "simple":
                doc = _simple_doc(obj, keyed)
            else:
                raise _LineError("not a SciREX, SciERC or simple gold record (expected \"abstract\"+\"methods\", "
                                 "\"text\"+\"entities\", or \"title\"+\"methods\"/\"datasets\"/\"tasks\")")
        except _LineError as exc:
            raise KgError(f"{path}:{lineno}: {exc}") from None
        doc.source = f"{path}:{lineno}"
        doc.id = doc.id or doc.source
        docs.append(doc)
    if not docs:
        raise KgError(f"{path}: no gold documents in the file")
    return docs
