"""python -m kg.train [--out DIR] [--max-minutes N] [--seed N]: train the span model and write its dev scores."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# One thread unless told otherwise: the machine's cores are shared. Set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from kg.train import DEFAULT_WORK_DIR, SHIPPED_MODEL_DIR, default_data_path  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m kg.train",
        description="Train kg's span model (spaCy NER over a hash-embedding CNN) on SciREX train, pick the "
        "checkpoint on held-out train papers, and score it once on SciREX dev.",
    )
    p.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR, help="pipeline folder to write (default: %(default)s)")
    p.add_argument("--work", type=Path, default=DEFAULT_WORK_DIR, help="corpora and report.json (default: %(default)s)")
    p.add_argument("--data", type=Path, default=None, help="scirex_fulltext.jsonl (default: $KG_SHARED/eval or ../shared/eval)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--max-minutes", type=float, default=45.0, help="guard: stop training after this many minutes (default: %(default)s)")
    p.add_argument("--max-steps", type=int, default=None, help="override config.cfg's [training] max_steps")
    p.add_argument("--eval-frequency", type=int, default=None, help="override config.cfg's [training] eval_frequency")
    p.add_argument("--empty-share", type=float, default=0.3, help="share of mention-less train sentences kept (default: %(default)s)")
    p.add_argument("--max-tokens", type=int, default=100, help="cut train sentences longer than this (default: %(default)s)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    data = args.data or default_data_path()
    if not data.is_file():
        print(f"error: training data not found: {data} (pass --data or set KG_SHARED)", file=sys.stderr)
        return 2
    from kg.train.loop import TrainOptions, train

    train(
        TrainOptions(
            data=data,
            out=args.out,
            work=args.work,
            seed=args.seed,
            max_minutes=args.max_minutes,
            max_steps=args.max_steps,
            eval_frequency=args.eval_frequency,
            empty_share=args.empty_share,
            max_tokens=args.max_tokens,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
