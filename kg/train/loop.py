"""Training the span model: corpora → spaCy's training steps → the shipped pipeline folder → dev scores.

The run length is config.cfg's [training] max_steps (steps, so one seed gives one model); --max-minutes is only a
guard that stops early, which makes that run's result depend on the machine's speed (the report says so).
The checkpoint is picked on held-out train documents ("tune"); dev is evaluated once, at the end, on the saved
folder as it is shipped.
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import spacy
from spacy import util
from spacy.language import Language
from spacy.schemas import ConfigSchemaTraining
from spacy.tokens import DocBin
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import create_evaluation_callback, create_train_batches, train_while_improving
from spacy.util import registry, resolve_dot_names
from thinc.api import fix_random_seed

from kg.extract.pipeline import RULES, base_pipeline
from kg.train import CONFIG_PATH
from kg.train.corpus import LABELS, build_corpora

MODEL_NAME = "kg_span_model"
CREDIT = {
    "name": "SciREX",
    "author": "Jain, van Zuylen, Hajishirzi, Beltagy (ACL 2020)",
    "url": "https://github.com/allenai/SciREX",
    "license": "Apache-2.0",
}


@dataclass
class TrainOptions:
    data: Path
    out: Path
    work: Path
    seed: int = 0
    max_minutes: float = 45.0
    max_steps: int | None = None
    eval_frequency: int | None = None
    empty_share: float = 0.3
    max_tokens: int = 100


@dataclass
class TrainResult:
    options: dict[str, Any]
    corpora: dict[str, dict]
    steps: int = 0
    stopped_by_time: bool = False
    best_step: int = 0
    tune_f: float = 0.0
    checkpoints: list[tuple[int, float]] = field(default_factory=list)
    train_seconds: float = 0.0
    total_seconds: float = 0.0
    dev_seconds: float = 0.0
    dev: dict[str, Any] = field(default_factory=dict)
    size_bytes: int = 0


def train(opts: TrainOptions, log: IO = sys.stdout) -> TrainResult:
    t_start = time.monotonic()
    rules = base_pipeline(RULES)
    corpus_dir = opts.work / "corpus"
    say(log, f"converting {opts.data} → {corpus_dir}")
    stats = build_corpora(
        rules, opts.data, corpus_dir, seed=opts.seed, empty_share=opts.empty_share, max_tokens=opts.max_tokens
    )
    for name, st in stats.items():
        say(log, f"  {name}: {st.as_dict()}")
    result = TrainResult(options={k: str(v) for k, v in vars(opts).items()}, corpora={k: v.as_dict() for k, v in stats.items()})

    overrides: dict[str, Any] = {
        "paths.train": str(corpus_dir / "train.spacy"),
        "paths.dev": str(corpus_dir / "tune.spacy"),
        "system.seed": opts.seed,
    }
    if opts.max_steps is not None:
        overrides["training.max_steps"] = opts.max_steps
    if opts.eval_frequency is not None:
        overrides["training.eval_frequency"] = opts.eval_frequency
    config = util.load_config(CONFIG_PATH, overrides=overrides, interpolate=False)
    fix_random_seed(opts.seed)
    nlp = init_nlp(config)
    interpolated = nlp.config.interpolate()
    T = registry.resolve(interpolated["training"], schema=ConfigSchemaTraining)
    train_corpus, tune_corpus = resolve_dot_names(interpolated, [T["train_corpus"], T["dev_corpus"]])
    optimizer = T["optimizer"]
    fix_random_seed(opts.seed)
    steps = train_while_improving(
        nlp,
        optimizer,
        create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
        create_evaluation_callback(nlp, tune_corpus, T["score_weights"]),
        dropout=T["dropout"],
        accumulate_gradient=T["accumulate_gradient"],
        patience=T["patience"],
        max_steps=T["max_steps"],
        eval_frequency=T["eval_frequency"],
        exclude=T["frozen_components"],
        annotating_components=T["annotating_components"],
        before_update=T["before_update"],
    )
    say(log, f"training: max_steps={T['max_steps']} eval every {T['eval_frequency']} steps, guard {opts.max_minutes} min")
    t_train = time.monotonic()
    best_bytes: bytes | None = None
    deadline = t_train + opts.max_minutes * 60
    info: dict[str, Any] = {}
    for _batch, info, is_best in steps:
        result.steps = info["step"]
        if is_best is not None:
            f = float(info["other_scores"].get("ents_f") or 0.0)
            result.checkpoints.append((info["step"], round(f, 4)))
            say(
                log,
                f"  step {info['step']:>6} epoch {info['epoch']} words {info['words']:>9} "
                f"loss {info['losses'].get('ner', 0.0):10.1f} tune ents_f {f:.4f} ({info['seconds']}s){' *' if is_best else ''}",
            )
            if is_best:
                with nlp.use_params(optimizer.averages):
                    best_bytes = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
                result.best_step, result.tune_f = info["step"], f
        if time.monotonic() > deadline:
            result.stopped_by_time = True
            say(log, f"  stopped by the {opts.max_minutes}-minute guard at step {info['step']}")
            break
    if result.stopped_by_time:
        # The last steps since the previous evaluation count too.
        with nlp.use_params(optimizer.averages):
            scores = nlp.evaluate(tune_corpus(nlp))
            f = float(scores.get("ents_f") or 0.0)
            result.checkpoints.append((result.steps, round(f, 4)))
            if best_bytes is None or f > result.tune_f:
                best_bytes = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
                result.best_step, result.tune_f = result.steps, f
    result.train_seconds = round(time.monotonic() - t_train, 1)
    assert best_bytes is not None

    shipped = package(nlp.config, best_bytes)
    if opts.out.exists():
        shutil.rmtree(opts.out)
    shipped.to_disk(opts.out)
    result.size_bytes = folder_size(opts.out)

    t_dev = time.monotonic()
    loaded = spacy.load(opts.out)
    result.dev = evaluate(loaded, corpus_dir / "dev.spacy")
    result.dev_seconds = round(time.monotonic() - t_dev, 1)
    result.total_seconds = round(time.monotonic() - t_start, 1)
    write_meta(opts.out, result)
    (opts.work / "report.json").write_text(json.dumps(vars(result), indent=2, default=str) + "\n")
    say(log, f"dev: {json.dumps(result.dev, indent=1)}")
    say(log, f"saved {opts.out} ({result.size_bytes / 1e6:.2f} MB); report {opts.work / 'report.json'}")
    return result


def package(config, ner_bytes: bytes) -> Language:
    """A fresh pipeline holding only the trained weights: no training strings in its vocab, no optimizer state,
    and the rules-mode tokenizer (so the model sees the tokens it was trained on)."""
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    # A fresh rules pipeline: the one that converted the corpus has every corpus string in its tokenizer cache.
    nlp.tokenizer.from_bytes(base_pipeline(RULES).tokenizer.to_bytes())
    ner = nlp.get_pipe("ner")
    labels = sorted(LABELS.values())
    for label in labels:
        ner.add_label(label)
    # One placeholder example, only so that initialize can infer the layer shapes; the weights are replaced next.
    doc = nlp.make_doc(" ".join("x" * (i + 1) for i in range(len(labels))))
    example = Example.from_dict(doc, {"entities": [f"U-{label}" for label in labels]})
    nlp.initialize(lambda: [example])
    ner.from_bytes(ner_bytes, exclude=["vocab"])
    nlp.meta.update(
        {
            "name": MODEL_NAME,
            "version": "0.1.0",
            "description": "kg's typed span detector (METHOD/TASK/DATASET/METRIC): NER over a hash-embedding CNN, "
            "trained by `python -m kg.train` on SciREX train papers.",
            "license": "Apache-2.0",
            "sources": [CREDIT],
        }
    )
    return nlp


def evaluate(nlp: Language, docbin_path: Path) -> dict[str, Any]:
    """spaCy's entity scores (P/R/F overall and per type) of nlp on the gold docs of a DocBin."""
    gold = list(DocBin().from_disk(docbin_path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(ref.text), ref) for ref in gold]
    scores = nlp.evaluate(examples, batch_size=256)
    keep = ("ents_p", "ents_r", "ents_f", "ents_per_type", "speed")
    return {key: scores[key] for key in keep if key in scores}


def write_meta(out: Path, result: TrainResult) -> None:
    path = out / "meta.json"
    meta = json.loads(path.read_text())
    meta["performance"] = {k: v for k, v in result.dev.items() if k != "speed"}
    meta["kg_training"] = {
        "seed": result.options["seed"],
        "steps": result.steps,
        "best_step": result.best_step,
        "stopped_by_time": result.stopped_by_time,
        "train_seconds": result.train_seconds,
        "corpora": {name: {k: st[k] for k in ("papers", "docs", "tokens", "kept")} for name, st in result.corpora.items()},
    }
    path.write_text(json.dumps(meta, indent=2) + "\n")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def say(log: IO, text: str) -> None:
    log.write(text + "\n")
    log.flush()
