"""Analytics: values checked against answers computed by hand on tiny synthetic graphs,
then on the synthetic store (both backends), the CLI and the API."""

from __future__ import annotations

import doctest
import json
from itertools import combinations

import networkx as nx
import pytest
from typer.testing import CliRunner

from repgraph import analytics as A
from repgraph import service as S
from repgraph.analytics import brokers, centrality, communities, graph, paths
from repgraph.models import GraphEdge, GraphNode, Subgraph

# --------------------------------------------------------------------------- factories


def subgraph(edges: list[tuple[str, str]], labels: dict[str, str] | None = None, rel: str = "MEMBER_OF",
             extra_nodes: tuple[str, ...] = ()) -> Subgraph:
    """A Subgraph of the given undirected pairs (stored as source -> target)."""
    labels = labels or {}
    ids = sorted({n for e in edges for n in e} | set(extra_nodes))
    return Subgraph(
        nodes=[GraphNode(id=i, label=labels.get(i, "Person"), name=f"Name {i}") for i in ids],
        edges=[GraphEdge(id=f"{rel}:{a}:{b}", source=a, target=b, type=rel) for a, b in edges],
    )


PATH3 = [("a", "b"), ("b", "c")]
STAR = [("hub", "x"), ("hub", "y"), ("hub", "z")]
TWO_TRIANGLES = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]


# --------------------------------------------------------------------------- hand-computed answers


def test_degree_centrality_path_of_three():
    # degree / (n - 1): ends 1/2, middle 2/2
    assert A.degree_centrality(subgraph(PATH3)) == {"a": 0.5, "b": 1.0, "c": 0.5}


def test_betweenness_path_of_three():
    # the only pair of others (a, c) passes through b: 1 / ((n-1)(n-2)/2 = 1)
    assert A.betweenness_centrality(subgraph(PATH3)) == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert A.betweenness_centrality(subgraph(PATH3), normalized=False) == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_star_centrality():
    sg = subgraph(STAR)
    assert A.degree_centrality(sg) == {"hub": 1.0, "x": pytest.approx(1 / 3), "y": pytest.approx(1 / 3), "z": pytest.approx(1 / 3)}
    # 3 pairs of leaves, all through the hub; normalised by 3 pairs
    assert A.betweenness_centrality(sg) == {"hub": 1.0, "x": 0.0, "y": 0.0, "z": 0.0}
    assert A.betweenness_centrality(sg, normalized=False)["hub"] == 3.0


def test_two_triangles_centrality():
    sg = subgraph(TWO_TRIANGLES)
    deg = A.degree_centrality(sg)
    assert deg == pytest.approx({"a": 2 / 5, "b": 2 / 5, "c": 3 / 5, "d": 3 / 5, "e": 2 / 5, "f": 2 / 5})
    btw = A.betweenness_centrality(sg, normalized=False)
    # c lies on every path from {a, b} to {d, e, f}: 6 pairs; so does d for {a, b, c} x {e, f}
    assert btw == {"a": 0.0, "b": 0.0, "c": 6.0, "d": 6.0, "e": 0.0, "f": 0.0}
    assert A.betweenness_centrality(sg)["c"] == pytest.approx(6 / 10)  # (n-1)(n-2)/2 = 10 pairs


def test_articulation_points_and_bridges():
    assert A.articulation_points(subgraph(PATH3)) == ["b"]
    assert A.bridges(subgraph(PATH3)) == [("a", "b"), ("b", "c")]
    assert A.articulation_points(subgraph(STAR)) == ["hub"]
    assert A.bridges(subgraph(STAR)) == [("hub", "x"), ("hub", "y"), ("hub", "z")]
    assert A.articulation_points(subgraph(TWO_TRIANGLES)) == ["c", "d"]
    assert A.bridges(subgraph(TWO_TRIANGLES)) == [("c", "d")]


def test_articulation_points_none_in_a_cycle():
    ring = subgraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert A.articulation_points(ring) == []
    assert A.bridges(ring) == []


@pytest.mark.parametrize("method", ["louvain", "label_propagation"])
def test_communities_two_triangles(method):
    assert A.detect_communities(subgraph(TWO_TRIANGLES), method) == [["a", "b", "c"], ["d", "e", "f"]]


def test_modularity_two_triangles():
    # each side: 3 of 7 links inside, degree sum 7 of 14 -> 2 * (3/7 - (7/14)^2) = 5/14
    sg = subgraph(TWO_TRIANGLES)
    assert A.modularity(sg, [["a", "b", "c"], ["d", "e", "f"]]) == pytest.approx(5 / 14)
    assert A.modularity(subgraph([], extra_nodes=("a",)), [["a"]]) is None


def test_communities_unknown_method():
    with pytest.raises(ValueError, match="method"):
        A.detect_communities(subgraph(PATH3), "magic")


def test_shortest_paths_hand_computed():
    assert A.shortest_paths(subgraph(PATH3), "a", "c") == [["a", "b", "c"]]
    assert A.shortest_paths(subgraph(TWO_TRIANGLES), "a", "f") == [["a", "c", "d", "f"]]
    square = subgraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert A.shortest_paths(square, "a", "c") == [["a", "b", "c"], ["a", "d", "c"]]
    assert A.shortest_paths(square, "a", "c", limit=1) == [["a", "b", "c"]]
    assert A.shortest_paths(subgraph([("a", "b")], extra_nodes=("z",)), "a", "z") == []
    with pytest.raises(KeyError):
        A.shortest_paths(subgraph(PATH3), "a", "nowhere")


# --------------------------------------------------------------------------- conversion and reports


def test_to_networkx_leaves_documentation_out_and_merges_parallel_links():
    sg = Subgraph(
        nodes=[GraphNode(id="i", label="Incident"), GraphNode(id="p", label="Person"), GraphNode(id="s", label="Source"),
               GraphNode(id="st", label="Statistic")],
        edges=[GraphEdge(id="1", source="i", target="p", type="TARGETED"),
               GraphEdge(id="2", source="i", target="p", type="PERPETRATED_BY"),
               GraphEdge(id="3", source="i", target="s", type="DOCUMENTED_IN"),
               GraphEdge(id="4", source="st", target="s", type="DOCUMENTED_IN"),
               GraphEdge(id="5", source="p", target="p", type="FAMILY_OF")],
    )
    G = A.to_networkx(sg)
    assert sorted(G.nodes) == ["i", "p"]
    assert list(G.edges(data="types")) == [("i", "p", ["PERPETRATED_BY", "TARGETED"])]
    G_all = A.to_networkx(sg, exclude_labels=(), exclude_types=())
    assert sorted(G_all.nodes) == ["i", "p", "s", "st"] and G_all.number_of_edges() == 3


def test_centrality_report_lists_perpetrators_and_organizations_best_first():
    labels = {"inc": "Incident", "agent": "Person", "org": "Organization", "victim": "Person", "boss": "Person"}
    sg = subgraph([("inc", "agent"), ("inc", "victim"), ("agent", "org"), ("boss", "org")], labels)
    sg.edges[0].type = "PERPETRATED_BY"
    sg.nodes[0].properties = {"roles": ["official"]}  # "agent" sorts first: official by role too
    org = next(n for n in sg.nodes if n.id == "org")
    org.properties = {"kind": "police"}
    report = A.centrality_report(sg)
    assert [s.id for s in report.scores] == ["agent", "org"]  # boss and victim are not perpetrators
    # path victim-inc-agent-org-boss: agent between 2*... hand: pairs through agent:
    # (victim,org),(victim,boss),(inc,org),(inc,boss) = 4 of 6 -> 0.667; org: (boss, x) for x in 3 others = 3 of 6
    assert report.scores[0].betweenness == pytest.approx(4 / 6)
    assert report.scores[1].betweenness == pytest.approx(3 / 6)
    assert report.scores[0].degree == 2 and report.scores[0].degree_centrality == pytest.approx(0.5)
    everyone = A.centrality_report(sg, subjects="all", top=3)
    assert [s.id for s in everyone.scores] == ["agent", "inc", "org"]
    assert everyone.scope.nodes == 5 and everyone.scope.edges == 4
    with pytest.raises(ValueError, match="subjects"):
        A.centrality_report(sg, subjects="nobody")


def test_brokers_report_two_triangles():
    report = A.brokers_report(subgraph(TWO_TRIANGLES))
    assert [(b.entity.id, b.components_if_removed, b.communities) for b in report.articulation_points] == [
        ("c", 2, [0, 1]), ("d", 2, [0, 1])]
    [bridge] = report.bridges
    assert (bridge.source.id, bridge.target.id, bridge.types) == ("c", "d", ["MEMBER_OF"])
    assert bridge.side_sizes == [3, 3] and bridge.communities == [0, 1] and bridge.between_communities


def test_brokers_report_star_hub_splits_into_three():
    report = A.brokers_report(subgraph(STAR))
    assert [(b.entity.id, b.components_if_removed) for b in report.articulation_points] == [("hub", 3)]
    assert all(b.side_sizes in ([3, 1], [1, 3]) for b in report.bridges)


def test_communities_report_two_triangles():
    report = A.communities_report(subgraph(TWO_TRIANGLES))
    assert [[m.id for m in c.members] for c in report.communities] == [["a", "b", "c"], ["d", "e", "f"]]
    assert report.modularity == pytest.approx(5 / 14)
    assert report.seed == 42 and report.method == "louvain"
    assert A.communities_report(subgraph(TWO_TRIANGLES), method="label_propagation").seed is None


def test_analytics_doctests():
    for module in (graph, centrality, brokers, communities, paths):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# --------------------------------------------------------------------------- on the store (both backends)


def test_paths_on_the_synthetic_store(synthetic_store):
    report = A.paths_report(synthetic_store, "p-defender-beta", "p-defender-alpha")
    assert report.hops == 4
    assert [[n.id for n in p.nodes] for p in report.paths] == [
        ["p-defender-beta", "inc-beta-threat", "org-fake-police", "inc-alpha-detention", "p-defender-alpha"]]
    assert report.paths[0].relationships == [["TARGETED"], ["PERPETRATED_BY"], ["PERPETRATED_BY"], ["TARGETED"]]
    assert not report.truncated and report.excluded_types == ["DOCUMENTED_IN"]


def test_paths_agree_with_networkx_on_the_whole_graph(synthetic_store):
    whole = A.to_networkx(S.whole_graph(synthetic_store))
    people = sorted(n for n in whole if n.startswith("p-"))
    for a, b in combinations(people, 2):
        report = A.paths_report(synthetic_store, a, b, max_hops=8, limit=100)
        try:
            expected = sorted(nx.all_shortest_paths(whole, a, b))
        except nx.NetworkXNoPath:
            expected = []
        assert [[n.id for n in p.nodes] for p in report.paths] == expected, (a, b)


def test_paths_none_within_max_hops(synthetic_store):
    report = A.paths_report(synthetic_store, "p-defender-beta", "p-defender-alpha", max_hops=3)
    assert report.hops is None and report.paths == []


def test_paths_same_entity_and_unknown(synthetic_store):
    assert A.paths_report(synthetic_store, "p-defender-beta", "p-defender-beta").hops == 0
    with pytest.raises(S.NotFound):
        A.paths_report(synthetic_store, "p-defender-beta", "p-nobody")
    with pytest.raises(ValueError, match="max_hops"):
        A.paths_report(synthetic_store, "p-defender-beta", "p-defender-alpha", max_hops=0)


def test_analysis_subgraph_ego_and_whole(synthetic_store):
    sub, scope = A.analysis_subgraph(synthetic_store, "p-defender-alpha", depth=1)
    assert scope.root == "p-defender-alpha" and scope.depth == 1
    assert {n.id for n in sub.nodes} >= {"p-defender-alpha", "p-mother-alpha", "org-fake-ngo"}
    sub, scope = A.analysis_subgraph(synthetic_store, max_nodes=5)
    assert scope.truncated and len(sub.nodes) == 5 and scope.root is None
    report = A.centrality_report(*A.analysis_subgraph(synthetic_store)[:1])
    top = report.scores[0]
    # the political police links the two defenders' cases, the chain of command and its agents
    assert top.id == "org-fake-police"


# --------------------------------------------------------------------------- CLI and API


def test_cli_analyze_centrality_json(synthetic_db):
    from repgraph.cli import app

    result = CliRunner().invoke(app, ["analyze", "centrality", "--db", str(synthetic_db), "-f", "json", "--top", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scores"][0]["id"] == "org-fake-police" and len(data["scores"]) == 2


@pytest.mark.parametrize("command", [["centrality"], ["brokers"], ["communities"], ["communities", "--method", "label_propagation"],
                                     ["path", "p-defender-beta", "p-defender-alpha"], ["centrality", "--root", "p-defender-alpha"]])
def test_cli_analyze_tables(synthetic_db, command):
    from repgraph.cli import app

    result = CliRunner().invoke(app, ["analyze", *command, "--db", str(synthetic_db)])
    assert result.exit_code == 0, result.output


def test_cli_analyze_unknown_root(synthetic_db):
    from repgraph.cli import app

    result = CliRunner().invoke(app, ["analyze", "brokers", "--root", "p-nobody", "--db", str(synthetic_db)])
    assert result.exit_code == 2
    assert "p-nobody" in result.output


def _client(store):
    from api_access import client_for

    return client_for(store)


def test_api_analytics_centrality(synthetic_store):
    r = _client(synthetic_store).get("/analytics/centrality", params={"top": 1})
    assert r.status_code == 200
    assert r.json()["scores"][0]["id"] == "org-fake-police"


def test_api_analytics_brokers_and_communities(synthetic_store):
    client = _client(synthetic_store)
    r = client.get("/analytics/brokers", params={"root": "p-defender-alpha", "depth": 2})
    assert r.status_code == 200 and r.json()["scope"]["root"] == "p-defender-alpha"
    r = client.get("/analytics/communities", params={"method": "label_propagation"})
    assert r.status_code == 200 and r.json()["method"] == "label_propagation"


def test_api_analytics_path(synthetic_store):
    r = _client(synthetic_store).get("/analytics/path/p-defender-beta/p-defender-alpha")
    assert r.status_code == 200 and r.json()["hops"] == 4


def test_api_analytics_not_found(synthetic_store):
    client = _client(synthetic_store)
    assert client.get("/analytics/centrality", params={"root": "p-nobody"}).status_code == 404
    assert client.get("/analytics/path/p-nobody/p-defender-alpha").status_code == 404


def test_api_analytics_bad_parameters(synthetic_store):
    client = _client(synthetic_store)
    assert client.get("/analytics/centrality", params={"depth": 9}).status_code == 422
    assert client.get("/analytics/communities", params={"method": "magic"}).status_code == 422
    assert client.get("/analytics/path/a-1/b-1", params={"max_hops": 99}).status_code == 422


def test_human_rights_bodies_are_never_perpetrators(seed_store):
    """Regression: the IACHR, OHCHR, the report's authors and protection programmes were
    listed under 'centrality of perpetrators' on the real dataset."""
    from repgraph import service as S

    report = A.centrality_report(S.whole_graph(seed_store))
    kinds = {n.id: n.properties.get("kind") for n in S.whole_graph(seed_store).nodes}
    listed = {s.id for s in report.scores}
    assert listed, "the Treasury officials and their units are perpetrators"
    assert not {i for i in listed if kinds.get(i) in ("ngo", "international_body", "protection_program", "media")}
    assert "org-iachr" not in listed and "person-yendri-velasquez" not in listed
