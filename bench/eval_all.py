"""Score the extractor on every gold set at hand and print one comparison table.

Gold sets: SciREX abstracts (recall against salient entities, precision against all mentions),
SciERC (P/R/F1 against its mentions) and our seed gold (joined to the seed listings via kg.ingest).
Extractors: kg.extract.Extractor with model="rules" and with its default model, plus a naive
acronym baseline so the numbers have a floor to be compared against.

    python bench/eval_all.py [--eval-dir ../shared/eval] [--seeds ../shared/seeds] [--full] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from kg.evaluation.evaluate import (
    ALL,
    HEADLINE,
    SCORED_TYPES,
    evaluate_docs,
    format_report,
    load_gold,
    texts_from_papers,
)

REPO = Path(__file__).resolve().parents[1]


class AcronymBaseline:
    """A floor, not a method: every parenthesised acronym and the words before it are a Method,
    a capitalised word before "dataset"/"corpus"/"benchmark" is a Dataset; tasks are never found."""

    _ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*?)s?\)")
    _DATASET = re.compile(r"\b([A-Z][A-Za-z0-9-]+(?: [A-Z0-9][A-Za-z0-9-]*)?) (?:data ?set|corpus|benchmark)s?\b")

    def extract_corpus(self, papers):
        return {p.id: self._extract(p.text) for p in papers}

    def _extract(self, text: str) -> list[tuple[str, list[str]]]:
        found = []
        for match in self._ACRONYM.finditer(text):
            short = match.group(1)
            words = text[: match.start()].split()
            size = sum(c.isupper() for c in short)
            found.append(("Method", [short, " ".join(words[-size:])] if 0 < size <= len(words) else [short]))
        found += [("Dataset", [m.group(1)]) for m in self._DATASET.finditer(text)]
        return found


def _gold_sets(args) -> list[tuple[str, list]]:
    sets = []
    scirex, scierc = args.eval_dir / "scirex_abstracts.jsonl", args.eval_dir / "scierc.jsonl"
    if scirex.is_file():
        docs = load_gold(scirex)
        sets += [("SciREX all", docs), ("SciREX dev", [d for d in docs if d.split == "dev"])]
    else:
        print(f"skip SciREX: {scirex} not found", file=sys.stderr)
    if scierc.is_file():
        docs = load_gold(scierc)
        sets += [("SciERC all", docs), ("SciERC test", [d for d in docs if d.split == "test"])]
    else:
        print(f"skip SciERC: {scierc} not found", file=sys.stderr)
    if args.seed_gold.is_file() and args.seeds.is_dir():
        from kg.ingest import read_paths

        papers = read_paths([args.seeds]).papers
        sets.append(("seed gold", load_gold(args.seed_gold, texts_from_papers(papers))))
    else:
        print(f"skip seed gold: {args.seed_gold} or {args.seeds} not found", file=sys.stderr)
    held_out = REPO / "tests" / "gold" / "examples_gold.jsonl"  # annotated blind to the extractor; never tuned on
    if held_out.is_file():
        sets.append(("examples gold (held out)", load_gold(held_out)))
    return sets


def _extractors(args) -> list[tuple[str, object]]:
    found = [("acronym baseline", AcronymBaseline())]
    try:
        from kg.extract import Extractor
    except ImportError as exc:
        print(f"skip kg.extract.Extractor: {exc}", file=sys.stderr)
        return found
    found.append(("rules", Extractor(model="rules")))
    if not args.rules_only:
        found.append(("default model", Extractor()))
    return found


def _pct(value) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def _summary_rows(name: str, gold_name: str, report, seconds: float) -> list[list[str]]:
    rows = []
    for fmt, scores in report.groups.items():
        s = scores[ALL]
        per_type = " ".join(f"{t[0]}:{_pct(getattr(scores[t], HEADLINE[fmt]))}" for t in SCORED_TYPES)
        rows.append([name, gold_name, str(s.docs), str(s.gold), str(s.pred), _pct(s.precision), _pct(s.recall),
                     _pct(s.f1), _pct(s.lenient_precision), HEADLINE[fmt], per_type, f"{seconds:.1f}s"])
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--seed-gold", type=Path, default=REPO / "tests" / "gold" / "seeds_gold.jsonl")
    parser.add_argument("--rules-only", action="store_true", help="skip the default (statistical) model")
    parser.add_argument("--full", action="store_true", help="also print the per-type table of every run")
    parser.add_argument("--json", type=Path, help="write every report as JSON here")
    args = parser.parse_args(argv)

    gold_sets = _gold_sets(args)
    header = ["extractor", "gold", "docs", "gold", "pred", "P", "R", "F1", "P(ment)", "headline",
              "headline per type (m/d/t)", "time"]
    rows, dumps = [header], []
    for name, extractor in _extractors(args):
        for gold_name, docs in gold_sets:
            start = time.perf_counter()
            report = evaluate_docs(docs, extractor, gold_name)
            seconds = time.perf_counter() - start
            rows += _summary_rows(name, gold_name, report, seconds)
            dumps.append({"extractor": name, **report.to_dict()})
            if args.full:
                print(f"== {name} ==\n{format_report(report)}\n")
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(c.ljust(w) if i < 2 or i == 10 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    if args.json:
        args.json.write_text(json.dumps(dumps, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
