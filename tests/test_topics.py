"""`kg topics` on real listings: deterministic communities, names by lift, stored and read back, stale after a
load, shown by papers/related/trends."""
from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from kg.graph.topics import Topic, TopicCorpus, characteristic, compute_topics
from kg.store import LocalStore

from conftest import EXAMPLES, SEEDS, kg_run

@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("topics") / "store"
    kg_run(store, "load", str(EXAMPLES), "--json")
    kg_run(store, "topics", "--json")
    return store


@pytest.fixture(scope="module")
def seeds_corpus(tmp_path_factory) -> TopicCorpus:
    if not SEEDS.is_dir():
        pytest.skip(f"seed listings not present under {SEEDS}")
    store = tmp_path_factory.mktemp("seeds") / "store"
    kg_run(store, "load", str(SEEDS), "--json")
    local = LocalStore(store)
    try:
        with local.snapshot():
            return local.topic_corpus()
    finally:
        local.close()


def test_same_corpus_twice_gives_the_same_topics_whatever_the_input_order(seeds_corpus):
    first = compute_topics(seeds_corpus)
    rng = random.Random(7)
    papers, links = list(seeds_corpus.papers), list(seeds_corpus.links)
    rng.shuffle(papers)
    rng.shuffle(links)
    again = compute_topics(TopicCorpus(papers=papers, links=links, years=dict(seeds_corpus.years),
                                       authors=dict(seeds_corpus.authors), names=dict(seeds_corpus.names)))
    assert first.topics == again.topics
    assert first.membership == again.membership
    assert first.digest() == again.digest()
    assert len(first.topics) >= 5  # the seeds hold several lines of work, not one blob
    assert [t.id for t in first.topics] == list(range(1, len(first.topics) + 1))
    assert [t.papers for t in first.topics] == sorted((t.papers for t in first.topics), reverse=True)


def test_names_are_characteristic_not_the_most_frequent_entity(seeds_corpus):
    result = compute_topics(seeds_corpus)
    df = Counter(e for _, e in set(seeds_corpus.links))
    most_frequent = df.most_common(1)[0][0]
    leaders = Counter(t.entities[0] for t in result.topics)
    assert leaders[most_frequent] <= 1
    assert max(leaders.values()) == 1  # every topic is named after a different entity
    named_after_top = sum(most_frequent in t.entities[:3] for t in result.topics)
    assert named_after_top <= 1, [t.name for t in result.topics]
    # the leading entity of every topic is over-represented in it (lift > 1)
    n = len(set(seeds_corpus.papers))
    for topic in result.topics:
        lead = topic.entities[0]
        papers = [p for p, t in result.membership.items() if t == topic.id and p.startswith("paper:")]
        in_topic = sum(1 for p, e in set(seeds_corpus.links) if e == lead and p in set(papers))
        assert in_topic / len(papers) > df[lead] / n, topic.name


def test_a_hub_loses_to_a_specific_entity_it_outnumbers():
    # 1,000 papers; a hub in 400 of them and in 60 of the topic's 100; a specific entity in 40, 35 of them here
    assert characteristic(60, 100, 400, 1000) < characteristic(35, 100, 40, 1000)
    # and a one-off entity does not win on lift alone
    assert characteristic(1, 100, 1, 1000) < characteristic(35, 100, 40, 1000)


def test_hubs_stay_out_of_the_graph_but_belong_to_a_topic(seeds_corpus):
    result = compute_topics(seeds_corpus)
    hubs = result.summary["graph"]["hubs"]
    assert hubs, "the seeds have an entity in more than 10% of their papers"
    for hub in hubs:
        assert hub in result.membership


def test_stored_topics_read_back_identically(tmp_path, seeds_corpus):
    store = LocalStore(tmp_path / "store")
    kg_run(tmp_path / "store", "load", str(EXAMPLES / "extra.jsonl"), "--json")
    result = compute_topics(seeds_corpus)
    store.write_topics(result, revision=store.revision())
    try:
        assert store.topics() == result.topics
        sample = sorted(result.membership)[::7] + ["paper:nope", "method:nothing-like-it"]
        assert store.topic_of_nodes(sample) == {n: result.membership[n] for n in sample if n in result.membership}
        assert store.topics_state()["digest"] == result.digest()
        assert all(isinstance(t, Topic) for t in store.topics())
    finally:
        store.close()


def test_topics_json_on_the_examples(examples_store):
    data = json.loads(kg_run(examples_store, "topics", "--json").stdout)
    topics = data["topics"]
    assert topics and [t["id"] for t in topics] == list(range(1, len(topics) + 1))
    assert sum(t["papers"] for t in topics) + data["without_topic"] == data["papers"] == 33
    assert 0 < data["modularity"] <= 1 and data["method"] == "leiden"
    for t in topics:
        assert t["name"] and t["name"] == ", ".join(e["name"] for e in t["entities"][:3])
        assert all(e["id"].split(":")[0] in ("method", "dataset", "concept") for e in t["entities"])
        assert set(t["trend"]) >= {"years", "undated", "recent", "before", "change"}
        assert t["authors"]
    assert len({t["name"] for t in topics}) == len(topics)
    table = kg_run(examples_store, "topics").output
    assert topics[0]["name"].split(",")[0] in table


def test_load_makes_topics_stale_and_topics_recomputes_only_then(tmp_path):
    store = tmp_path / "store"
    kg_run(store, "load", str(EXAMPLES / "lab_publications.txt"), str(EXAMPLES / "daily_papers.txt"), "--json")
    first = kg_run(store, "topics", "--json")
    assert json.loads(first.stdout)["topics"]
    assert "computed" in first.stderr
    again = kg_run(store, "topics", "--json")
    assert "computed" not in again.stderr and again.stdout == first.stdout
    local = LocalStore(store)
    assert not local.topics_stale()
    local.close()
    kg_run(store, "load", str(EXAMPLES / "extra.jsonl"), "--json")
    local = LocalStore(store)
    assert local.topics_stale() and local.topics_state()["revision"] == 1 and local.revision() == 2
    local.close()
    papers = kg_run(store, "papers", "--json")
    assert "topics were computed before the last load" in papers.stderr
    third = kg_run(store, "topics", "--json")
    assert "computed" in third.stderr
    assert json.loads(third.stdout)["revision"] == 2
    assert json.loads(third.stdout)["papers"] > json.loads(first.stdout)["papers"]


def test_papers_and_related_show_the_topic(examples_store):
    local = LocalStore(examples_store)
    try:
        topics = {t.id: t.name for t in local.topics()}
        records = json.loads(kg_run(examples_store, "papers", "--json").stdout)
        of = local.topic_of_nodes(f"paper:{r['id']}" for r in records)
    finally:
        local.close()
    assert all("topic" in r for r in records)
    assert sum(r["topic"] is not None for r in records) >= 20
    for r in records:
        assert r["topic"] == topics.get(of.get(f"paper:{r['id']}"))
    related = json.loads(kg_run(examples_store, "related", "Matryoshka", "--json").stdout)
    assert related["papers"] and all("topic" in row for row in related["papers"])
    assert any(row["topic"] in topics.values() for row in related["papers"])
    table = kg_run(examples_store, "papers").output
    assert "topic" in table


def test_trends_accepts_a_topic_name(examples_store):
    name = json.loads(kg_run(examples_store, "topics", "--json").stdout)["topics"][0]["name"]
    data = json.loads(kg_run(examples_store, "trends", name, "--json").stdout)
    match = data["matches"][0]
    assert match["label"] == "Topic" and match["name"] == name
    assert match["papers"] == sum(match["years"].values()) + match["undated"]
    assert "(Topic)" in kg_run(examples_store, "trends", name).output


def test_a_store_without_topic_tables_reads_as_no_topics(tmp_path):
    store = tmp_path / "store"
    kg_run(store, "load", str(EXAMPLES), "--json")
    local = LocalStore(store)
    local.conn.execute("DROP TABLE topic_members")
    local.conn.execute("DROP TABLE topics")
    try:
        assert local.topics() == [] and local.topic_of_nodes(["paper:x"]) == {}
    finally:
        local.close()
    records = json.loads(kg_run(store, "papers", "--json").stdout)
    assert all(r["topic"] is None for r in records)
    assert json.loads(kg_run(store, "topics", "--json").stdout)["topics"]  # the first write creates the tables
