"""Document-level scoring of predicted entities against gold, and the report table."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .gold import _TYPE_ALIASES, ALL, SCORED_TYPES, GoldDoc, _keys

# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------

Prediction = tuple[str, frozenset[str]]  # (scored slot, match keys)


def _prediction_items(raw) -> list[Prediction]:
    """Predictions as (slot, keys): from EntityHit-like objects or (type, [surface forms]) pairs."""
    items = []
    for item in raw or []:
        if hasattr(item, "type") and hasattr(item, "name"):
            kind = item.type
            forms = [item.name, *getattr(item, "aliases", [])]
            forms += [e.text for e in getattr(item, "evidence", []) or []]
        else:
            kind, forms = item
            forms = [forms] if isinstance(forms, str) else list(forms)
        slot = _TYPE_ALIASES.get(str(kind).lower())
        if slot is None:
            continue  # a type no gold set annotates (e.g. a metric) is neither right nor wrong
        keys = _keys(forms)
        if keys:
            items.append((slot, keys))
    return items


def _max_matching(pred: list[frozenset[str]], gold: list[frozenset[str]]) -> int:
    """Size of a maximum one-to-one matching where a prediction and a gold entity share a key."""
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g, keys in enumerate(gold):
            if g not in seen and pred[p] & keys:
                seen.add(g)
                if g not in owner or augment(owner[g], seen):
                    owner[g] = p
                    return True
        return False

    return sum(augment(p, set()) for p in range(len(pred)))


@dataclass
class TypeScore:
    """Counts for one entity type over a set of documents, plus per-document sums for macro averages."""

    type: str
    docs: int = 0
    gold: int = 0
    pred: int = 0
    tp: int = 0
    lenient_correct: int | None = None  # predictions that match any annotated mention of the same type
    any_type_correct: int | None = None  # ... of any annotated type
    gold_found: int = 0  # gold entities some prediction matches, without the one-to-one constraint
    _macro: dict[str, list[float]] = field(default_factory=lambda: {"p": [], "r": [], "f1": []}, repr=False)

    @property
    def fp(self) -> int:
        return self.pred - self.tp

    @property
    def fn(self) -> int:
        return self.gold - self.tp

    @property
    def precision(self) -> float | None:
        return self.tp / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        return _f1(self.precision, self.recall)

    @property
    def found_recall(self) -> float | None:
        """Share of gold entities that any prediction matches: SciREX often gives many salient entities (48 Atari
        games) one shared mention, which a one-to-one matching can credit only once."""
        return self.gold_found / self.gold if self.gold else None

    @property
    def lenient_precision(self) -> float | None:
        return self.lenient_correct / self.pred if self.pred and self.lenient_correct is not None else None

    @property
    def any_type_precision(self) -> float | None:
        return self.any_type_correct / self.pred if self.pred and self.any_type_correct is not None else None

    def macro(self, name: str) -> float | None:
        values = self._macro[name]
        return sum(values) / len(values) if values else None

    def add_doc(self, gold: int, pred: int, tp: int, lenient: int | None, any_type: int | None,
                found: int = 0) -> None:
        self.docs += 1
        self.gold_found += found
        self.gold += gold
        self.pred += pred
        self.tp += tp
        if lenient is not None:
            self.lenient_correct = (self.lenient_correct or 0) + lenient
        if any_type is not None:
            self.any_type_correct = (self.any_type_correct or 0) + any_type
        p = tp / pred if pred else None
        r = tp / gold if gold else None
        if p is not None:
            self._macro["p"].append(p)
        if r is not None:
            self._macro["r"].append(r)
        if gold or pred:
            self._macro["f1"].append(_f1(p, r) or 0.0)

    def to_dict(self) -> dict:
        return {
            "type": self.type, "docs": self.docs, "gold": self.gold, "pred": self.pred,
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "macro_precision": self.macro("p"), "macro_recall": self.macro("r"), "macro_f1": self.macro("f1"),
            "lenient_correct": self.lenient_correct, "lenient_precision": self.lenient_precision,
            "gold_found": self.gold_found, "found_recall": self.found_recall,
            "any_type_correct": self.any_type_correct, "any_type_precision": self.any_type_precision,
        }


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


HEADLINE = {"scirex": "recall", "scierc": "f1", "simple": "f1"}


@dataclass
class Report:
    """Scores per gold format (a file may mix them) and per type, with an "all" row per format."""

    source: str
    groups: dict[str, dict[str, TypeScore]] = field(default_factory=dict)

    def headline(self, fmt: str) -> str:
        return HEADLINE[fmt]

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "groups": {
                fmt: {"headline": HEADLINE[fmt], "types": {t: s.to_dict() for t, s in scores.items()}}
                for fmt, scores in self.groups.items()
            },
        }


def score_predictions(gold_docs: list[GoldDoc], predictions: list, source: str = "") -> Report:
    """Score predictions given per document (same order as gold_docs)."""
    report = Report(source)
    for doc, raw in zip(gold_docs, predictions, strict=True):
        scores = report.groups.setdefault(doc.format, {t: TypeScore(t) for t in (*SCORED_TYPES, ALL)})
        items = _prediction_items(raw)
        totals = [0, 0, 0, 0 if doc.mentions is not None else None, 0 if doc.mentions is not None else None, 0]
        for slot in SCORED_TYPES:
            pred = [keys for s, keys in items if s == slot]
            gold = [e.keys for e in doc.entities.get(slot, [])]
            tp = _max_matching(pred, gold)
            lenient = any_type = None
            if doc.mentions is not None:
                every = frozenset().union(doc.other_mentions, *doc.mentions.values())
                lenient = sum(1 for keys in pred if keys & doc.mentions[slot])
                any_type = sum(1 for keys in pred if keys & every)
            found = sum(1 for keys in gold if any(keys & p for p in pred))
            scores[slot].add_doc(len(gold), len(pred), tp, lenient, any_type, found)
            for i, value in enumerate((len(gold), len(pred), tp, lenient, any_type, found)):
                if totals[i] is not None:
                    totals[i] += value
        scores[ALL].add_doc(*totals)
    return report


def score(gold_docs: list[GoldDoc], predict: Callable[[str, str], list], source: str = "") -> Report:
    """Run predict(title, abstract) on every gold document and score it."""
    return score_predictions(gold_docs, [predict(d.title, d.abstract) for d in gold_docs], source)


# ---------------------------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------------------------

_FORMAT_LABEL = {
    "scirex": "SciREX (recall vs salient gold; P(ment) vs all_mentions)",
    "scierc": "SciERC (P/R/F1 vs deduplicated mentions)",
    "simple": "simple gold",
}


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:5.1f}"


def format_report(report: Report) -> str:
    """A fixed-width table per gold format; the headline metric column is marked with *."""
    lines = [f"gold: {report.source}"] if report.source else []
    header = ["type", "docs", "gold", "pred", "TP", "FP", "FN", "P", "R", "F1", "R(any)", "P(ment)", "P(any)",
              "macroF1"]
    for fmt, scores in report.groups.items():
        headline = {"recall": "R", "f1": "F1"}[HEADLINE[fmt]]
        cols = [h + "*" if h == headline else h for h in header]
        lines.append(f"{_FORMAT_LABEL[fmt]}: {scores[ALL].docs} docs")
        rows = [cols]
        for name, s in scores.items():
            rows.append([name, str(s.docs), str(s.gold), str(s.pred), str(s.tp), str(s.fp), str(s.fn),
                         _pct(s.precision), _pct(s.recall), _pct(s.f1), _pct(s.found_recall),
                         _pct(s.lenient_precision),
                         _pct(s.any_type_precision), _pct(s.macro("f1"))])
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)
