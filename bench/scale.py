"""Scale benchmark: load, grow and query synthetic corpora of N papers on the embedded store, in one run.

    python bench/scale.py                 # N = 1k, 10k, 100k
    python bench/scale.py --sizes 1000 10000 --repeat 3

The corpus is generated from text the project may use: sentences of the abstracts in examples/ and, when
present, ../shared/seeds and ../shared/eval (SciREX, SciERC). Each paper gets a unique title, 4-8 sentences,
2-6 authors from a fixed pool and a year. Every figure is a whole `kg` process (CLI start-up included), timed
here; peak RSS is the kg process's own (extraction workers are reported separately by the OS, not here).
Targets are those of issue 7; the last column says whether each was met.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))


def _texts() -> tuple[list[str], list[str], list[str]]:
    """(titles, sentences, author names) from the examples, seeds and eval sets."""
    from kg.ingest import read_paths

    titles, sentences, authors = [], [], []
    sources = [REPO / "examples"] + ([SHARED / "seeds"] if (SHARED / "seeds").is_dir() else [])
    for paper in read_paths(sources).papers:
        titles.append(paper.title)
        authors.extend(paper.authors)
        sentences.extend(_sentences(paper.abstract or ""))
    for name in ("scirex_abstracts.jsonl", "scierc.jsonl"):
        path = SHARED / "eval" / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = record.get("abstract") or record.get("text") or " ".join(
                " ".join(s) if isinstance(s, list) else str(s) for s in record.get("sentences", []))
            if record.get("title"):
                titles.append(record["title"])
            sentences.extend(_sentences(text))
    return titles, [s for s in sentences if 40 <= len(s) <= 400], sorted(set(authors))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def make_corpus(path: Path, n: int, seed: int, start: int = 0) -> None:
    titles, sentences, authors = _texts()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + n):
            title = f"{rng.choice(titles)} {_roman(i)}"
            abstract = " ".join(rng.sample(sentences, rng.randint(4, 8)))
            handle.write(json.dumps({"title": title, "authors": rng.sample(authors, rng.randint(2, 6)),
                                     "abstract": abstract, "date": f"{rng.randint(2015, 2025)}-01-01"},
                                    ensure_ascii=False) + "\n")


def _roman(i: int) -> str:
    """A unique, word-like suffix per paper ("part qxbf"), so titles differ without digits in names."""
    letters = "bcdfghjklmnpqrstvwxz"
    out = ""
    i += 1
    while i:
        i, r = divmod(i, len(letters))
        out += letters[r]
    return f"(part {out})"


def run(args: list[str], store: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak RSS (MB) of one kg process (output goes to files: a pipe could fill up)."""
    env = {**os.environ, "KG_STORE": str(store)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", *args], env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {stderr.strip()[-500:]}")
    return wall, usage.ru_maxrss / 1024, subprocess.CompletedProcess(args, code, stdout, stderr)


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) / 1e6


def terms_for(store: Path, k: int = 20) -> tuple[str, list[str]]:
    """The most connected entity and k entities spread over the connectivity range (median-ish ones)."""
    import sqlite3

    conn = sqlite3.connect(store / "kg.sqlite")
    top = conn.execute("SELECT name FROM nodes WHERE label != 'Author' ORDER BY papers DESC LIMIT 1").fetchone()[0]
    names = [r[0] for r in conn.execute(
        "SELECT name FROM nodes WHERE label != 'Author' AND papers >= 2 ORDER BY papers DESC, id")]
    conn.close()
    step = max(1, len(names) // k)
    return top, names[::step][:k]


def bench_size(n: int, work: Path, repeat: int) -> dict:
    corpus, extra = work / f"corpus-{n}.jsonl", work / f"extra-{n}.jsonl"
    make_corpus(corpus, n, seed=n)
    make_corpus(extra, max(1, n // 100), seed=n + 1, start=n)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    row: dict = {"papers": n}
    row["load_s"], row["load_rss_mb"], _ = run(["load", str(corpus), "--model", "rules", "--json"], store)
    row["store_mb"] = size_mb(store)
    row["plus1_s"], row["plus1_rss_mb"], _ = run(["load", str(extra), "--model", "rules", "--json"], store)
    top, spread = terms_for(store)
    timings = lambda args: statistics.median(run(args, store)[0] for _ in range(repeat))  # noqa: E731
    row["help_s"] = timings(["--help"])
    row["stats_s"] = timings(["stats", "--json"])
    row["related_top_s"] = timings(["related", top, "--json"])
    row["related_median_s"] = statistics.median(run(["related", t, "--json"], store)[0] for t in spread)
    row["view_s"] = timings(["view", spread[len(spread) // 2], "-o", str(work / "view.html"), "--json"])
    row["papers_json_s"] = run(["papers", "--json"], store)[0]
    row["query_s"] = timings(["query", "top-entities", "-p", "label=Method", "--json"])
    row["top_term"] = top
    return row


def bench_neo4j(n: int, work: Path, repeat: int) -> dict:
    """Push the N-paper store into an emptied Neo4j database (clean push, then an unchanged re-push), and
    time the read commands with --neo4j. Needs NEO4J_URI / NEO4J_PASSWORD (scripts/neo4j-local start)."""
    import neo4j

    store = work / f"store-{n}"
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ["NEO4J_PASSWORD"])
    with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
        with driver.session() as session:  # CALL … IN TRANSACTIONS needs an auto-commit transaction
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
    row: dict = {"papers": n}
    row["push_s"], row["push_rss_mb"], result = run(["push", "--json"], store)
    report = json.loads(result.stdout)
    written = report["written"]
    items = sum(written["nodes"].values()) + sum(written["relationships"].values())
    row["push_items"] = items
    row["push_items_per_s"] = items / row["push_s"]
    row["repush_s"] = run(["push", "--json"], store)[0]
    top, spread = terms_for(store)
    timings = lambda args: statistics.median(run(args + ["--neo4j"], store)[0] for _ in range(repeat))  # noqa: E731
    row["stats_s"] = timings(["stats", "--json"])
    row["related_top_s"] = timings(["related", top, "--json"])
    row["related_median_s"] = statistics.median(run(["related", t, "--json", "--neo4j"], store)[0] for t in spread)
    row["view_s"] = timings(["view", spread[len(spread) // 2], "-o", str(work / "view.html"), "--json"])
    return row


TARGETS_100K = {"load_s": 900, "load_rss_mb": 2048, "store_mb": 1024, "plus1_s": 60, "related_top_s": 1.0,
                "related_median_s": 0.5, "stats_s": 0.5, "help_s": 0.3, "view_s": 2.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="Keep corpora and stores in this folder.")
    parser.add_argument("--neo4j", action="store_true",
                        help="Also push each store into Neo4j and time the reads with --neo4j.")
    parser.add_argument("--only-neo4j", action="store_true",
                        help="Reuse the stores in --keep and run only the Neo4j part.")
    args = parser.parse_args()
    if args.only_neo4j:
        return neo4j_table([bench_neo4j(n, args.keep, args.repeat) for n in args.sizes])
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        print(f"… {n} papers", file=sys.stderr, flush=True)
        rows.append(bench_size(n, work, args.repeat))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    columns = ["papers", "load_s", "load_rss_mb", "store_mb", "plus1_s", "help_s", "stats_s", "related_top_s",
               "related_median_s", "view_s", "query_s", "papers_json_s"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |")
    print()
    for row in rows:
        print(f"{row['papers']} papers: {row['papers'] / row['load_s']:.0f} papers/s full load; "
              f"time(+1% papers) / time(full load) = {row['plus1_s'] / row['load_s']:.3f}; "
              f"most connected entity: {row['top_term']!r}")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"related latency at {last['papers']} / at {first['papers']}: most connected "
              f"{last['related_top_s'] / first['related_top_s']:.2f}x, median {last['related_median_s'] / first['related_median_s']:.2f}x")
    big = next((r for r in rows if r["papers"] >= 100000), None)
    if big:
        print("\n| target at 100k | measured | limit | met |\n|---|---|---|---|")
        for key, limit in TARGETS_100K.items():
            print(f"| {key} | {big[key]:.2f} | {limit} | {'yes' if big[key] <= limit else 'NO'} |")
    if args.neo4j:
        neo4j_table([bench_neo4j(n, work, args.repeat) for n in args.sizes])
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def neo4j_table(rows: list[dict]) -> None:
    columns = ["papers", "push_s", "push_items", "push_items_per_s", "repush_s", "stats_s", "related_top_s",
               "related_median_s", "view_s"]
    print("\nNeo4j (kg push, then reads with --neo4j)")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |")
    for row in rows:
        print(f"{row['papers']} papers: push writes {row['push_items_per_s']:.0f} items/s (whole command); "
              f"re-push of an unchanged store / clean push = {row['repush_s'] / row['push_s']:.3f}")


if __name__ == "__main__":
    main()
