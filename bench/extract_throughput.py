"""Throughput of the extractor: rules-only vs trained-model mode vs the bare spaCy pipeline.

Usage: python bench/extract_throughput.py [paths...]   (default: ../shared/seeds, else examples/)
Prints papers/second of each and the ratios measured in this one run; load time is not counted.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.extract import Extractor
from kg.extract.pipeline import RULES, base_pipeline, choose_model
from kg.ingest import read_paths

REPO = Path(__file__).resolve().parents[1]
# Rules mode on the seeds when issue 9 was filed (bench/extract_throughput.py, stop 11, this 2-core machine): the
# reference its throughput target is stated against.
BASELINE_RULES = 244.0


def default_paths() -> list[str]:
    seeds = REPO.parent / "shared" / "seeds"
    return [str(seeds if seeds.is_dir() else REPO / "examples")]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_texts(papers) -> list[str]:
    return [t for p in papers for t in (p.title, p.abstract) if t]


def main(argv: list[str]) -> int:
    papers = read_paths(argv or default_paths()).papers
    if not papers:
        print("no papers found", file=sys.stderr)
        return 1
    rates: dict[str, float] = {}
    rules = Extractor(model=RULES, span_model=False)
    rates["rules-only extractor (KG_SPAN_MODEL=0)"] = len(papers) / timed(lambda: rules.extract_corpus(papers))
    spans = Extractor(model=RULES, span_model=True)
    span_rate = len(papers) / timed(lambda: spans.extract_corpus(papers))
    model = choose_model(None)
    if model != RULES:
        trained = Extractor(model=model, span_model=False)
        rates[f"model extractor ({model})"] = len(papers) / timed(lambda: trained.extract_corpus(papers))
        bare = base_pipeline(model)
        texts = bare_texts(papers)
        rates[f"bare spaCy nlp.pipe ({model})"] = len(papers) / timed(lambda: list(bare.pipe(texts, batch_size=64)))
    print(f"{len(papers)} papers")
    for name, rate in rates.items():
        print(f"  {name:45s} {rate:8.1f} papers/s")
    print(f"  {'rules + trained span model (the default)':45s} {span_rate:8.1f} papers/s")
    rules_rate = rates["rules-only extractor (KG_SPAN_MODEL=0)"]
    print(f"  rules-only now / rules-only when issue 9 was filed ({BASELINE_RULES:.0f} papers/s, same machine)"
          f"  = {rules_rate / BASELINE_RULES:5.2f}x (target >= 0.5)")
    print(f"  rules + span model / that baseline = {span_rate / BASELINE_RULES:5.2f}x (target >= 0.5)")
    names = list(rates)
    if len(names) == 3:
        r, m, b = (rates[n] for n in names)
        print(f"  rules-only / model extractor  = {r / m:5.2f}x")
        print(f"  model extractor / bare spaCy  = {m / b:5.2f}x (share of time spent in spaCy itself)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
