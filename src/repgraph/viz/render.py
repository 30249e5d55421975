"""The renderer: a :class:`~repgraph.viz.model.View` as one self-contained HTML page.

pyvis builds the vis-network node and edge records (:class:`pyvis.network.Network`);
the page is our own (:mod:`repgraph.viz.page`), because pyvis's template links bootstrap
from a CDN even with ``cdn_resources="in_line"`` (design.md). Each node gets the fixed
colour and shape of its label (:mod:`repgraph.viz.styles`), each link its type as label;
tooltips carry dates, confidence, confidentiality and citations as structured data the
page turns into text. Physics lays the graph out once, then stops. Views larger than
:data:`MAX_RENDER_NODES` / :data:`MAX_RENDER_EDGES` (:mod:`repgraph.limits`, the same
limits the CLI and the API accept) are cut nearest-first, with a notice saying what was
left out. Every relationship is drawn as its own link, keyed by its id: two of one type
between the same two nodes are two curved links.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from collections import deque

from .. import __version__
from ..limits import MAX_VIEW_EDGES, MAX_VIEW_NODES
from ..ontology import date_bounds
from ..private_files import write_private_text
from .model import View, ViewEdge, ViewNode
from .page import PAGE, PAGE_CSS, PAGE_JS, VIS_VERSION, vis_assets
from .styles import SINGLETON_COLOR, community_color, edge_style, node_style
from ..wording import counted

#: Most nodes a page draws; beyond, the browser's layout would take too long.
MAX_RENDER_NODES = MAX_VIEW_NODES
#: Most links a page draws.
MAX_RENDER_EDGES = MAX_VIEW_EDGES
#: Smallest on-screen label size drawn, in pixels: smaller labels are hidden until zoomed in.
LABEL_MIN_PX = 9
#: Citations listed in a tooltip (the rest are counted).
MAX_TIP_CITATIONS = 4
#: Longest text shown for one property in a tooltip.
MAX_TIP_TEXT = 280

#: Properties derived by the ingest or shown elsewhere in the tooltip.
_TIP_SKIP = {"id", "name", "searchText", "sourceIds", "citations", "dateFrom", "dateTo", "datePrecision",
             "validFrom", "validTo", "halfYear", "confidence", "confidentiality", "label", "type"}
_DATE_KEYS = ("date", "dateEnd", "enacted", "startDate", "endDate", "periodStart", "periodEnd")
_FIRST_KEYS = ("roles", "kind", "type", "role", "basis", "relation", "route", "via", *_DATE_KEYS)


# --------------------------------------------------------------------------- element data


def interval(props: dict[str, Any]) -> list[str | None] | None:
    """``[first day, last day]`` an element is dated to (either end may be open), or None
    when undated. Uses the ingest's derived bounds, else a partial ``date``/``enacted``."""
    if props.get("dateFrom") or props.get("dateTo"):
        return [props.get("dateFrom"), props.get("dateTo")]
    if props.get("validFrom") or props.get("validTo"):
        return [props.get("validFrom"), props.get("validTo")]
    for key in ("date", "enacted"):
        value = props.get(key)
        if isinstance(value, str):
            try:
                first, last, _ = date_bounds(value)
            except ValueError:
                continue
            return [first, last]
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    text = str(value)
    return text if len(text) <= MAX_TIP_TEXT else text[: MAX_TIP_TEXT - 1] + "\u2026"


def _dates_text(props: dict[str, Any], span: list[str | None] | None) -> str | None:
    if span is None:
        return None
    first, last = span
    if first == last:
        return first
    return f"{first or '…'} to {last or 'open'}"


def _rows(props: dict[str, Any], span: list[str | None] | None, metrics: dict[str, float], extra: list[list[str]]) -> list[list[str]]:
    rows: list[list[str]] = [list(r) for r in extra]
    keys = [k for k in _FIRST_KEYS if k in props] + sorted(k for k in props if k not in _FIRST_KEYS)
    for k in keys:
        v = props[k]
        if k in _TIP_SKIP or v is None or v == [] or v == "":
            continue
        rows.append([k, _text(v)])
    has_date = any(k in props for k in _DATE_KEYS)
    dates = _dates_text(props, span)
    if dates and not has_date:
        rows.append(["dates", dates])
    elif dates and span and span[0] != span[1]:
        rows.append(["covers", dates])
    if "confidence" in props:
        rows.append(["confidence", _text(props["confidence"])])
    if props.get("confidentiality"):
        rows.append(["confidentiality", str(props["confidentiality"])])
    for name, value in sorted(metrics.items()):
        rows.append([name, f"{value:.3f}"])
    return rows


def _cites(citations) -> tuple[list[dict[str, str]], int]:
    out = []
    for c in citations[:MAX_TIP_CITATIONS]:
        where = c.source_title or c.source
        if c.page:
            where += f", p. {c.page}"
        out.append({"quote": _text(c.quote), "source": where})
    return out, max(0, len(citations) - MAX_TIP_CITATIONS)


def _node_tip(n: ViewNode, span) -> dict[str, Any]:
    cites, more = _cites(n.citations)
    extra = [["community", str(n.community)]] if n.community is not None else []
    return {"title": n.name or n.id, "subtitle": f"{n.label or 'node'} \u00b7 {n.id}",
            "rows": _rows(n.properties, span, n.metrics, extra), "cites": cites, "more": more, "derived": False}


def _edge_tip(e: ViewEdge, view: View, span) -> dict[str, Any]:
    cites, more = _cites(e.citations)
    src, dst = view.node(e.source), view.node(e.target)
    style = edge_style(e.type)
    sub = f"{(src.name if src else None) or e.source} \u2192 {(dst.name if dst else None) or e.target}"
    extra = [["drawn by the view", style.description]] if style.derived else []
    return {"title": e.type, "subtitle": sub, "rows": _rows(e.properties, span, {}, extra), "cites": cites,
            "more": more, "derived": style.derived}


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# --------------------------------------------------------------------------- options


def vis_options(view: View, n_nodes: int, n_edges: int = 0) -> dict[str, Any]:
    """vis-network options: deterministic seed, physics that stabilises then stops.

    Large pages trade looks for speed: straight-ish links (``continuous`` smoothing adds no
    physics bodies, ``dynamic`` adds one per link) and fewer layout iterations."""
    big = n_nodes > 300 or n_edges > 600
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "size": 14, "borderWidth": 1.5,
            "font": {"size": 14, "face": "system-ui, DejaVu Sans, sans-serif", "color": "#1d2329",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": 170},
            # labels smaller than ~8 px on screen (a big graph at fit zoom) are not drawn: zoom in to read them
            "scaling": {"min": 10, "max": 42, "label": {"enabled": False, "drawThreshold": LABEL_MIN_PX}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#3d4750", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX}},
            "smooth": {"enabled": True, "type": "continuous" if big else "dynamic"},
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False,
                        "keyboard": False},
        "physics": {
            "enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -110, "centralGravity": 0.02, "springLength": 110,
                                 "springConstant": 0.07, "avoidOverlap": 1.0},
            "minVelocity": 0.75,
            "stabilization": {"enabled": True, "iterations": 300 if big else 1000, "updateInterval": 50, "fit": True},
        },
    }
    if view.layout == "hierarchical":
        options["layout"] = {"randomSeed": 7, "hierarchical": {
            "enabled": True, "direction": view.direction, "levelSeparation": 170 if view.direction in ("DU", "UD") else 340, "nodeSpacing": 190, "treeSpacing": 220,
            "sortMethod": "directed", "shakeTowards": "roots"}}
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical" if view.direction in ("DU", "UD") else "horizontal", "roundness": 0.4}
        # labels read left to right, beside the link, whatever its direction (not along a vertical link, not on a node)
        options["edges"]["font"]["align"] = "horizontal"
        options["physics"]["solver"] = "hierarchicalRepulsion"
        options["physics"]["hierarchicalRepulsion"] = {"nodeDistance": 190, "avoidOverlap": 0.6}
    return options


# --------------------------------------------------------------------------- page


def draw_order(view: View) -> list[ViewNode]:
    """The view's nodes, nearest first: the anchors, then breadth-first over the view's
    links (either direction) by hops from them; a view without anchors starts from its
    best-linked node. Unreached nodes (another component) follow the same way, from their
    own best-linked node. So any prefix of the order keeps each node linked to an earlier one."""
    position = {n.id: i for i, n in enumerate(view.nodes)}
    adjacent: dict[str, list[str]] = {n.id: [] for n in view.nodes}
    for e in view.edges:
        if e.source in adjacent and e.target in adjacent:
            adjacent[e.source].append(e.target)
            adjacent[e.target].append(e.source)
    by_degree = sorted(view.nodes, key=lambda n: (not n.anchor, -len(adjacent[n.id]), position[n.id]))
    order: list[ViewNode] = []
    seen: set[str] = set()
    nodes = {n.id: n for n in view.nodes}
    anchors = [n.id for n in view.nodes if n.anchor]
    starts = [anchors] if anchors else []
    starts += [[n.id] for n in by_degree]
    for start in starts:
        queue = deque(i for i in start if i not in seen)
        seen.update(queue)
        while queue:
            current = queue.popleft()
            order.append(nodes[current])
            for other in sorted(adjacent[current], key=position.__getitem__):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return order


def cap(view: View, max_nodes: int = MAX_RENDER_NODES, max_edges: int = MAX_RENDER_EDGES) -> tuple[list[ViewNode], list[ViewEdge], list[str]]:
    """The nodes and links drawn and the notices of what the caps left out.

    Nodes are kept nearest first (:func:`draw_order`), so every drawn node of an ego view
    is linked to the anchor; links are kept between drawn nodes, those of the nearest
    nodes first. Every relationship of the view within the caps is drawn."""
    notices = []
    order = draw_order(view)
    nodes = order[:max_nodes]
    rank = {n.id: i for i, n in enumerate(nodes)}
    edges = [e for e in view.edges if e.source in rank and e.target in rank]
    if len(view.nodes) > max_nodes:
        notices.append(f"This page draws at most {counted(max_nodes, 'node')}, the nearest first: {len(view.nodes) - max_nodes} more "
                       f"nodes of this view and the {counted(len(view.edges) - len(edges), 'link')} touching them were left out.")
    if len(edges) > max_edges:
        notices.append(f"This page draws at most {counted(max_edges, 'link')}, those of the nearest nodes first: "
                       f"{len(edges) - max_edges} more links were left out.")
        edges = sorted(edges, key=lambda e: max(rank[e.source], rank[e.target]))[:max_edges]
    return nodes, edges, notices


def drawn(view: View) -> tuple[int, int]:
    """(nodes, links) the page of ``view`` draws."""
    nodes, edges, _ = cap(view)
    return len(nodes), len(edges)


def _network_data(view: View, nodes: list[ViewNode], edges: list[ViewEdge]) -> tuple[list[dict], list[dict]]:
    """Node and edge records for vis-network, built with pyvis."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    sizes = _community_sizes(nodes)
    for n in nodes:
        style = node_style(n.label)
        color = style.color
        if view.color_by == "community":
            color = (community_color(n.community) if n.community is not None and sizes[n.community] > 1
                     else SINGLETON_COLOR)
        span = interval(n.properties)
        name = n.name or n.id
        label = _short(name) + (f"\n{n.caption}" if n.caption else "")
        opts: dict[str, Any] = {
            "rlabel": n.label or "?", "name": name, "dates": span, "tip": _node_tip(n, span), "anchor": n.anchor,
            "borderWidth": 4 if n.anchor else 1.5,
        }
        if n.value is not None:
            opts["value"] = n.value
        elif n.anchor:
            opts["size"] = 22
        if n.level is not None:
            opts["level"] = n.level
        net.add_node(n.id, label=label, shape=style.shape,
                     color={"background": color, "border": "#1d2329" if n.anchor else color,
                            "highlight": {"background": color, "border": "#000000"},
                            "hover": {"background": color, "border": "#000000"}}, **opts)
    # parallel links (one pair, several relationships) are bent apart, each by its own amount
    pairs: dict[frozenset, int] = {}
    for e in edges:
        pairs[frozenset((e.source, e.target))] = pairs.get(frozenset((e.source, e.target)), 0) + 1
    nth: dict[frozenset, int] = {}
    seen: set[str] = set()
    for i, e in enumerate(edges):
        style = edge_style(e.type)
        eid = e.id or f"{e.type}:{e.source}:{e.target}"
        if eid in seen:
            eid = f"{eid}#{i}"
        seen.add(eid)
        span = interval(e.properties)
        extra: dict[str, Any] = {}
        pair = frozenset((e.source, e.target))
        if pairs[pair] > 1:
            k = nth[pair] = nth.get(pair, 0) + 1
            extra["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW",
                               "roundness": 0.6 + 0.3 * ((k - 1) // 2)}  # labels of the pair clear of each other
        net.add_edge(e.source, e.target, id=eid, label=e.type + (f"\n{_short(e.caption, 40)}" if e.caption else ""),
                     rtype=e.type, dates=span, tip=_edge_tip(e, view, span), width=style.width, dashes=style.dashes,
                     color={"color": style.color, "highlight": "#000000", "hover": style.color}, **extra)
    node_records, edge_records, *_ = net.get_network_data()
    return node_records, edge_records


def _community_sizes(nodes: list[ViewNode]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for n in nodes:
        if n.community is not None:
            sizes[n.community] = sizes.get(n.community, 0) + 1
    return sizes


def _legend(view: View, nodes: list[ViewNode], edges: list[ViewEdge]) -> dict[str, Any]:
    labels: dict[str, int] = {}
    for n in nodes:
        labels[n.label or "?"] = labels.get(n.label or "?", 0) + 1
    types: dict[str, int] = {}
    for e in edges:
        types[e.type] = types.get(e.type, 0) + 1
    communities = _community_sizes(nodes)
    singletons = sum(1 for v in communities.values() if v == 1)
    community_rows = [{"name": f"community {k}", "count": v, "color": community_color(k)}
                      for k, v in sorted(communities.items()) if v > 1]
    if singletons:
        community_rows.append({"name": f"{singletons} communities of one node", "count": singletons, "color": SINGLETON_COLOR})
    return {
        "nodes": [{"label": k, "count": v, "color": "#777777" if view.color_by else node_style(k).color,
                   "shape": node_style(k).shape, "description": node_style(k).description}
                  for k, v in sorted(labels.items())],
        "edges": [{"type": k, "count": v, "color": edge_style(k).color, "dashes": edge_style(k).dashes,
                   "width": edge_style(k).width, "derived": edge_style(k).derived, "description": edge_style(k).description}
                  for k, v in sorted(types.items())],
        "communities": community_rows,
    }


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no ``<``, ``>``, ``&`` can close it or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _meta(view: View, nodes, edges, generated_at: datetime) -> str:
    spans = [s for s in (interval(x.properties) for x in [*nodes, *edges]) if s]
    firsts = [s[0] for s in spans if s[0]]
    lasts = [s[1] for s in spans if s[1]]
    parts = [f"{counted(len(nodes), 'node')}, {counted(len(edges), 'link')}"]
    if firsts or lasts:
        parts.append(f"facts dated {min(firsts or lasts)} to {max(lasts or firsts)}")
    parts.append(f"data as of {generated_at:%Y-%m-%d %H:%M} UTC" + (f" ({view.data_source})" if view.data_source else ""))
    return " \u00b7 ".join(parts)


def render_html(view: View, *, generated_at: datetime | None = None, max_nodes: int = MAX_RENDER_NODES,
                max_edges: int = MAX_RENDER_EDGES) -> str:
    """The page of ``view``: self-contained (no network access), text-only names."""
    generated_at = generated_at or datetime.now(timezone.utc)
    nodes, edges, cap_notices = cap(view, max_nodes, max_edges)
    node_records, edge_records = _network_data(view, nodes, edges)
    data = {
        "kind": view.kind, "nodes": node_records, "edges": edge_records,
        "legend": _legend(view, nodes, edges), "options": vis_options(view, len(nodes), len(edges)),
    }
    vis_css, vis_js = vis_assets()
    return PAGE.render(
        title=view.title, subtitle=view.subtitle, kind=view.kind, meta=_meta(view, nodes, edges, generated_at),
        notices=[*view.notices, *cap_notices], notes=view.notes, color_by=view.color_by,
        nonce=secrets.token_urlsafe(16), version=__version__, vis_version=VIS_VERSION,
        vis_css=vis_css, vis_js=vis_js, page_css=PAGE_CSS, page_js=PAGE_JS, data_json=_script_json(data),
    )


def write_view(view: View, path: str | Path, **kwargs) -> Path:
    """Write the page of ``view`` to ``path`` (folders created), readable by its owner only
    (an admin's view holds protected names: :mod:`repgraph.private_files`); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_text(path, render_html(view, **kwargs))
    return path
