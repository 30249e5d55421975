"""Views draw every relationship they were given, caps keep the nearest, large stores are
sampled by structure and say so, and each exit names its own knobs (issue 8, items 6, 20,
21, 22, 24). Both backends where a store is involved; the browser half (DataSet counts)
is in tests/test_viz_browser.py."""

from __future__ import annotations

import sys
from collections import deque
from pathlib import Path

import pytest
from api_access import client_for
import yaml
from typer.testing import CliRunner

from repgraph import service as S
from repgraph import viz
from repgraph.analytics import analysis_subgraph, centrality_report, communities_report
from repgraph.ingest import ingest_case_file
from repgraph.limits import MAX_VIEW_NODES
from repgraph.viz.render import cap, render_html
from test_viz import page_data

#: One defender, two exiles to one country (2019-06 by air; 2024-09 by irregular crossing,
#: the second with an id suffix); one incident with two PERPETRATED_BY (ordered, direct)
#: to one official who holds a post. Fake names.
PARALLEL_CASE = {
    "dataset": {"name": "synthetic-parallel", "title": "Parallel relationships (fake)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-par", "name": "Fake Parallel Report", "type": "report", "title": "Fake Parallel Report"},
        {"label": "Person", "id": "p-ana-ficticia", "name": "Ana Ficticia", "roles": ["defender"]},
        {"label": "Person", "id": "p-pedro-ejemplo", "name": "Pedro Ejemplo Núñez", "roles": ["official"]},
        {"label": "Organization", "id": "org-par-police", "name": "Fake Parallel Police", "kind": "police"},
        {"label": "Position", "id": "pos-par-chief", "name": "Chief of the Fake Parallel Police"},
        {"label": "Country", "id": "country-par-host", "name": "Fakehostia"},
        {"label": "Incident", "id": "inc-par-detention", "name": "Detention of Ana Ficticia", "type": "arbitrary_detention",
         "date": "2024-08-03", "citations": [{"source": "src-par", "quote": "Ana Ficticia was detained."}]},
    ],
    "relationships": [
        {"type": "EXILED_TO", "from": "p-ana-ficticia", "to": "country-par-host", "date": "2019-06", "route": "air",
         "citations": [{"source": "src-par", "quote": "She first left by air in June 2019."}]},
        {"type": "EXILED_TO", "id": "EXILED_TO:p-ana-ficticia:country-par-host:2024", "from": "p-ana-ficticia",
         "to": "country-par-host", "date": "2024-09", "route": "irregular crossing",
         "citations": [{"source": "src-par", "quote": "She fled again through irregular crossings in September 2024."}]},
        {"type": "TARGETED", "from": "inc-par-detention", "to": "p-ana-ficticia"},
        {"type": "PERPETRATED_BY", "from": "inc-par-detention", "to": "p-pedro-ejemplo", "role": "ordered",
         "citations": [{"source": "src-par", "quote": "Pedro Ejemplo Núñez ordered the detention."}]},
        {"type": "PERPETRATED_BY", "id": "PERPETRATED_BY:inc-par-detention:p-pedro-ejemplo:direct",
         "from": "inc-par-detention", "to": "p-pedro-ejemplo", "role": "direct",
         "citations": [{"source": "src-par", "quote": "Pedro Ejemplo Núñez took part in the detention himself."}]},
        {"type": "IN", "from": "pos-par-chief", "to": "org-par-police"},
        {"type": "HOLDS", "from": "p-pedro-ejemplo", "to": "pos-par-chief", "startDate": "2020-01"},
    ],
}
REPO = Path(__file__).resolve().parents[1]
FIRST_EXILE = "EXILED_TO:p-ana-ficticia:country-par-host"
SECOND_EXILE = "EXILED_TO:p-ana-ficticia:country-par-host:2024"


@pytest.fixture
def parallel_store(empty_store, tmp_path):
    path = tmp_path / "parallel.yaml"
    path.write_text(yaml.safe_dump(PARALLEL_CASE, allow_unicode=True), encoding="utf-8")
    ingest_case_file(empty_store, path)
    return empty_store


def _edges(data: dict, rtype: str) -> list[dict]:
    return [e for e in data["edges"] if e["rtype"] == rtype]


# --------------------------------------------------------------------------- item 6: parallel relationships


def test_exile_view_draws_both_exiles_of_one_person_to_one_country(parallel_store):
    flows = S.exile_flows(parallel_store)
    assert sorted(r.id for r in flows.records) == [FIRST_EXILE, SECOND_EXILE]
    view = viz.build_exile(parallel_store)
    exiles = {e.id: e for e in view.edges if e.type == "EXILED_TO"}
    assert set(exiles) == {FIRST_EXILE, SECOND_EXILE}
    # each link carries its own record's date, route and quote (not one's id and the other's route)
    assert (exiles[FIRST_EXILE].properties["date"], exiles[FIRST_EXILE].caption) == ("2019-06", "air")
    assert (exiles[SECOND_EXILE].properties["date"], exiles[SECOND_EXILE].caption) == ("2024-09", "irregular crossing")
    assert "June 2019" in exiles[FIRST_EXILE].citations[0].quote
    assert "September 2024" in exiles[SECOND_EXILE].citations[0].quote
    data = page_data(render_html(view))
    drawn = _edges(data, "EXILED_TO")
    assert len(data["edges"]) == len(view.edges) and sorted(e["id"] for e in drawn) == [FIRST_EXILE, SECOND_EXILE]
    # two links between one pair are bent apart, not drawn on top of each other
    assert {e["smooth"]["type"] for e in drawn} == {"curvedCW", "curvedCCW"}


def test_chain_view_draws_both_perpetrations_by_one_official(parallel_store):
    chain = S.responsibility_chain(parallel_store, "inc-par-detention")
    perpetrators = [link for link in chain.links if link.kind == "perpetrator"]
    assert sorted(link.role for link in perpetrators) == ["direct", "ordered"]
    # the official's post is climbed once, however many links name him
    assert [link.entity.id for link in chain.links if link.kind == "position"] == ["pos-par-chief"]
    view = viz.build_chain(parallel_store, "inc-par-detention")
    perps = [e for e in view.edges if e.type == "PERPETRATED_BY"]
    assert sorted(e.properties["role"] for e in perps) == ["direct", "ordered"]
    assert len({e.id for e in perps}) == 2
    data = page_data(render_html(view))
    assert len(data["edges"]) == len(view.edges) == 4  # TARGETED, 2 x PERPETRATED_BY, HOLDS
    assert sorted(dict(e["tip"]["rows"])["role"] for e in _edges(data, "PERPETRATED_BY")) == ["direct", "ordered"]


def test_ego_view_draws_parallel_relationships(parallel_store):
    view = viz.build_ego(parallel_store, "p-ana-ficticia", depth=1)
    assert sorted(e.id for e in view.edges if e.type == "EXILED_TO") == [FIRST_EXILE, SECOND_EXILE]
    assert len(page_data(render_html(view))["edges"]) == len(view.edges)


def test_api_exile_page_draws_both_exiles(parallel_store):
    r = client_for(parallel_store).get("/viz/exile")
    assert r.status_code == 200
    assert sorted(e["id"] for e in _edges(page_data(r.text), "EXILED_TO")) == [FIRST_EXILE, SECOND_EXILE]


def test_ego_view_includes_links_within_the_outermost_ring(synthetic_store):
    # depth 1 from the defender: her mother and the host country are both one hop away;
    # the mother's own exile links them, and it is drawn
    view = viz.build_ego(synthetic_store, "p-defender-alpha", depth=1)
    assert ("p-mother-alpha", "EXILED_TO", "country-hostia") in {(e.source, e.type, e.target) for e in view.edges}
    sub = S.ego_graph(synthetic_store, "p-defender-alpha", depth=1)
    ids = {n.id for n in sub.nodes}
    assert all(e.source in ids and e.target in ids for e in sub.edges)


# --------------------------------------------------------------------------- items 20-22: caps on a larger store


@pytest.fixture
def generated_store(empty_store, tmp_path):
    """A synthetic network from bench/generate.py (~600 nodes, fake names), bigger than the caps below."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # bench/ is a top-level package of the repository
    from bench.generate import generate, write

    for path in write(generate(300, seed=8), tmp_path / "generated"):
        ingest_case_file(empty_store, path)
    return empty_store


def _reached_from(anchor: str, node_ids: set[str], edges) -> set[str]:
    adjacent: dict[str, set[str]] = {n: set() for n in node_ids}
    for source, target in edges:
        adjacent[source].add(target)
        adjacent[target].add(source)
    seen, queue = {anchor}, deque([anchor])
    while queue:
        for other in adjacent[queue.popleft()] - seen:
            seen.add(other)
            queue.append(other)
    return seen


def test_ego_caps_keep_every_drawn_node_linked_to_the_anchor(generated_store):
    hub = generated_store.read("MATCH (o:Organization) RETURN o.id AS id ORDER BY id LIMIT 1")[0]["id"]
    view = viz.build_ego(generated_store, hub, depth=3, max_nodes=MAX_VIEW_NODES)
    assert len(view.nodes) > 60
    # the page's own cap (smaller here) keeps the nearest hops too
    data = page_data(render_html(view, max_nodes=60))
    drawn = {n["id"] for n in data["nodes"]}
    assert len(drawn) == 60
    assert _reached_from(hub, drawn, [(e["from"], e["to"]) for e in data["edges"]]) == drawn
    # and so does the fetch cap
    small = viz.build_ego(generated_store, hub, depth=3, max_nodes=40)
    ids = {n.id for n in small.nodes}
    assert len(ids) == 40 and _reached_from(hub, ids, [(e.source, e.target) for e in small.edges]) == ids


def test_whole_view_of_a_large_store_is_its_best_linked_part(generated_store):
    total = S.stats(generated_store).node_total
    view = viz.build_whole(generated_store, max_nodes=80)
    assert len(view.nodes) == 80 and total > 80
    assert view.notices[0].startswith(f"The store holds {total} nodes; this page draws 80: the best-linked nodes")
    assert "--max-nodes" in view.notices[0] and "repgraph viz ego ID" in view.notices[0]
    # drawn by structure: linked, not 80 isolated "first ids"
    G_edges = len({frozenset((e.source, e.target)) for e in view.edges})
    assert G_edges >= 79
    nodes, edges, notices = cap(view)
    assert len(nodes) == 80 and len(edges) == len(view.edges) and notices == []  # one limit: no second, contradicting notice


def test_analytics_of_a_large_store_sample_by_structure_and_say_so(generated_store):
    sub, scope = analysis_subgraph(generated_store, max_nodes=80)
    assert scope.truncated and scope.nodes == 80 and scope.selection.startswith("the best-linked nodes")
    assert "root=ID" in scope.note and f"The store holds {80 + scope.omitted_nodes} nodes" in scope.note
    report = centrality_report(sub, scope=scope)
    assert report.scores and report.note is None
    assert report.scores[0].betweenness > 0
    assert report.scope.note == scope.note
    communities = communities_report(sub, scope=scope)
    assert communities.modularity is not None and communities.modularity > 0.2
    # the perpetrators' centrality starts from the perpetrators named in most incidents
    psub, pscope = analysis_subgraph(generated_store, max_nodes=80, focus="perpetrators")
    top = generated_store.read("MATCH (:Incident)-[p:PERPETRATED_BY]->(x) RETURN x.id AS id, count(p) AS n "
                               "ORDER BY n DESC, id LIMIT 1")[0]["id"]
    perpetrators = centrality_report(psub, scope=pscope)
    assert top in {s.id for s in perpetrators.scores} and pscope.selection.startswith("the perpetrators named in most")
    _, cli_scope = analysis_subgraph(generated_store, max_nodes=80, via="cli")
    assert "--root ID" in cli_scope.note and "root=" not in cli_scope.note


def test_api_analytics_of_a_large_store_say_what_was_left_out(generated_store):
    client = client_for(generated_store)
    body = client.get("/analytics/centrality", params={"max_nodes": 80}).json()
    assert body["scores"] and body["scope"]["truncated"] and "root=ID" in body["scope"]["note"]
    body = client.get("/analytics/communities", params={"max_nodes": 80}).json()
    assert body["modularity"] > 0.2 and body["scope"]["selection"]


def test_empty_centrality_says_why(parallel_store):
    # only persons that are not officials, and no perpetration: nobody to list
    sub, scope = analysis_subgraph(parallel_store, root="country-par-host", depth=1)
    report = centrality_report(sub, scope=scope)
    assert report.scores == [] and report.note == "the analysed graph holds no named perpetrator, official or state organization"


# --------------------------------------------------------------------------- items 20 and 24: one limit, each exit's words


def test_one_node_limit_for_cli_and_api(synthetic_store, synthetic_db, tmp_path):
    from repgraph.cli import app

    client = client_for(synthetic_store)
    assert client.get("/viz/graph", params={"max_nodes": MAX_VIEW_NODES}).status_code == 200
    assert client.get("/viz/graph", params={"max_nodes": MAX_VIEW_NODES + 1}).status_code == 422
    ok = CliRunner().invoke(app, ["viz", "graph", "--max-nodes", str(MAX_VIEW_NODES), "--db", str(synthetic_db),
                                  "-o", str(tmp_path / "g.html")])
    assert ok.exit_code == 0, ok.output
    over = CliRunner().invoke(app, ["viz", "graph", "--max-nodes", str(MAX_VIEW_NODES + 1), "--db", str(synthetic_db),
                                    "-o", str(tmp_path / "h.html")])
    assert over.exit_code == 2 and not (tmp_path / "h.html").exists()
    with pytest.raises(ValueError, match="max_nodes"):
        viz.build_whole(synthetic_store, max_nodes=MAX_VIEW_NODES + 1)


def test_api_pages_name_query_parameters_not_cli_flags(synthetic_store):
    client = client_for(synthetic_store)
    ego = client.get("/viz/ego/p-defender-alpha", params={"depth": 3, "max_nodes": 4})
    assert "lower depth= or raise max_nodes=, at most 1000, to see more" in ego.text
    whole = client.get("/viz/graph", params={"max_nodes": 5})
    assert "raise max_nodes= (at most 1000)" in whole.text and "/viz/ego/ID" in whole.text
    for page in (ego.text, whole.text):
        assert "--max-nodes" not in page and "--depth" not in page
    cli = viz.build_ego(synthetic_store, "p-defender-alpha", depth=3, max_nodes=4)
    assert "lower --depth or raise --max-nodes, at most 1000, to see more" in cli.notices[0]


def test_wrong_label_errors_use_the_right_article(synthetic_store):
    r = client_for(synthetic_store).get("/viz/law/op-fake-knock")
    assert r.status_code == 404 and "(it is an Operation)" in r.json()["detail"]
    r = client_for(synthetic_store).get("/viz/operation/inc-alpha-detention")
    assert r.status_code == 404 and "(it is an Incident)" in r.json()["detail"]
    with pytest.raises(S.NotFound, match=r"\(it is a Law\)"):
        viz.build_operation(synthetic_store, "law-fake-ngo")
