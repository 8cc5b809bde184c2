"""`kg eval`: run the extractor over a gold file and score it (gold reading in kg.evaluation.gold, scoring in
kg.evaluation.scoring; both re-exported here as the module's public API)."""
from __future__ import annotations

import inspect
from pathlib import Path

from kg.errors import KgError

from .gold import (ALL, SCORED_TYPES, GoldDoc, GoldEntity, _read_lines, load_gold, match_key,  # noqa: F401
                   normalize_surface, texts_from_papers, title_key)
from .scoring import HEADLINE, Report, TypeScore, format_report, score, score_predictions  # noqa: F401

__all__ = ["ALL", "SCORED_TYPES", "HEADLINE", "GoldDoc", "GoldEntity", "Report", "TypeScore", "load_gold",
           "match_key", "normalize_surface", "title_key", "texts_from_papers", "score", "score_predictions",
           "format_report", "seed_texts", "evaluate_docs", "evaluate_file"]

# ---------------------------------------------------------------------------------------------
# Glue for the CLI
# ---------------------------------------------------------------------------------------------


def _seed_files(path: Path) -> list[str]:
    return sorted({obj["seed_file"] for _, obj in _read_lines(path)
                   if isinstance(obj.get("seed_file"), str) and not isinstance(obj.get("abstract"), str)})


def _resolve_seed(gold_path: Path, name: str) -> Path | None:
    """Find a seed listing named in seed gold: as given, next to the gold file, or in a `shared/seeds`
    or `seeds` folder of any ancestor (the project keeps seeds in ../shared/seeds)."""
    candidates = [Path(name), gold_path.parent / name]
    base = Path(name).name
    for folder in [gold_path.resolve().parent, *gold_path.resolve().parents]:
        candidates += [folder / "shared" / "seeds" / base, folder / "seeds" / base]
    return next((c for c in candidates if c.is_file()), None)


def seed_texts(gold_path) -> dict[str, tuple[str, str | None]] | None:
    """Ingest the seed listings a seed-gold file names, so its lines can be joined to abstracts."""
    gold_path = Path(gold_path)
    names = _seed_files(gold_path)
    if not names:
        return None
    found = [_resolve_seed(gold_path, n) for n in names]
    missing = [n for n, p in zip(names, found) if p is None]
    if missing:
        raise KgError(f"{gold_path}: seed file {missing[0]} not found (looked beside the gold file and in shared/seeds)")
    from kg.ingest import read_paths  # the ingest layer is only needed for seed gold

    return texts_from_papers(read_paths([str(p) for p in found]).papers)


def _hits_per_paper(result, papers: list) -> list:
    """extract_corpus may return {paper id: hits}, [hits] in paper order, or [(paper, hits)]."""
    if isinstance(result, dict):
        return [result.get(p.id, []) for p in papers]
    result = list(result)
    if len(result) != len(papers):
        raise KgError(f"extractor returned {len(result)} results for {len(papers)} papers")
    if result and isinstance(result[0], tuple) and len(result[0]) == 2 and hasattr(result[0][0], "title"):
        return [hits for _, hits in result]
    return result


def evaluate_docs(docs: list[GoldDoc], extractor, source: str = "", progress=None) -> Report:
    """Run extractor.extract_corpus over gold documents (as Paper records) and score its hits.

    `progress(n_done)` is handed to extract_corpus(papers, progress=...) when it takes one."""
    from kg.ingest.model import Paper

    papers = [Paper(id=f"gold-{i}", title=d.title, abstract=d.abstract) for i, d in enumerate(docs)]
    if "progress" in inspect.signature(extractor.extract_corpus).parameters:
        result = extractor.extract_corpus(papers, progress=progress)
    else:
        result = extractor.extract_corpus(papers)
        if progress is not None:
            progress(len(papers))
    return score_predictions(docs, _hits_per_paper(result, papers), source)


def evaluate_file(path, extractor, texts=None, progress=None) -> Report:
    """Load gold, run the extractor over its documents, score. Seed gold without `texts` is
    joined to the seed listings it names."""
    path = Path(path)
    if texts is None:
        texts = seed_texts(path)
    return evaluate_docs(load_gold(path, texts), extractor, str(path), progress)
