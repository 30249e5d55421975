"""Views without a browser: what each builder draws (both backends), the page's safety
and self-containment, caps and notices, styles, the CLI, the API and the demo.
The browser half is tests/test_viz_browser.py."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from repgraph import service as S
from repgraph import viz
from repgraph.models import GraphEdge, GraphNode, Subgraph
from repgraph.ontology import NODE_MODELS, REL_MODELS
from repgraph.viz.render import interval, render_html
from repgraph.viz.styles import EDGE_STYLES, NODE_STYLES, _CHOSEN_EDGES, _CHOSEN_NODES
from test_viz_support import (
    ACCENTED_NAME, API_PATHS, EXPECTED, HOSTILE_NAME, HOSTILE_ORG, HOSTILE_QUOTE, build, elements, hostile_store,
)

FIXED_TIME = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc)


def page_data(html: str) -> dict:
    """The JSON data block of a page."""
    m = re.search(r'<script id="repgraph-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture
def hostile(tmp_path):
    store = hostile_store(tmp_path)
    yield store
    store.close()


# --------------------------------------------------------------------------- styles


def test_every_label_and_type_has_a_chosen_style():
    assert set(_CHOSEN_NODES) == set(NODE_MODELS)
    assert set(_CHOSEN_EDGES) == set(REL_MODELS)
    assert set(NODE_STYLES) == set(NODE_MODELS)
    assert set(REL_MODELS) <= set(EDGE_STYLES)


def test_node_colours_are_distinct_and_shapes_known():
    colours = [s.color.lower() for s in NODE_STYLES.values()]
    assert len(set(colours)) == len(colours)
    assert {s.shape for s in NODE_STYLES.values()} <= {"dot", "square", "triangle", "triangleDown", "diamond", "star", "hexagon"}
    # a shape repeats only between labels of different colours
    pairs = {(s.shape, s.color) for s in NODE_STYLES.values()}
    assert len(pairs) == len(NODE_STYLES)


# --------------------------------------------------------------------------- builders (both backends)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_view_holds_the_expected_elements(synthetic_store, kind):
    view = build(kind, synthetic_store)
    assert elements(view) == EXPECTED[kind]


def test_whole_graph_view_holds_everything(synthetic_store):
    view = build("graph", synthetic_store)
    whole = S.whole_graph(synthetic_store)
    assert {n.id for n in view.nodes} == {n.id for n in whole.nodes}
    assert len(view.edges) == len(whole.edges)
    assert view.notices == []


def test_ego_view_anchor_and_citations(synthetic_store):
    view = viz.build_ego(synthetic_store, "p-defender-alpha", depth=1)
    assert [n.id for n in view.nodes if n.anchor] == ["p-defender-alpha"]
    exile = next(e for e in view.edges if e.type == "EXILED_TO")
    assert [c.quote for c in exile.citations] == ["Alfa crossed into Hostia in November 2024."]
    assert exile.citations[0].source_title == "Fake Report One"
    inc = view.node("inc-alpha-detention")
    assert inc.citations[0].page == "12" and inc.properties["date"] == "2024-08-03"
    assert "searchText" not in inc.properties and "citations" not in inc.properties


def test_ego_view_capped_with_notice(synthetic_store):
    view = viz.build_ego(synthetic_store, "p-defender-alpha", depth=2, max_nodes=3)
    assert len(view.nodes) == 3
    assert view.notices and "Capped at 3 nodes" in view.notices[0] and "--max-nodes" in view.notices[0]


def test_ego_view_unknown_entity(synthetic_store):
    with pytest.raises(S.NotFound):
        viz.build_ego(synthetic_store, "p-nobody")


def test_chain_view_levels_and_dates(synthetic_store):
    view = viz.build_chain(synthetic_store, "inc-alpha-detention")
    assert view.layout == "hierarchical"
    level = {n.id: n.level for n in view.nodes}
    assert level["p-defender-alpha"] == 0 and level["inc-alpha-detention"] == 1
    assert level["p-agent-gamma"] == 2 and level["pos-fpp-director"] > level["pos-fpp-agent"]
    held = next(e for e in view.edges if (e.source, e.type) == ("p-chief-delta", "HOLDS"))
    assert held.properties["validFrom"] == "2024-07-01"
    assert view.notices == []


def test_chain_view_of_another_incident_and_an_unknown_one(synthetic_store):
    view = viz.build_chain(synthetic_store, "inc-mother-raid")  # dated 2024-09: the agent's chain, Delta in post
    assert {"p-mother-alpha", "p-agent-gamma", "pos-fpp-director", "p-chief-delta"} <= {n.id for n in view.nodes}
    assert "p-chief-old" not in {n.id for n in view.nodes}
    assert not any("no date" in n for n in view.notices)
    with pytest.raises(S.NotFound):
        viz.build_chain(synthetic_store, "inc-nothing")


def test_operation_and_law_views_refuse_other_labels(synthetic_store):
    with pytest.raises(S.NotFound, match="it is a Person"):
        viz.build_operation(synthetic_store, "p-defender-alpha")
    with pytest.raises(S.NotFound, match="it is an Operation"):
        viz.build_law(synthetic_store, "op-fake-knock")


def test_exile_view_sizes_countries_and_lists_figures(synthetic_store):
    view = viz.build_exile(synthetic_store)
    hostia = view.node("country-hostia")
    assert hostia.value == 1 and hostia.caption == "1 defender"
    assert view.node("place-border-town").label == "Place"
    route = next(e for e in view.edges if e.type == "EXILED_TO" and e.source == "p-defender-alpha")
    assert route.caption == "irregular crossing"
    assert any("28" in n and "defenders forced to migrate" in n for n in view.notes)


def test_path_view_levels_left_to_right(synthetic_store):
    view = viz.build_path(synthetic_store, "p-defender-beta", "p-defender-alpha")
    assert view.direction == "LR"
    assert {n.id: n.level for n in view.nodes}["p-defender-alpha"] == 4
    none = viz.build_path(synthetic_store, "p-defender-beta", "p-defender-alpha", max_hops=2)
    assert {n.id for n in none.nodes} == {"p-defender-beta", "p-defender-alpha"}
    assert "No connection of at most 2 hops" in none.notices[0]


def test_metrics_size_and_colour(synthetic_store):
    view = viz.apply_metrics(viz.build_operation(synthetic_store, "op-fake-knock"), "betweenness", "community")
    values = {n.id: n.value for n in view.nodes}
    assert max(values, key=values.get) == "inc-alpha-detention"
    assert all(n.community is not None for n in view.nodes)
    assert view.size_by == "betweenness" and view.color_by == "community"
    with pytest.raises(ValueError, match="size_by"):
        viz.apply_metrics(view, "magic")


# --------------------------------------------------------------------------- the page


def test_page_is_self_contained(synthetic_store):
    html = render_html(viz.build_ego(synthetic_store, "p-defender-alpha"), generated_at=FIXED_TIME)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I), "a page must load nothing from the network"
    assert "bootstrap" not in html.lower() and "cdnjs" not in html.lower()
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']
    assert "default-src 'none'" in html
    assert "vis-network" in html and "new vis.Network" in html
    assert html.count("<script") == 4  # data, vis-network, page script, and one "<script" inside vis-network's source
    assert "data as of 2025-01-02 03:04 UTC" in html


def test_page_escapes_hostile_names(hostile):
    view = viz.build_ego(hostile, "p-hostile", depth=1)
    html = render_html(view)
    for text in (HOSTILE_NAME, HOSTILE_ORG, "<script>alert(5)", "<svg onload", "<b>Hijos</b>", "<i>cousin</i>"):
        assert text not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, as text
    data = page_data(html)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["p-hostile"] == HOSTILE_NAME and names["p-accents"] == ACCENTED_NAME
    tip = next(n["tip"] for n in data["nodes"] if n["id"] == "inc-hostile")
    assert tip["cites"][0]["quote"] == HOSTILE_QUOTE
    assert tip["cites"][0]["source"] == "Report </script><b>x</b> & co, p. <b>3</b>"


def test_page_title_with_accents_and_quotes(hostile):
    html = render_html(viz.build_ego(hostile, "p-accents"))
    assert "<title>José &#34;Pepe&#34; Núñez &amp; &lt;b&gt;Hijos&lt;/b&gt; O&#39;Brien: neighbourhood" in html


def test_page_caps_large_views(synthetic_store):
    view = viz.build_whole(synthetic_store)
    html = render_html(view, max_nodes=5, max_edges=2)
    data = page_data(html)
    assert len(data["nodes"]) == 5 and len(data["edges"]) <= 2
    assert f"at most 5 nodes, the nearest first: {len(view.nodes) - 5} more nodes" in html


def test_page_tooltips_carry_dates_confidence_and_citations(synthetic_store):
    data = page_data(render_html(viz.build_chain(synthetic_store, "inc-alpha-detention")))
    inc = next(n for n in data["nodes"] if n["id"] == "inc-alpha-detention")
    rows = dict(inc["tip"]["rows"])
    assert rows["date"] == "2024-08-03" and rows["confidence"] == "1" and rows["confidentiality"] == "public"
    assert inc["dates"] == ["2024-08-03", "2024-08-03"]
    assert inc["tip"]["cites"] == [{"quote": "Alfa was detained on 3 August 2024.", "source": "Fake Report One, p. 12"}]
    holds = next(e for e in data["edges"] if e["rtype"] == "HOLDS" and e["from"] == "p-chief-delta")
    assert dict(holds["tip"]["rows"])["startDate"] == "2024-07" and holds["dates"] == ["2024-07-01", None]
    commands = next(e for e in data["edges"] if e["rtype"] == "COMMANDS")
    assert commands["tip"]["derived"] and commands["dashes"]
    assert {l["label"] for l in data["legend"]["nodes"]} == {"Incident", "Organization", "Person", "Position"}
    assert data["options"]["layout"]["hierarchical"]["direction"] == "DU"


def test_interval_of_partial_dates():
    assert interval({"date": "2024-02"}) == ["2024-02-01", "2024-02-29"]
    assert interval({"dateFrom": "2024-01-01", "dateTo": "2024-12-31", "date": "2024"}) == ["2024-01-01", "2024-12-31"]
    assert interval({"validFrom": "2020-01-01"}) == ["2020-01-01", None]
    assert interval({"enacted": "2021"}) == ["2021-01-01", "2021-12-31"]
    assert interval({"name": "x"}) is None


def test_write_html_keeps_its_signature(tmp_path):
    graph = Subgraph(nodes=[GraphNode(id="a", label="Person", name="Ána <b>"), GraphNode(id="b", label="Country", name="B")],
                     edges=[GraphEdge(id="e", source="a", target="b", type="EXILED_TO")])
    out = viz.write_html(graph, tmp_path / "sub" / "g.html", "Título <x>")
    html = out.read_text(encoding="utf-8")
    assert "<title>Título &lt;x&gt;</title>" in html
    assert [n["id"] for n in page_data(html)["nodes"]] == ["a", "b"]


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("args", [
    ["ego", "p-defender-alpha", "--depth", "2", "--size-by", "degree", "--color-by", "community"],
    ["chain", "inc-alpha-detention"], ["operation", "op-fake-knock"], ["law", "law-fake-ngo"], ["exile"],
    ["path", "p-defender-beta", "p-defender-alpha"], ["graph", "--max-nodes", "10"],
])
def test_cli_viz_writes_a_page(synthetic_db, tmp_path, args):
    from repgraph.cli import app

    out = tmp_path / "out" / "view.html"
    result = CliRunner().invoke(app, ["viz", *args, "--db", str(synthetic_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and out.exists()
    assert page_data(out.read_text(encoding="utf-8"))["nodes"]


def test_cli_viz_graph_notice_when_capped(synthetic_db, tmp_path):
    from repgraph.cli import app

    result = CliRunner().invoke(app, ["viz", "graph", "--max-nodes", "10", "--db", str(synthetic_db), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 0, result.output
    # issue 8, item 20: the command reports what the page draws, and one notice says what was left out
    drawn = page_data((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert f"(10 nodes, {len(drawn['edges'])} links drawn)" in result.output and len(drawn["nodes"]) == 10
    assert "note: The store holds 28 nodes; this page draws 10: the best-linked nodes and their neighbours. 18 nodes were left out" in result.output
    assert "raise --max-nodes (at most 1000)" in result.output and "max_nodes=" not in result.output


def test_cli_viz_unknown_id(synthetic_db, tmp_path):
    from repgraph.cli import app

    result = CliRunner().invoke(app, ["viz", "chain", "inc-nothing", "--db", str(synthetic_db), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "inc-nothing" in result.output
    assert not (tmp_path / "x.html").exists()


def test_cli_viz_default_output(synthetic_db, tmp_path, monkeypatch):
    from repgraph.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["viz", "exile", "--db", str(synthetic_db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "visualizations" / "exile.html").exists()


# --------------------------------------------------------------------------- API


def viz_client(store):
    """The real app over ``store``, with a real admin key."""
    from api_access import client_for

    return client_for(store)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_api_viz_view(synthetic_store, kind):
    r = viz_client(synthetic_store).get(API_PATHS[kind])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    data = page_data(r.text)
    nodes, links = EXPECTED[kind]
    assert {n["id"] for n in data["nodes"]} == nodes
    assert {(e["from"], e["rtype"], e["to"]) for e in data["edges"]} == links


def test_api_viz_metrics(synthetic_store):
    r = viz_client(synthetic_store).get("/viz/graph", params={"size_by": "betweenness", "color_by": "community"})
    assert r.status_code == 200
    assert page_data(r.text)["legend"]["communities"]


@pytest.mark.parametrize("path", ["/viz/ego/p-nobody", "/viz/chain/inc-nothing", "/viz/operation/p-defender-alpha",
                                  "/viz/law/op-fake-knock", "/viz/path/p-nobody/p-defender-alpha"])
def test_api_viz_not_found(synthetic_store, path):
    r = viz_client(synthetic_store).get(path)
    assert r.status_code == 404 and "detail" in r.json()


@pytest.mark.parametrize("path", ["/viz/ego/p-defender-alpha?depth=4", "/viz/graph?max_nodes=0", "/viz/graph?size_by=magic",
                                  "/viz/path/p-defender-beta/p-defender-alpha?max_hops=9", "/viz/ego/bad%20id"])
def test_api_viz_bad_parameters(synthetic_store, path):
    assert viz_client(synthetic_store).get(path).status_code == 422


# --------------------------------------------------------------------------- demo


def test_demo_writes_the_views(tmp_path):
    from repgraph.cli import app

    view = tmp_path / "visualizations" / "demo.html"
    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "demo.db"), "--view", str(view)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in view.parent.iterdir())
    assert written == ["chain-inc-dgcim-detainee-mistreatment.html", "demo.html", "ego-person-yendri-velasquez.html", "exile.html"]
    ego = page_data((view.parent / "ego-person-yendri-velasquez.html").read_text(encoding="utf-8"))
    assert "person-yendri-velasquez" in {n["id"] for n in ego["nodes"]}
    assert any(n["name"] == "Yendri Velásquez" for n in ego["nodes"])
