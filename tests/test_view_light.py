"""A view reads its neighbourhood light (the last hop without properties), cuts it, and reads in full only what
survives the cut: the page must be exactly the one the full read would have drawn."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.queries.local_backend import LocalBackend
from kg.store import LocalStore
from kg.viz import ego_subgraph

from conftest import EXAMPLES, SHARED


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    store = tmp_path_factory.mktemp("light") / "store"
    sources = [str(EXAMPLES)] + ([str(SHARED / "seeds")] if (SHARED / "seeds").is_dir() else [])
    result = CliRunner().invoke(main, ["--store", str(store), "load", *sources, "--model", "rules"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    local = LocalStore(store)
    yield LocalBackend(local)
    local.close()


@pytest.mark.parametrize("term, radius, max_nodes", [("Transformer", 1, 40), ("ImageNet", 1, 300),
                                                      ("Kaiming He", 2, 60), ("BERT", 2, 25)])
def test_light_read_then_cut_equals_full_read_then_cut(backend, term, radius, max_nodes):
    def cut(graph, centers):
        return ego_subgraph(graph, centers, radius=radius, max_nodes=max_nodes)

    full, centers = backend.graph_around(term, hops=radius + 1, fan_out=max_nodes)
    expected = cut(full, centers)
    light, same_centers = backend.graph_around(term, hops=radius + 1, fan_out=max_nodes, cut=cut)
    assert same_centers == centers and expected.number_of_nodes() > 1
    assert dict(light.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(light.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    assert light.graph == expected.graph
