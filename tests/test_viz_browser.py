"""Views in a real headless Chromium (Debian ``chromium``, driven by playwright).

Each view is opened from a file and from the API (a real uvicorn server on localhost):
no console error, a painted canvas, exactly the expected nodes and links in the page's
data sets, physics stopped, and no request leaving the machine (every request that is
not file:, data: or the local server is blocked and recorded). Hostile names stay text.
Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repgraph import viz
from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.store.embedded import EmbeddedStore
from test_viz_support import ACCENTED_NAME, API_PATHS, EXPECTED, HOSTILE_NAME, SYNTHETIC, build, hostile_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: apt-get install -y chromium"),
]

#: Canvas pixels painted (alpha > 0) that count as "the graph was drawn".
MIN_PAINTED = 400

PAINTED_JS = """() => {
  const c = document.querySelector('#graph canvas');
  if (!c) return [0, 0, 0];
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return [c.width, c.height, n];
}"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The synthetic network in an embedded store (the browser needs one backend only)."""
    folder = tmp_path_factory.mktemp("viz-browser")
    s = EmbeddedStore(folder / "synthetic.db")
    s.apply_schema(schema_statements())
    ingest_case_file(s, SYNTHETIC)
    yield s
    s.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    s = hostile_store(tmp_path_factory.mktemp("viz-hostile"))
    yield s
    s.close()


def _serve(store):
    import uvicorn

    from api_access import keyed_app

    app, _ = keyed_app(store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def api_url(store):
    server, thread, url = _serve(store)
    yield url
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def hostile_api_url(hostile):
    server, thread, url = _serve(hostile)
    yield url
    server.should_exit = True
    thread.join(10)


# --------------------------------------------------------------------------- helpers


@dataclass
class Opened:
    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_view(browser, url: str, local: str | None = None) -> Opened:
    """Open ``url`` offline: only file:, data: and ``local`` (the test server) may load."""
    from api_access import bearer, shared_access

    # Views served by the API need a key (a real admin user's).
    headers = bearer(shared_access()[1]["admin"]) if local else None
    context = browser.new_context(viewport={"width": 1400, "height": 900}, extra_http_headers=headers)
    page = context.new_page()
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: opened.requests.append(r.url))

    def route(r):
        u = r.request.url
        if u.startswith(("file:", "data:")) or (local and u.startswith(local + "/")):
            r.continue_()
        else:
            opened.blocked.append(u)
            r.abort()

    context.route("**/*", route)
    page.goto(url)
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    return opened


def check_page(opened: Opened, shot: str, nodes: set[str] | None = None, links: set | None = None) -> None:
    page = opened.page
    assert opened.errors == [], opened.errors
    assert opened.blocked == [], f"requests left the machine: {opened.blocked}"
    assert all(u.startswith(("file:", "data:", "http://127.0.0.1")) for u in opened.requests), opened.requests
    assert opened.dialogs == []
    width, height, painted = page.evaluate(PAINTED_JS)
    assert width > 0 and height > 0 and painted > MIN_PAINTED, (width, height, painted)
    assert page.evaluate("repgraph.stable") is True
    assert page.evaluate("repgraph.network.physics.options.enabled") is False
    if nodes is not None:
        assert set(page.evaluate("repgraph.nodes.getIds()")) == nodes
        assert len(page.evaluate("repgraph.nodes.getIds()")) == len(nodes)
    if links is not None:
        got = page.evaluate("repgraph.edges.get().map(e => [e.from, e.rtype, e.to])")
        assert {tuple(x) for x in got} == links and len(got) == len(links)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    page.context.close()


def hover(page, node_id: str) -> str:
    """Hover ``node_id`` and return the tooltip's text."""
    x, y = page.evaluate("""(id) => {
      const net = repgraph.network;
      const p = net.canvasToDOM(net.getPositions([id])[id]);
      const r = document.getElementById('graph').getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    }""", node_id)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    return tip.text_content()


# --------------------------------------------------------------------------- views from a file and from the API


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_view_from_file(browser, store, tmp_path, kind):
    path = viz.write_view(build(kind, store), tmp_path / f"{kind}.html")
    nodes, links = EXPECTED[kind]
    check_page(open_view(browser, path.as_uri()), f"viz-file-{kind}", nodes, links)


def test_whole_graph_from_file(browser, store, tmp_path):
    view = build("graph", store)
    path = viz.write_view(view, tmp_path / "graph.html")
    check_page(open_view(browser, path.as_uri()), "viz-file-graph", {n.id for n in view.nodes},
               {(e.source, e.type, e.target) for e in view.edges})


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_view_from_api(browser, api_url, kind):
    nodes, links = EXPECTED[kind]
    check_page(open_view(browser, api_url + API_PATHS[kind], local=api_url), f"viz-api-{kind}", nodes, links)


def test_view_from_api_with_metrics(browser, api_url):
    opened = open_view(browser, api_url + "/viz/graph?size_by=betweenness&color_by=community", local=api_url)
    assert opened.page.locator("#legend-communities li").count() > 0
    check_page(opened, "viz-api-graph-metrics")


# --------------------------------------------------------------------------- hostile names


HOSTILE_VIEWS = {
    "ego": lambda s: viz.build_ego(s, "p-hostile", depth=2),
    "chain": lambda s: viz.build_chain(s, "inc-hostile"),
    "operation": lambda s: viz.build_operation(s, "op-hostile"),
    "law": lambda s: viz.build_law(s, "law-hostile"),
    "exile": lambda s: viz.build_exile(s),
    "path": lambda s: viz.build_path(s, "p-accents", "org-hostile"),
}


def _assert_inert(page) -> None:
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onload], [onclick]').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3


@pytest.mark.parametrize("kind", sorted(HOSTILE_VIEWS))
def test_hostile_names_do_not_execute(browser, hostile, tmp_path, kind):
    view = HOSTILE_VIEWS[kind](hostile)
    path = viz.write_view(view, tmp_path / f"hostile-{kind}.html")
    opened = open_view(browser, path.as_uri())
    page = opened.page
    _assert_inert(page)
    names = page.evaluate("Object.fromEntries(repgraph.nodes.get().map(n => [n.id, n.name]))")
    assert names.get("p-hostile", HOSTILE_NAME) == HOSTILE_NAME
    assert page.title() == view.title
    assert page.text_content("#title") == view.title
    check_page(opened, f"viz-hostile-{kind}", {n.id for n in view.nodes}, {(e.source, e.type, e.target) for e in view.edges})


def test_hostile_tooltip_shows_the_name_as_text(browser, hostile, tmp_path):
    path = viz.write_view(viz.build_ego(hostile, "p-hostile", depth=1), tmp_path / "hostile-ego.html")
    opened = open_view(browser, path.as_uri())
    page = opened.page
    assert HOSTILE_NAME in hover(page, "p-hostile")
    assert ACCENTED_NAME in hover(page, "p-accents")
    text = hover(page, "inc-hostile")
    assert "<script>alert(5)</script>" in text and "Report </script><b>x</b> & co, p. <b>3</b>" in text
    _assert_inert(page)
    page.mouse.click(*page.evaluate("""() => {
      const net = repgraph.network, p = net.canvasToDOM(net.getPositions(['p-hostile'])['p-hostile']);
      const r = document.getElementById('graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }"""))
    assert HOSTILE_NAME in page.text_content("#details")
    _assert_inert(page)
    check_page(opened, "viz-hostile-tooltip")


def test_hostile_names_from_api(browser, hostile_api_url):
    opened = open_view(browser, hostile_api_url + "/viz/ego/p-hostile?depth=2", local=hostile_api_url)
    _assert_inert(opened.page)
    assert HOSTILE_NAME in opened.page.title()
    check_page(opened, "viz-api-hostile-ego")


# --------------------------------------------------------------------------- filters, layout, caps


def test_filters_by_label_and_date(browser, store, tmp_path):
    path = viz.write_view(viz.build_operation(store, "op-fake-knock"), tmp_path / "op.html")
    opened = open_view(browser, path.as_uri())
    page = opened.page
    visible = lambda: set(page.evaluate("repgraph.nodeView.getIds()"))  # noqa: E731
    links = lambda: {tuple(x) for x in page.evaluate("repgraph.edgeView.get().map(e => [e.from, e.rtype, e.to])")}  # noqa: E731
    everything = visible()
    page.uncheck("input[data-label=Person]")
    assert visible() == everything - {"p-defender-alpha", "p-mother-alpha", "p-agent-gamma"}
    assert all(t != "TARGETED" for _, t, _ in links())
    page.check("input[data-label=Person]")
    page.uncheck("input[data-type=PERPETRATED_BY]")
    assert visible() == everything and all(t != "PERPETRATED_BY" for _, t, _ in links())
    page.click("#reset")
    page.fill("#date-from", "2024-09-01")
    page.dispatch_event("#date-from", "change")
    assert "inc-alpha-detention" not in visible() and "inc-mother-raid" in visible()
    page.uncheck("#undated")
    # persons are undated; the anchor (the operation) always stays
    assert visible() == {"op-fake-knock", "inc-mother-raid"}
    page.click("#reset")
    assert visible() == everything
    assert page.text_content("#counts").startswith(f"Showing {len(everything)} of {len(everything)} nodes")
    check_page(opened, "viz-filters")


def test_layout_stays_put_after_stabilising(browser, store, tmp_path):
    path = viz.write_view(build("chain", store), tmp_path / "chain.html")
    opened = open_view(browser, path.as_uri())
    before = opened.page.evaluate("repgraph.network.getPositions()")
    opened.page.wait_for_timeout(800)
    assert opened.page.evaluate("repgraph.network.getPositions()") == before
    check_page(opened, "viz-layout-stable")


def test_cap_notice_is_visible(browser, store, tmp_path):
    path = viz.write_view(viz.build_ego(store, "p-defender-alpha", depth=3, max_nodes=4), tmp_path / "capped.html")
    opened = open_view(browser, path.as_uri())
    notice = opened.page.locator("#notices p").first
    assert notice.is_visible() and "Capped at 4 nodes" in notice.text_content()
    assert opened.page.evaluate("repgraph.nodes.length") == 4
    check_page(opened, "viz-capped")


def test_render_cap_notice_is_visible(browser, store, tmp_path):
    from repgraph.viz.render import render_html

    path = tmp_path / "render-capped.html"
    path.write_text(render_html(build("graph", store), max_nodes=6), encoding="utf-8")
    opened = open_view(browser, path.as_uri())
    assert "This page draws at most 6 nodes" in opened.page.text_content("#notices")
    assert opened.page.evaluate("repgraph.nodes.length") == 6
    check_page(opened, "viz-render-capped")


# --------------------------------------------------------------------------- the demo, offline


def test_demo_views_open_offline(browser, tmp_path):
    from repgraph.cli import app

    folder = tmp_path / "visualizations"
    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "demo.db"), "--view", str(folder / "demo.html")])
    assert result.exit_code == 0, result.output
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == 4
    for page_path in pages:
        opened = open_view(browser, page_path.as_uri())
        assert opened.page.evaluate("repgraph.nodes.length") > 0
        check_page(opened, f"demo-{page_path.stem}")
    shutil.rmtree(folder)


# --------------------------------------------------------------------------- every relationship drawn (issue 8, item 6)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    import yaml

    from test_viz_completeness import PARALLEL_CASE

    folder = tmp_path_factory.mktemp("viz-parallel")
    (folder / "parallel.yaml").write_text(yaml.safe_dump(PARALLEL_CASE, allow_unicode=True), encoding="utf-8")
    s = EmbeddedStore(folder / "parallel.db")
    s.apply_schema(schema_statements())
    ingest_case_file(s, folder / "parallel.yaml")
    yield s
    s.close()


@pytest.fixture(scope="module")
def parallel_api_url(parallel):
    server, thread, url = _serve(parallel)
    yield url
    server.should_exit = True
    thread.join(10)


def _edge_ids(page, rtype: str) -> list[str]:
    return sorted(page.evaluate(f"repgraph.edges.get().filter(e => e.rtype === '{rtype}').map(e => e.id)"))


def test_parallel_relationships_are_each_drawn_from_file_and_api(browser, parallel, parallel_api_url, tmp_path):
    from test_viz_completeness import FIRST_EXILE, SECOND_EXILE

    exile = viz.build_exile(parallel)
    opened = open_view(browser, viz.write_view(exile, tmp_path / "exile.html").as_uri())
    assert _edge_ids(opened.page, "EXILED_TO") == [FIRST_EXILE, SECOND_EXILE]
    assert opened.page.evaluate("repgraph.edges.length") == len(exile.edges)
    assert opened.page.evaluate("repgraph.edgeView.length") == len(exile.edges)  # both visible, not hidden by a filter
    check_page(opened, "viz-parallel-exile")
    opened = open_view(browser, parallel_api_url + "/viz/exile", local=parallel_api_url)
    assert _edge_ids(opened.page, "EXILED_TO") == [FIRST_EXILE, SECOND_EXILE]
    check_page(opened, "viz-api-parallel-exile")
    chain = viz.build_chain(parallel, "inc-par-detention")
    opened = open_view(browser, parallel_api_url + "/viz/chain/inc-par-detention", local=parallel_api_url)
    roles = opened.page.evaluate("repgraph.edges.get().filter(e => e.rtype === 'PERPETRATED_BY').map(e => e.tip.rows.find(r => r[0] === 'role')[1])")
    assert sorted(roles) == ["direct", "ordered"]
    assert opened.page.evaluate("repgraph.edges.length") == len(chain.edges) == 4
    check_page(opened, "viz-api-parallel-chain")


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_page_draws_as_many_links_as_the_view(browser, store, tmp_path, kind):
    view = build(kind, store)
    opened = open_view(browser, viz.write_view(view, tmp_path / f"{kind}.html").as_uri())
    assert opened.page.evaluate("repgraph.edges.length") == len(view.edges)
    assert opened.page.evaluate("new Set(repgraph.edges.getIds()).size") == len(view.edges)
    check_page(opened, f"viz-count-{kind}")


# --------------------------------------------------------------------------- community colours, legend, labels (item 23)


def _twenty_communities() -> viz.View:
    """20 communities of 3 persons each, a ring of links between them (fake names)."""
    nodes, edges = [], []
    for c in range(20):
        ids = [f"p-{c}-{i}" for i in range(3)]
        nodes += [viz.ViewNode(id=i, label="Person", name=f"Persona Ficticia {i}", community=c) for i in ids]
        edges += [viz.ViewEdge(ids[0], ids[1], "FAMILY_OF"), viz.ViewEdge(ids[1], ids[2], "FAMILY_OF"),
                  viz.ViewEdge(ids[2], f"p-{(c + 1) % 20}-0", "MEMBER_OF")]
    nodes.append(viz.ViewNode(id="p-alone", label="Person", name="Ana Sola Ficticia", community=20))
    return viz.View(kind="graph", title="Twenty communities", nodes=nodes, edges=edges, color_by="community")


def test_twenty_communities_get_twenty_colours_and_the_filters_stay_in_view(browser, tmp_path):
    path = viz.write_view(_twenty_communities(), tmp_path / "communities.html")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=60_000)
    colours = page.evaluate("[...new Set(repgraph.nodes.get().filter(n => n.id !== 'p-alone').map(n => n.color.background))]")
    assert len(colours) == 20
    rows = page.locator("#legend-communities li")
    assert rows.count() == 21 and rows.last.text_content().startswith("1 communities of one node")
    height = page.evaluate("document.getElementById('legend-communities').getBoundingClientRect().height")
    assert height <= 160  # the legend scrolls instead of growing
    for selector in ("#legend-nodes", "#legend-edges", "#date-from", "#reset"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, (selector, box)
    page.screenshot(path=str(ARTIFACTS / "viz-twenty-communities.png"))
    context.close()


def test_labels_too_small_to_read_are_hidden_and_the_page_says_so(browser, tmp_path):
    view = _twenty_communities()
    path = viz.write_view(view, tmp_path / "small-labels.html")
    opened = open_view(browser, path.as_uri())
    page = opened.page
    from playwright.sync_api import expect

    # the hint follows the next redraw (an animation frame after moveTo): wait for it
    page.evaluate("repgraph.network.moveTo({scale: 0.3})")
    assert page.evaluate("repgraph.labelPx()") < 8
    expect(page.locator("#zoom-hint")).to_be_visible()
    page.evaluate("repgraph.network.moveTo({scale: 1.0})")
    expect(page.locator("#zoom-hint")).to_be_hidden()
    assert page.evaluate("repgraph.network.body.nodes['p-0-0'].labelModule.visible()") is True
    page.evaluate("repgraph.network.moveTo({scale: 0.3})")
    assert page.evaluate("repgraph.network.body.nodes['p-0-0'].labelModule.visible()") is False
    check_page(opened, "viz-small-labels")


def test_hierarchical_views_write_link_labels_horizontally(browser, store, tmp_path):
    for kind in ("chain", "path"):
        opened = open_view(browser, viz.write_view(build(kind, store), tmp_path / f"{kind}.html").as_uri())
        assert opened.page.evaluate("repgraph.network.body.edges[repgraph.edges.getIds()[0]].options.font.align") == "horizontal"
        check_page(opened, f"viz-hierarchical-labels-{kind}")
