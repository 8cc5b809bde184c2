"""Training kg's own span model (issue 9): `python -m kg.train --help`.

Kept free of heavy imports so that `--help` is quick and the thread limits in __main__ are set before numpy loads.
"""
from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG_PATH = HERE / "config.cfg"
REPO = HERE.parents[1]
SHIPPED_MODEL_DIR = REPO / "kg" / "extract" / "span_model"
DEFAULT_WORK_DIR = REPO / "build" / "kg-train"


def default_data_path() -> Path:
    """SciREX full text beside the repo: $KG_SHARED/eval, else ../shared/eval."""
    shared = Path(os.environ.get("KG_SHARED", REPO.parent / "shared"))
    return shared / "eval" / "scirex_fulltext.jsonl"
