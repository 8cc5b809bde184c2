"""Relevance of `kg related`: precision@5 and MRR on a small hand-judged query set.

The judged queries live in bench/relevance_queries.json: query -> the paper titles (or, for the *-entity kinds, the
entity names) a person asking it wants in the top results, each with a note on how it was judged. They were written
from examples/ and the seed listings (../shared/seeds) without looking at kg's output. Titles that exist only in the
seeds ("expected_seeds") are dropped, and queries left with nothing are skipped, when the seeds are not loaded.

For every code checkout given with --kg-src (default: this one) the script loads examples/ (and the seeds, when
present) into a temporary store through the CLI (`python -m kg.cli`, with PYTHONPATH=DIR and the current directory
outside any checkout so DIR's code is the one imported), runs `related QUERY --json --limit 10` for every query and
prints one row per query and the means:

  P@5  expected items found among the first 5 rows of the ranked section / min(5, number of expected items),
       so a query with 2 expected papers scores 1.0 when both are in the top 5
  RR   1 / rank of the first row that is an expected item (0 when none is in the 10 rows)

The ranked section is "papers" (names are titles), or "datasets"/"authors"/... for the entity kinds. Both versions list
the nodes that match the term itself under "matches" and leave them out of the entity sections, and versions before
the "direct" key (31e84b4 and older) leave matched papers out of "papers" too. So the ranked list is read the way the
text output shows it: the section's own matches first (in match order), then its rows; a "papers" list that carries
"direct" flags already holds its matches and is taken as it is. `--strict` ranks the section's rows alone. Names are
compared after case folding and dropping everything but letters and digits. `--store DIR` goes before the subcommand,
which every version of the CLI accepts.

    python bench/relevance.py                                  # current code
    python bench/relevance.py --kg-src /tmp/kg-before --kg-src .   # before and after, side by side
    python bench/relevance.py --misses                         # also print the top 5 of every imperfect query
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = Path(__file__).with_name("relevance_queries.json")
TOP = 5
LIMIT = 10
LABELS = {"papers": "Paper", "methods": "Method", "datasets": "Dataset", "concepts": "Concept", "authors": "Author"}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^0-9a-z]+", "", "".join(c for c in text if not unicodedata.combining(c)).casefold())


def judged_queries(path: Path, with_seeds: bool) -> list[dict]:
    out = []
    for q in json.loads(path.read_text(encoding="utf-8"))["queries"]:
        items = list(q["expected"]) + (list(q.get("expected_seeds", [])) if with_seeds else [])
        if not items:
            continue
        alts = [[norm(a) for a in (item if isinstance(item, list) else [item])] for item in items]
        out.append({**q, "items": alts, "section": q.get("section", "papers")})
    return out


def score(ranked: list[str], items: list[list[str]]) -> tuple[float, float, int | None]:
    """(P@5, reciprocal rank, rank of the first expected row) of ranked names against expected items."""
    found: set[int] = set()
    first = None
    for rank, name in enumerate(ranked[:LIMIT], 1):
        n = norm(name)
        hit = next((i for i, alts in enumerate(items) if n in alts), None)
        if hit is None:
            continue
        if first is None:
            first = rank
        if rank <= TOP:
            found.add(hit)
    return len(found) / min(TOP, len(items)), (1.0 / first if first else 0.0), first


def ranked_names(data: dict, section: str, strict: bool = False) -> list[str]:
    rows = data.get(section) or []
    names = [r.get("name", "") for r in rows]
    if strict or (section == "papers" and any("direct" in r for r in rows)):
        return names[:LIMIT]
    listed = {r.get("id") for r in rows}
    matched = [m.get("name", "") for m in data.get("matches") or []
               if m.get("label") == LABELS.get(section) and m.get("id") not in listed]
    return (matched + names)[:LIMIT]


class Cli:
    """`python -m kg.cli` from one checkout, against one temporary store."""

    def __init__(self, src: Path, store: Path, workdir: Path):
        self.src, self.store, self.workdir = src, store, workdir
        self.env = {k: v for k, v in os.environ.items() if k not in ("KG_BACKEND", "KG_STORE", "PYTHONPATH")}
        self.env.update(PYTHONPATH=str(src), KG_WORKERS=os.environ.get("KG_WORKERS", "1"))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "kg.cli", "--store", str(self.store), *args]
        proc = subprocess.run(cmd, cwd=self.workdir, env=self.env, capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        return proc

    def imported_from(self) -> str:
        code = "import kg, os; print(os.path.dirname(os.path.dirname(os.path.abspath(kg.__file__))))"
        proc = subprocess.run([sys.executable, "-c", code], cwd=self.workdir, env=self.env,
                              capture_output=True, text=True, check=True)
        return proc.stdout.strip()

    def related(self, term: str) -> dict:
        proc = self.run("related", term, "--json", "--limit", str(LIMIT), check=False)
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]}
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            return {"error": f"bad JSON: {exc}"}


def evaluate(src: Path, inputs: list[Path], queries: list[dict], model: str, strict: bool) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="kg-relevance-"))
    try:
        cli = Cli(src, tmp / "store", tmp)
        where = Path(cli.imported_from()).resolve()
        if where != src.resolve():
            raise SystemExit(f"--kg-src {src}: python imports kg from {where} instead")
        t0 = time.perf_counter()
        cli.run("load", *map(str, inputs), "--model", model)
        load_s = time.perf_counter() - t0
        rows = []
        t0 = time.perf_counter()
        for q in queries:
            data = cli.related(q["query"])
            ranked = ranked_names(data, q["section"], strict)
            p5, rr, first = score(ranked, q["items"])
            rows.append({"query": q["query"], "kind": q["kind"], "section": q["section"], "p5": p5, "rr": rr,
                         "first": first, "top": ranked[:TOP], "error": data.get("error")})
        return {"src": str(src), "load_seconds": load_s, "query_seconds": time.perf_counter() - t0, "rows": rows,
                "p5": sum(r["p5"] for r in rows) / len(rows), "mrr": sum(r["rr"] for r in rows) / len(rows)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_run(label: str, run: dict, misses: bool) -> None:
    print(f"\n== {label}: {run['src']}  (load {run['load_seconds']:.1f}s, {len(run['rows'])} queries "
          f"{run['query_seconds']:.1f}s)")
    print(f"{'query':<44} {'kind':<15} {'P@5':>5} {'RR':>5} {'first':>5}")
    for r in run["rows"]:
        first = "-" if r["first"] is None else str(r["first"])
        note = f"  [{r['error']}]" if r["error"] else ""
        print(f"{_clip(r['query'], 44):<44} {r['kind']:<15} {r['p5']:5.2f} {r['rr']:5.2f} {first:>5}{note}")
        if misses and r["p5"] < 1.0:
            for i, name in enumerate(r["top"], 1):
                print(f"{'':6}{i}. {_clip(name, 100)}")
    print(f"{'mean':<44} {'':<15} {run['p5']:5.3f} {run['mrr']:5.3f}")


def print_summary(labels: list[str], runs: list[dict]) -> None:
    print("\n== summary")
    print(f"{'kg source':<40} {'P@5':>6} {'MRR':>6}")
    for label, run in zip(labels, runs):
        print(f"{_clip(label, 40):<40} {run['p5']:6.3f} {run['mrr']:6.3f}")
    kinds = sorted({r["kind"] for r in runs[0]["rows"]})
    print(f"\n{'by kind (P@5 / MRR)':<22}" + "".join(f"{_clip(l, 24):>26}" for l in labels))
    for kind in kinds:
        cells = []
        for run in runs:
            rs = [r for r in run["rows"] if r["kind"] == kind]
            cells.append(f"{sum(r['p5'] for r in rs) / len(rs):.2f} / {sum(r['rr'] for r in rs) / len(rs):.2f}"
                         f" (n={len(rs)})")
        print(f"{kind:<22}" + "".join(f"{c:>26}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kg-src", action="append", type=Path, default=None, metavar="DIR",
                    help="checkout whose kg package is run (repeatable; default: this checkout)")
    ap.add_argument("--examples", type=Path, default=REPO / "examples")
    ap.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds",
                    help="seed listings, loaded when the folder exists (default: ../shared/seeds)")
    ap.add_argument("--no-seeds", action="store_true", help="load examples/ only")
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--model", default="rules", help="extractor for `kg load --model` (default: rules)")
    ap.add_argument("--strict", action="store_true", help="rank the section's rows only, without its matches")
    ap.add_argument("--misses", action="store_true", help="print the top 5 rows of every query with P@5 < 1")
    ap.add_argument("--json", dest="json_out", type=Path, default=None, help="also write every row to this file")
    args = ap.parse_args(argv)

    with_seeds = not args.no_seeds and args.seeds.is_dir()
    inputs = [args.examples] + ([args.seeds] if with_seeds else [])
    queries = judged_queries(args.queries, with_seeds)
    srcs = [p.resolve() for p in (args.kg_src or [REPO])]
    print(f"{len(queries)} judged queries; loading {', '.join(map(str, inputs))}")
    runs = []
    for src in srcs:
        if not (src / "kg" / "cli.py").is_file():
            raise SystemExit(f"--kg-src {src}: no kg/cli.py there")
        runs.append(evaluate(src, inputs, queries, args.model, args.strict))
        print_run(str(src), runs[-1], args.misses)
    print_summary([str(s) for s in srcs], runs)
    if args.json_out:
        args.json_out.write_text(json.dumps(runs, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
