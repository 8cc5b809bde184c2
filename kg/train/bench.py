"""python -m kg.train.bench [--abstracts FILE] [--model DIR]: the shipped span model on titles + abstracts.

Prints, with one thread: papers/s of the model alone and of a rules-mode pipeline with the kg_span_model component
(and of the rules base pipeline without it, for reference), and spaCy's entity scores on the dev abstracts of
scirex_abstracts.jsonl (its `all_mentions`, Material read as DATASET).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from spacy.training import Example  # noqa: E402

from kg.extract.pipeline import RULES, base_pipeline  # noqa: E402
from kg.extract.span_model import SPAN_MODEL_DIR, load_span_model  # noqa: E402
from kg.train import default_data_path  # noqa: E402

TYPES = {"Method": "METHOD", "Task": "TASK", "Material": "DATASET", "Dataset": "DATASET", "Metric": "METRIC"}


def papers_per_second(run, texts: list[str], repeats: int = 2) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _doc in run(texts):
            pass
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kg.train.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--abstracts", type=Path, default=default_data_path().with_name("scirex_abstracts.jsonl"))
    p.add_argument("--model", type=Path, default=SPAN_MODEL_DIR)
    args = p.parse_args(argv)
    records = [json.loads(line) for line in args.abstracts.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["abstract"] for r in records]  # the abstract field starts with the title line
    model = load_span_model(args.model)
    host = base_pipeline(RULES)
    host.add_pipe("kg_span_model", config={"model_path": str(args.model)})
    base = base_pipeline(RULES)
    result = {
        "papers": len(texts),
        "chars_per_paper": round(sum(map(len, texts)) / len(texts)),
        "threads": os.environ.get("OMP_NUM_THREADS"),
        "model_alone_papers_per_s": round(papers_per_second(lambda t: model.pipe(t, batch_size=64), texts), 1),
        "rules_plus_component_papers_per_s": round(papers_per_second(lambda t: host.pipe(t, batch_size=64), texts), 1),
        "rules_base_alone_papers_per_s": round(papers_per_second(lambda t: base.pipe(t, batch_size=64), texts), 1),
    }
    examples = []
    for record in (r for r in records if r["split"] == "dev"):
        reference = model.make_doc(record["abstract"])
        spans = []
        for m in record["all_mentions"]:
            span = reference.char_span(m["start_char"], m["end_char"], label=TYPES[m["type"]], alignment_mode="expand")
            if span is not None and not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(span)
        reference.ents = spans
        examples.append(Example(model.make_doc(record["abstract"]), reference))
    scores = model.evaluate(examples)
    result["dev_abstracts"] = {
        "papers": len(examples),
        **{k: scores[k] for k in ("ents_p", "ents_r", "ents_f", "ents_per_type")},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
