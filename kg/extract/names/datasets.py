"""Dataset names around a dataset noun: "on CIFAR-10, CIFAR-100 and SVHN datasets", "benchmarks such as X"."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.lexicon import DATASET_CUES, DETERMINERS, NAME_STOP
from kg.extract.mentions import make_mention
from kg.extract.model import DATASET
from kg.extract.names.shapes import sentence_start, name_shape


_LIST_GLUE = {",", "and", "or", "&", "/", "as", "well"}


def dataset_lists(doc: Doc, words: list[Span]):
    """"on CIFAR-10, CIFAR-100 and SVHN datasets", "the Penn Treebank", "benchmarks such as X and Y",
    "the benchmark WMT10"."""
    out = []
    for index, run in enumerate(words):
        low = run.text.lower()
        if low not in DATASET_CUES:
            continue
        names = _names_before(doc, words, index)
        if run.text[:1].isupper() and names:
            names[0] = doc[names[0].start : run.end]  # "Penn Treebank": the cue is part of the name
        names += _names_after(doc, words, index)
        out.extend(make_mention(n, "dataset-cue", type=DATASET) for n in names)
    return out


def _names_before(doc: Doc, words: list[Span], index: int) -> list[Span]:
    names: list[Span] = []
    i = index - 1
    while i >= 0:
        run = words[i]
        glue = doc[run.end : words[i + 1].start]
        if any(t.text not in _LIST_GLUE for t in glue):
            break
        if run.text.lower() in _LIST_GLUE:
            i -= 1
            continue
        edition = run.text.isdigit() and i > 0 and _adjacent(doc, words[i - 1], run)
        if not _dataset_name_like(run) and not (edition and _dataset_name_like(words[i - 1])):
            break  # "CoNLL 2014 datasets": a number may end a name, never be one
        start = i
        while start > 0 and _adjacent(doc, words[start - 1], words[start]) and (
            _dataset_name_like(words[start - 1]) or _proper_article(words[start - 1])
        ):
            start -= 1
            if _proper_article(words[start]):
                break
        names.insert(0, doc[words[start].start : run.end])
        i = start - 1
    return names


def _names_after(doc: Doc, words: list[Span], index: int) -> list[Span]:
    """Names listed after the cue: "benchmarks (GLUE, SuperGLUE)", "datasets such as X and Y",
    "benchmarks: Sokoban, The Witness and ...", "the benchmark WMT10". Adjacent capitalised words
    make one name."""
    follow = [t.lower_ for t in doc[words[index].end : words[index].end + 3]]
    if not follow:
        return []
    appositive = follow[0] == ","  # "on four benchmark datasets, MovieLens-1M, Amazon Beauty and Steam, ..."
    listed = appositive or follow[0] in ("(", ":", "including", "like") or follow[:2] == ["such", "as"]
    if not listed:
        nxt = words[index + 1] if index + 1 < len(words) else None
        if nxt is not None and _adjacent(doc, words[index], nxt) and name_shape(nxt.text):
            return [nxt]  # "the benchmark WMT10": a coined name right after the cue
        return []
    names: list[Span] = []
    current: list[Span] = []
    for run in words[index + 1 : index + 16]:
        low = run.text.lower()
        if current and not _adjacent(doc, current[-1], run):
            names.append(doc[current[0].start : current[-1].end])
            current = []
        if low in ("such", "as", "including", "like", "e.g.", "and", "or"):
            continue
        if _dataset_name_like(run) or (current and run.text.isdigit()):  # "MORPH Album 2"
            current.append(run)
        elif not current and _proper_article(run):
            current.append(run)
        elif names or current:
            break
    if current:
        names.append(doc[current[0].start : current[-1].end])
    last = next((i for i, n in enumerate(names) if n.start and doc[n.start - 1].lower_ in ("and", "or")), None)
    if appositive and last is not None:
        names = names[: last + 1]  # the name after "and" ends the list
    if appositive and not _closed_list(doc, names):
        return []  # "on standard datasets, BERT and RoBERTa outperform ...": the sentence goes on, no list
    return [n for n in names if not _proper_article(n)]


def _closed_list(doc: Doc, names: list[Span]) -> bool:
    """Two or more names joined by "and"/"or" and closed by punctuation: an appositive list."""
    if len(names) < 2 or names[-1].end >= len(doc) or doc[names[-1].end].text not in (",", ".", ";", ")"):
        return False
    return doc[names[-1].start - 1].lower_ in ("and", "or")


def _adjacent(doc: Doc, left: Span, right: Span) -> bool:
    """Two word runs separated by plain space only (no comma, bracket or other token)."""
    return not len(doc[left.end : right.start]) and bool(doc[left.end - 1].whitespace_)


def _proper_article(run: Span) -> bool:
    """A capitalised "The" inside a sentence opens a proper name ("The Witness", "The Pile")."""
    return run.text == "The" and run.start != sentence_start(run)


def _dataset_name_like(run: Span) -> bool:
    """A word that can be (part of) a dataset name: it has a letter, is more than a single letter or
    symbol, and is not a determiner ("12 datasets", "N", "The", "A Benchmark" are not names)."""
    text = run.text
    if text in NAME_STOP or text.lower() in DATASET_CUES or text.lower() in DETERMINERS:
        return False
    if sum(c.isalpha() for c in text) < 2 and not name_shape(text):
        return False
    if run.start == sentence_start(run) and not name_shape(text):
        return False
    return bool(name_shape(text)) or text[:1].isupper()
