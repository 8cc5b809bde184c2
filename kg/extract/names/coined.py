"""Coined tokens (DirectPred, GPT-3, 3DIEBench) and bare acronyms (BYOL), wherever they occur."""
from __future__ import annotations

from spacy.tokens import Span

from kg.extract.entity_types import type_from_context
from kg.extract.mentions import make_mention
from kg.extract.names.shapes import unit_after_number, name_shape


def coined_names(words: list[Span]):
    out = []
    for run in words:
        shape = name_shape(run.text)
        if shape is None or unit_after_number(run):
            continue
        rule = "coined-name" if shape == "coined" else "acronym"
        out.append(make_mention(run, rule, type=type_from_context(run), proposes=owned(run)))
    return out


_OWNERS = frozenset({"our", "the proposed", "our proposed"})


def owned(run: Span) -> bool:
    """"Our NeuMF instance", "the proposed DeCLIP": the paper calls the name its own."""
    doc = run.doc
    before = " ".join(t.lower_ for t in doc[max(0, run.start - 2) : run.start])
    return before in _OWNERS or before.rsplit(" ", 1)[-1] == "our"
