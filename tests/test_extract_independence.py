"""A paper's entities do not depend on which other papers are loaded: only acronym and alias resolution may
use the corpus. Extracting a paper alone and inside the seeds gives the same entities, except names whose
every mention is a bare acronym or coined token (their expansion may be learned from another paper)."""
from __future__ import annotations

import re

import pytest

from conftest import SEEDS
from kg.ingest import read_paths

SAMPLE = 80
_SHORT_FORM = re.compile(r"^[\w.+/-]+$")


def _corpus_free(hits) -> dict[str, str]:
    """key -> type of the hits that some mention writes out in words (not only as a short form)."""
    out = {}
    for h in hits:
        texts = [e.text for e in h.evidence]
        if all(_SHORT_FORM.match(t) and any(c.isupper() for c in t[1:] + t[:1] * t.isupper()) for t in texts):
            continue  # "RPN" alone: its expansion may come from another paper
        out[h.key] = h.type
    return out


@pytest.fixture(scope="module")
def seed_papers():
    if not SEEDS.is_dir():
        pytest.skip(f"seed listings not present under {SEEDS}")
    return read_paths([SEEDS]).papers


def test_alone_equals_in_corpus(rules, seed_papers):
    together = rules.extract_corpus(seed_papers)
    step = max(1, len(seed_papers) // SAMPLE)
    sample = [p for p in seed_papers[::step] if p.abstract][:SAMPLE]
    assert len(sample) >= 10
    differences = []
    for paper in sample:
        alone = _corpus_free(rules.extract_corpus([paper])[paper.id])
        inside = _corpus_free(together[paper.id])
        if set(alone) != set(inside):
            differences.append((paper.title, sorted(set(alone) ^ set(inside))))
    assert not differences, differences
