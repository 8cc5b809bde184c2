"""Topic quality and speed, in one run: Leiden against networkx's louvain, hub thresholds, and `kg topics` timings.

    python bench/topics.py                                   # seeds, SciERC, a generated 1k corpus
    python bench/topics.py --store 10000=/tmp/s10k --store 100000=/tmp/s100k

Tables:
1. Quality per corpus and method: modularity of the partition on its own weighted graph, topics, papers with a
   topic, and agreement (NMI) with a grouping made without kg's extraction:
   - ../shared/seeds: the page a paper was listed on (lab page, daily papers, poster session, two search
     result pages) and the page format (lab / daily / poster / search);
   - ../shared/eval/scierc.jsonl (500 abstracts; their ids name the venue): the field of the venue, NLP (ACL
     anthology), vision (CVPR, ICCV, ECCV), speech (INTERSPEECH, ICASSP) or ML/AI (NIPS, ICML, IJCAI, AAAI).
   NMI rises with the number of clusters even for random ones, so each row also gives the NMI of the same
   topic sizes shuffled over the papers (mean of 20 shuffles): the agreement above chance is the difference.
2. Hub threshold: the same measures when entities in more than X% of the papers stay out of the graph.
3. Time: leiden vs louvain on the same inputs (compute only, median of --repeat), and the whole `kg topics
   --recompute --json` process per corpus size (stores are copied first: a store is never modified).
4. The seeds' topics with names and sizes, for a person to judge.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO))

from kg.graph import topics as T  # noqa: E402
from kg.store.local import LocalStore  # noqa: E402
from kg.store.sql import unpack  # noqa: E402


def nmi(a: dict, b: dict) -> float:
    """Normalised mutual information (arithmetic mean of the entropies) of two labelings over their common keys."""
    keys = [k for k in a if k in b]
    n = len(keys)
    if not n:
        return 0.0
    ca, cb = Counter(a[k] for k in keys), Counter(b[k] for k in keys)
    joint = Counter((a[k], b[k]) for k in keys)
    ha = -sum(v / n * math.log(v / n) for v in ca.values())
    hb = -sum(v / n * math.log(v / n) for v in cb.values())
    mi = sum(v / n * math.log(v * n / (ca[x] * cb[y])) for (x, y), v in joint.items())
    return 2 * mi / (ha + hb) if ha + hb else 1.0


def shuffled_nmi(a: dict, b: dict, rounds: int = 20) -> float:
    keys = sorted(k for k in a if k in b)
    rng = random.Random(0)
    out = []
    for _ in range(rounds):
        labels = [a[k] for k in keys]
        rng.shuffle(labels)
        out.append(nmi(dict(zip(keys, labels)), b))
    return statistics.mean(out)


def kg(args: list[str], store: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    if proc.returncode:
        raise SystemExit(f"kg {' '.join(args)} failed: {proc.stderr[-800:]}")
    return time.perf_counter() - started, proc.stdout


# ----------------------------------------------------------------------------------------- corpora

def scierc_jsonl(path: Path) -> dict[str, str]:
    """SciERC abstracts as a kg jsonl file (first sentence as title, the id kept as venue); returns title → field."""
    fields = {}
    with path.open("w", encoding="utf-8") as out:
        for line in (SHARED / "eval" / "scierc.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = record["text"]
            match = re.match(r"(.+?[.!?])\s+(?=[A-Z])", text)
            title = match.group(1) if match else text[:120]
            out.write(json.dumps({"title": title, "abstract": text[len(title):].strip() if match else text,
                                  "authors": [], "venue": record["id"]}, ensure_ascii=False) + "\n")
            fields[record["id"]] = venue_field(record["id"])
    return fields


def venue_field(paper_id: str) -> str:
    prefix = re.split(r"[_\d-]", paper_id)[0]
    if prefix in ("CVPR", "ICCV", "ECCV"):
        return "vision"
    if prefix in ("INTERSPEECH", "ICASSP"):
        return "speech"
    if prefix in ("NIPS", "ICML", "IJCAI", "AAAI"):
        return "ml"
    return "nlp"  # ACL anthology ids: P, C, N, E, H, J, W, I, A, L, X, M, IJCNLP


SEED_FORMAT = {"000": "lab", "001": "daily", "002": "poster", "003": "search", "004": "search"}


def groupings(store: LocalStore, kind: str) -> dict[str, dict[str, str]]:
    """paper node id → independent group, per grouping; papers listed on several pages are left out."""
    out: dict[str, dict[str, str]] = {}
    for pid, record in store.conn.execute("SELECT id, record FROM papers"):
        data = unpack(record)
        nid = f"paper:{pid}"
        if kind == "scierc":
            out.setdefault("venue field", {})[nid] = venue_field(data.get("venue") or "")
        else:
            files = {Path(s.rsplit(":", 1)[0]).name[:3] for s in data["sources"]}
            if len(files) == 1:
                (f,) = files
                out.setdefault("seed page", {})[nid] = f
                out.setdefault("page format", {})[nid] = SEED_FORMAT.get(f, f)
    return out


def load(source: Path, store: Path) -> None:
    if not store.exists():
        kg(["load", str(source), "--model", "rules", "--json"], store)


# ------------------------------------------------------------------------------------------ tables

def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def quality_rows(name: str, corpus: T.TopicCorpus, groups: dict, method: str, hub_share: float = T.HUB_SHARE) -> list:
    started = time.perf_counter()
    result = T.compute_topics(corpus, method=method, hub_share=hub_share)
    seconds = time.perf_counter() - started
    topic_of = {p: t for p, t in result.membership.items() if p.startswith("paper:")}
    s = result.summary
    largest = max((t.papers for t in result.topics), default=0)
    rows = []
    for grouping, labels in groups.items():
        rows.append([name, method, f"{hub_share:.0%}" if hub_share < 1 else "none", s["modularity"], len(result.topics),
                     f"{s['with_topic']}/{s['papers']}", f"{largest / max(1, s['with_topic']):.0%}", grouping,
                     f"{nmi(topic_of, labels):.3f}", f"{shuffled_nmi(topic_of, labels):.3f}",
                     f"{nmi(topic_of, labels) - shuffled_nmi(topic_of, labels):+.3f}", f"{seconds:.2f}"])
    return rows


def disconnected(corpus: T.TopicCorpus, method: str) -> tuple[int, int]:
    """(communities that are not connected inside, communities) of the raw partition."""
    import igraph

    papers = sorted(set(corpus.papers))
    entities_of = T.paper_entities(papers, corpus.links)
    graph = T.cooccurrence_graph(entities_of, len(papers))
    membership = T.communities(graph, method)
    g = igraph.Graph(n=len(graph.nodes), edges=graph.edges)
    bad = 0
    for c in set(membership):
        members = [i for i, m in enumerate(membership) if m == c]
        if len(g.subgraph(members).connected_components()) > 1:
            bad += 1
    return bad, len(set(membership))


def compute_time(corpus: T.TopicCorpus, method: str, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = T.compute_topics(corpus, method=method)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result.summary["modularity"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", action="append", default=[], metavar="PAPERS=DIR",
                        help="a ready store to time (copied first), e.g. 100000=/tmp/kg10-scale2/store-100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-topics-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    corpora: dict[str, tuple[Path, str]] = {}
    if (SHARED / "seeds").is_dir():
        load(SHARED / "seeds", work / "seeds")
        corpora["seeds"] = (work / "seeds", "seeds")
    if (SHARED / "eval" / "scierc.jsonl").is_file():
        scierc_jsonl(work / "scierc.jsonl")
        load(work / "scierc.jsonl", work / "scierc")
        corpora["SciERC"] = (work / "scierc", "scierc")
    sized: dict[int, Path] = {}
    from bench.scale import make_corpus

    if not (work / "store-1000").exists():
        make_corpus(work / "corpus-1000.jsonl", 1000, seed=1000)
        load(work / "corpus-1000.jsonl", work / "store-1000")
    sized[1000] = work / "store-1000"
    for spec in args.store:
        n, _, path = spec.partition("=")
        copy = work / f"store-{n}"
        if not copy.exists():
            shutil.copytree(path, copy)
        sized[int(n)] = copy

    inputs = {}
    for name, (path, _) in corpora.items():
        store = LocalStore(path)
        with store.snapshot():
            inputs[name] = (store.topic_corpus(), groupings(store, corpora[name][1]))
        store.close()

    header = ["corpus", "method", "hubs out", "modularity", "topics", "papers with topic", "largest topic",
              "grouping", "NMI", "NMI shuffled", "above chance", "compute s"]
    rows = []
    for name, (corpus, groups) in inputs.items():
        for method in T.METHODS:
            rows += quality_rows(name, corpus, groups, method)
    print("## 1. Quality: leiden vs louvain (hubs: entities in more than 10% of the papers, at least 20)\n")
    print(table(header, rows))

    rows = []
    for name, (corpus, groups) in inputs.items():
        for share in (0.05, 0.10, 0.20, 1.0):
            rows += quality_rows(name, corpus, groups, "leiden", hub_share=share)
    print("\n## 2. Hub threshold (leiden)\n")
    print(table(header, rows))

    print("\n## 3. Time\n")
    rows = []
    for n, path in sorted(sized.items()):
        store = LocalStore(path)
        with store.snapshot():
            corpus = store.topic_corpus()
        store.close()
        row = [f"{n:,}"]
        for method in T.METHODS:
            seconds, q = compute_time(corpus, method, args.repeat if n < 100000 else 1)
            bad, total = disconnected(corpus, method)
            row += [f"{seconds:.2f}", q, f"{bad}/{total}"]
        whole, out = kg(["topics", "--recompute", "--json"], path)
        read, _ = kg(["topics", "--json"], path)
        data = json.loads(out)
        row += [f"{whole:.1f}", f"{read:.2f}", data["graph"]["entities"], f"{data['graph']['edges']:,}",
                len(data["topics"])]
        rows.append(row)
    print(table(["papers", "leiden compute s", "leiden modularity", "leiden disconnected communities",
                 "louvain compute s", "louvain modularity", "louvain disconnected communities",
                 "`kg topics --recompute` s (whole process)", "`kg topics` stored s", "graph entities",
                 "graph edges", "topics"], rows))

    if "seeds" in corpora:
        _, out = kg(["topics", "--json"], corpora["seeds"][0])
        data = json.loads(out)
        print(f"\n## 4. Topics of ../shared/seeds ({data['papers']} papers, {data['without_topic']} without a topic, "
              f"modularity {data['modularity']})\n")
        print(table(["#", "topic", "papers", "entities", "more entities", "top authors"],
                    [[t["id"], t["name"], t["papers"], t["members"], ", ".join(e["name"] for e in t["entities"][3:8]),
                      ", ".join(t["authors"][:3])] for t in data["topics"]]))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
