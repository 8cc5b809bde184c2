"""Export and bulk-import benchmark on a kept scale store:

    python bench/scale.py --sizes 10000 --keep /tmp/kg-scale          # builds /tmp/kg-scale/store-10000
    python bench/export_import.py /tmp/kg-scale/store-10000 [--push]

Times, as whole `kg` processes: `kg export` in every format (peak RSS too), then `neo4j-admin database import
full` of the neo4j-csv files into a fresh server home sharing the jars of scripts/neo4j-local (.neo4j/lib, or
KG_NEO4J_LIB): wall time of the admin command (JVM start included) and the import time the tool reports, with
relationships per second for both. With --push, also a clean
`kg push --full` into a fresh server of the same build on spare ports, for the items/s to compare with.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from scale import run  # noqa: E402  (same process timing as the scale benchmark)


def neo4j_lib() -> Path:
    for candidate in (os.environ.get("KG_NEO4J_LIB"), REPO / ".neo4j" / "lib", REPO.parent / "main" / ".neo4j" / "lib"):
        if candidate and (Path(candidate) / ".pom-stamp").is_file():
            return Path(candidate)
    raise SystemExit("no Neo4j jars: run scripts/neo4j-local start once, or set KG_NEO4J_LIB")


def admin_import(csv_dir: Path, home: Path) -> tuple[float, str]:
    java = next((str(Path(h, "bin", "java")) for h in (os.environ.get("JAVA17_HOME"), "/usr/lib/jvm/java-17-openjdk-amd64")
                 if h and Path(h, "bin", "java").is_file()), "java")
    (home / "conf").mkdir(parents=True)
    (home / "lib").symlink_to(neo4j_lib())
    template = (REPO / "neo4j-runtime" / "neo4j.conf").read_text(encoding="utf-8")
    (home / "conf" / "neo4j.conf").write_text(template.replace("@BOLT_PORT@", "7699").replace("@HTTP_PORT@", "7486"),
                                              encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_OPTS", "HEAP_SIZE")}
    env.update(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    started = time.perf_counter()
    proc = subprocess.run([java, *os.environ.get("KG_IMPORT_JVM", "-Xmx1g").split(), "-cp", f"{home}/lib/*", f"-Dbasedir={home}",
                           "org.neo4j.server.startup.Neo4jAdminCommand", "database", "import", "full",
                           "--overwrite-destination", "neo4j", "@import.args"],
                          cwd=csv_dir, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed: {(proc.stdout + proc.stderr)[-2000:]}")
    return wall, proc.stdout


def import_seconds(log: str) -> float | None:
    """The import's own time as neo4j-admin reports it ("IMPORT DONE in 1m 9s 765ms"), JVM start-up excluded."""
    done = re.search(r"IMPORT DONE in ([^.\n]*)", log)
    if not done:
        return None
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return round(sum(float(n) * units[u] for n, u in re.findall(r"(\d+)(ms|h|m|s)\b", done.group(1))), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--formats", nargs="+", default=["graphml", "gexf", "json", "neo4j-csv"],
                        help="Export formats to time (neo4j-csv is always included: the import needs it).")
    parser.add_argument("--push", action="store_true", help="Also time a clean `kg push --full` into a fresh server on spare ports.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-export-bench-"))
    rows = {}
    try:
        names = {"graphml": "g.graphml", "gexf": "g.gexf", "json": "g.json", "neo4j-csv": "csv"}
        for fmt in [f for f in names if f in args.formats and f != "neo4j-csv"] + ["neo4j-csv"]:
            name = names[fmt]
            wall, rss, proc = run(["export", "--format", fmt, "-o", str(work / name), "--json"], args.store)
            report = json.loads(proc.stdout)
            size = (sum(f.stat().st_size for f in (work / name).iterdir()) if (work / name).is_dir()
                    else (work / name).stat().st_size) / 1e6
            rows[fmt] = {"export_s": round(wall, 2), "rss_mb": round(rss), "mb": round(size, 1)}
        nodes, rels = sum(report["nodes"].values()), sum(report["relationships"].values())
        wall, log = admin_import(work / "csv", work / "home")
        trends = {"trends_s": round(run(["trends", "--json"], args.store)[0], 2)}
        top = json.loads(run(["stats", "--json"], args.store)[2].stdout)["top"]
        term = next(iter(top.values()))[0]["name"]
        trends[f"trends_{term}_s"] = round(run(["trends", term, "--json"], args.store)[0], 2)
        tool_s = import_seconds(log)
        result = {"nodes": nodes, "relationships": rels, "exports": rows, "import_s": round(wall, 2),
                  "import_tool_s": tool_s,
                  "import_relationships_per_s": round(rels / wall), "import_items_per_s": round((nodes + rels) / wall),
                  "import_tool_relationships_per_s": round(rels / tool_s) if tool_s else None,
                  **trends}
        if args.push:
            # A fresh, empty server of the same build on spare ports (the shared test server stays untouched).
            home = work / "push-home"
            (home / "lib").parent.mkdir(parents=True)
            (home / "lib").symlink_to(neo4j_lib())
            bolt, http = os.environ.get("KG_BENCH_BOLT_PORT", "7696"), os.environ.get("KG_BENCH_HTTP_PORT", "7483")
            env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_BOLT_PORT": bolt, "NEO4J_HTTP_PORT": http,
                   "NEO4J_PASSWORD": "kg-bench-password"}
            script = str(REPO / "scripts" / "neo4j-local")
            print(json.dumps(result, indent=2), flush=True)  # what was measured, should the push part fail
            started = subprocess.run([script, "start"], env=env, capture_output=True, text=True)
            if started.returncode != 0:
                raise SystemExit(f"neo4j-local start failed: {(started.stdout + started.stderr)[-1500:]}")
            try:
                os.environ.update(NEO4J_URI=f"bolt://127.0.0.1:{bolt}", NEO4J_PASSWORD="kg-bench-password")
                wall, rss, _ = run(["push", "--full", "--json"], args.store)
            finally:
                subprocess.run([script, "stop"], env=env, capture_output=True, text=True)
            result.update(push_s=round(wall, 2), push_rss_mb=round(rss), push_items_per_s=round((nodes + rels) / wall),
                          push_relationships_per_s=round(rels / wall))
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
