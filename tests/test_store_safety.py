"""The embedded store under concurrency and crashes: two loads at once lose nothing, reads go on during a
load, `kill -9` in the middle of a load leaves the previous state complete, and read commands never import
spaCy."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from conftest import EXAMPLES


def _synthetic(path, prefix: str, n: int) -> None:
    """n distinct papers built from the example abstracts (our own text), titles made unique."""
    rows = [json.loads(line) for line in (EXAMPLES / "extra.jsonl").read_text(encoding="utf-8").splitlines() if line]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            base = rows[i % len(rows)]
            handle.write(json.dumps({"title": f"{prefix} study {i}: {base['title']}", "authors": [f"{prefix} Author {i % 7}"],
                                     "abstract": base.get("abstract") or base["title"]}) + "\n")


def _kg(*args, store, **kw):
    env = {**os.environ, "KG_STORE": str(store), "KG_WORKERS": "1"}
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _papers(store) -> set[str]:
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "papers", "--json"],
                            capture_output=True, text=True, check=True)
    return {p["title"] for p in json.loads(result.stdout)}


def test_two_loads_at_once_lose_nothing_and_reads_go_on(tmp_path):
    store = tmp_path / "store"
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _synthetic(a, "Alpha", 300)
    _synthetic(b, "Beta", 300)
    subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load", str(EXAMPLES / "extra.jsonl"),
                    "--model", "rules"], check=True, capture_output=True)
    first = _kg("load", str(a), "--model", "rules", store=store)
    second = _kg("load", str(b), "--model", "rules", store=store)
    reads = 0
    while first.poll() is None or second.poll() is None:
        stats = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "stats", "--json"],
                               capture_output=True, text=True)
        assert stats.returncode == 0, stats.stderr
        reads += 1
    outputs = [p.communicate() for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert any("waiting for another `kg load`" in err for _, err in outputs)
    titles = _papers(store)
    assert sum(t.startswith("Alpha study") for t in titles) == 300
    assert sum(t.startswith("Beta study") for t in titles) == 300
    assert reads >= 1


def test_second_load_can_refuse_to_wait(tmp_path):
    store = tmp_path / "store"
    a = tmp_path / "a.jsonl"
    _synthetic(a, "Alpha", 300)
    first = _kg("load", str(a), "--model", "rules", store=store)
    time.sleep(1.5)
    second = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load",
                             str(EXAMPLES / "extra.jsonl"), "--model", "rules", "--no-wait"],
                            capture_output=True, text=True)
    first.communicate()
    if second.returncode != 0:  # the first load still held the store
        assert "another `kg load` is writing to it" in second.stderr
        assert second.stderr.strip().splitlines()[-1].startswith("kg: error:")


def test_kill_9_mid_load_keeps_the_previous_store(tmp_path):
    store = tmp_path / "store"
    subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load", str(EXAMPLES), "--model", "rules"],
                   check=True, capture_output=True)
    before = _papers(store)
    big = tmp_path / "big.jsonl"
    _synthetic(big, "Gamma", 1500)
    for delay in (1.0, 3.0, 6.0):
        victim = _kg("load", str(big), "--model", "rules", store=store)
        time.sleep(delay)
        if victim.poll() is None:
            victim.send_signal(signal.SIGKILL)
        victim.communicate()
        after = _papers(store)
        assert after == before or (victim.returncode == 0 and after > before)
        before = after
    assert {f.name for f in store.iterdir()} <= {"kg.sqlite", "kg.sqlite-wal", "kg.sqlite-shm", "load.lock"}
    check = subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                            "print(c.execute('PRAGMA integrity_check').fetchone()[0])", str(store / "kg.sqlite")],
                           capture_output=True, text=True)
    assert check.stdout.strip() == "ok"


def test_read_commands_do_not_import_spacy(tmp_path):
    store = tmp_path / "store"
    subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load", str(EXAMPLES), "--model", "rules"],
                   check=True, capture_output=True)
    probe = ("import sys, runpy; sys.argv = ['kg'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('kg.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY', file=sys.stderr)")
    for args in (["stats"], ["papers", "--limit", "3"], ["related", "Matryoshka"], ["query", "top-entities", "-p",
                 "label=Method"], ["view", "Matryoshka", "-o", str(tmp_path / "v.html")], ["map", "-o", str(tmp_path / "m.html")],
                 ["topics"], ["topics", "--json"], ["trends", "BERT"], ["--help"], ["--version"]):
        result = subprocess.run([sys.executable, "-c", probe, "--store", str(store), *args], capture_output=True,
                                text=True, cwd=tmp_path)
        assert result.stderr.strip().endswith("NO-SPACY"), (args, result.stderr[-500:])


def test_full_disk_mid_load_is_one_line_and_keeps_the_store(tmp_path):
    """A small tmpfs stands in for a full disk (needs mount rights; skipped where the machine refuses)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        import pytest

        pytest.skip("cannot mount a small tmpfs here: " + mounted.stderr.decode(errors="replace").strip())
    try:
        store = disk / "store"
        subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load", str(EXAMPLES / "extra.jsonl"),
                        "--model", "rules"], check=True, capture_output=True)
        before = _papers(store)
        big = tmp_path / "big.jsonl"
        _synthetic(big, "Delta", 3000)
        result = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(store), "load", str(big), "--model",
                                 "rules"], capture_output=True, text=True, env={**os.environ, "KG_WORKERS": "1"})
        assert result.returncode != 0
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines[-1].startswith("kg: error:") and "full" in lines[-1], result.stderr[-800:]
        assert "Traceback" not in result.stderr
        assert _papers(store) == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
