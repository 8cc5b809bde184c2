"""Helpers every page-format parser shares: line shapes (title, author, abstract) and row building."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Listing, Skipped, SourceRef
from ..reader import MAX_LINE_CHARS
from ..text import clean_text

MAX_TITLE_CHARS = 1_000  # the longest real paper titles are a few hundred characters; more is a scraping accident

_FUNCTION_WORDS = {
    "a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "with", "via", "by", "from", "is", "are",
    "using", "without", "towards", "toward", "into", "at", "as", "do", "does", "can", "all", "you", "need",
}
# Words of paper titles that are not (or hardly ever) parts of people's names: they tell a short title such as
# "Segment Anything" from an author line when a lab page lists a paper without an abstract.
_TITLE_WORDS = {
    "learning", "neural", "model", "models", "network", "networks", "data", "training", "analysis", "theory",
    "segment", "anything", "transformer", "transformers", "diffusion", "graph", "graphs", "vision", "language",
    "image", "images", "video", "generative", "adversarial", "reinforcement", "representation", "representations",
    "embedding", "embeddings", "optimization", "inference", "attention", "retrieval", "agents", "robust",
    "efficient", "scalable", "unsupervised", "supervised", "self-supervised", "contrastive", "masked",
    "autoencoders", "autoencoder", "policy", "reasoning", "benchmark", "dataset", "detection", "segmentation",
    "recognition", "translation", "generation", "classification", "estimation", "prediction", "sampling",
    "gradient", "stochastic", "bayesian", "kernel", "kernels", "sparse", "dynamics", "control", "planning",
    "memory", "scaling", "laws", "pretraining", "pre-training", "fine-tuning", "prompting", "alignment",
    "paper", "study", "survey", "approach", "method", "methods", "framework", "algorithm", "algorithms",
    "problem", "problems", "system", "systems", "task", "tasks", "simple", "fast", "large", "abstract", "title",
}
_NAME_TOKEN = re.compile(r"^(?:[A-Za-zÀ-ÖØ-öø-ÿĀ-žḀ-ỿ'’\-]+\.?|[A-Z]\.(?:[A-Z]\.)*|[A-Z]\.-[A-Z]\.)$")


@dataclass
class Parsed:
    """Output of one parser over one file."""

    listings: list[Listing] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def looks_like_abstract(line: str) -> bool:
    """Abstracts are long running prose: many words and sentence punctuation."""
    words = line.split()
    return len(words) >= 25 or (len(words) >= 12 and line.rstrip().endswith((".", "…", ")")) and ". " in line)


def reads_as_prose(line: str) -> bool:
    """A short abstract ("We propose CaféNet, a tiny network.") rather than a title: it ends like a sentence and most
    words after the first are lower case, where titles capitalise their content words. Only for places where the
    page layout already expects an abstract, since one short sentence alone proves little."""
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 4 or not line.rstrip().endswith((".", "…")):
        return False
    return sum(1 for w in words[1:] if w[0].islower()) * 2 >= len(words) - 1


def looks_like_name(line: str) -> bool:
    """A person's name: 1–6 tokens, letters/initials only, no title-like function words."""
    text = line.strip()
    if not text or len(text) > 60 or any(ch in text for ch in ":?!,;()[]{}$\\/0123456789"):
        return False
    tokens = text.split()
    if not 1 <= len(tokens) <= 6:
        return False
    if any(t.lower() in _FUNCTION_WORDS or t.lower() in _TITLE_WORDS for t in tokens):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens) and any(t[0].isupper() for t in tokens)


def looks_like_listed_author(part: str) -> bool:
    """Looser test for one entry of a separator-joined author list: case and nicknames vary ("brian ichter",
    "Hao-Tien (Lewis) Chiang", "Hoi To Wai"), but digits, sentence punctuation and long phrases do not occur."""
    text = part.strip()
    if not text or len(text) > 80 or any(ch in text for ch in ":?!;$\\/0123456789{}[]"):
        return False
    return 1 <= len(text.split()) <= 8


def too_long(line: str) -> bool:
    return len(line) > MAX_LINE_CHARS


def oversize(file: str, number: int, line: str) -> Skipped:
    return Skipped(SourceRef(file, number), f"line is {len(line):,} characters (limit {MAX_LINE_CHARS:,}); row skipped")


def make_listing(fmt: str, file: str, line: int, title: str, **fields) -> Listing | Skipped:
    """Clean the text fields and refuse rows without a usable title."""
    title = clean_text(title)
    if not title or len(title) < 3:
        return Skipped(SourceRef(file, line), "row has no title")
    if len(title) > MAX_TITLE_CHARS:
        return Skipped(SourceRef(file, line), f"title is {len(title):,} characters (limit {MAX_TITLE_CHARS:,}); "
                                              "row skipped")
    if fields.get("abstract") is not None:
        fields["abstract"] = clean_text(fields["abstract"]) or None
    fields["authors"] = [clean_text(a) for a in fields.get("authors") or [] if clean_text(a)]
    return Listing(title=title, source=SourceRef(file, line), format=fmt, **fields)


def add(parsed: Parsed, row: Listing | Skipped) -> None:
    (parsed.listings if isinstance(row, Listing) else parsed.skipped).append(row)
