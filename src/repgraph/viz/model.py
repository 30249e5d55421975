"""The intermediate graph every view builder returns and the renderer draws.

A :class:`View` is a :class:`~repgraph.models.Subgraph` plus what a page needs: a title,
notices (what was left out, what the sources do not say), the layout, anchors, and each
element's citations. :func:`enrich` fetches the citations and full properties of the
elements a builder chose (two anchored reads), through the disclosure seam.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import queries as Q
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..models import CitationOut, GraphEdge, GraphNode, Subgraph
from ..store import GraphStore

#: Properties that are bookkeeping, never shown.
HIDDEN_PROPERTIES = frozenset({"searchText", "sourceIds", "citations", "statements", "conflicts"})


@dataclass
class ViewNode:
    id: str
    label: str | None
    name: str | None
    properties: dict[str, Any] = field(default_factory=dict)
    citations: list[CitationOut] = field(default_factory=list)
    caption: str | None = None  # second line under the name (e.g. "2 defenders")
    level: int | None = None  # hierarchical layouts: 0 at the bottom
    value: float | None = None  # drawn size (scaled), e.g. a count or a metric
    anchor: bool = False  # the view is about this node: drawn larger, never filtered out
    metrics: dict[str, float] = field(default_factory=dict)
    community: int | None = None


@dataclass
class ViewEdge:
    source: str
    target: str
    type: str
    id: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    citations: list[CitationOut] = field(default_factory=list)
    caption: str | None = None  # second line under the type (e.g. the exile route)


@dataclass
class View:
    kind: str
    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    subtitle: str | None = None
    notices: list[str] = field(default_factory=list)  # shown prominently: caps, gaps in the sources
    notes: list[str] = field(default_factory=list)  # context in the side panel (e.g. reported figures)
    layout: Literal["force", "hierarchical"] = "force"
    direction: Literal["DU", "UD", "LR", "RL"] = "DU"  # hierarchical: where level 0 sits (DU: bottom)
    size_by: str | None = None
    color_by: str | None = None
    data_source: str | None = None  # e.g. "embedded store" (no paths: pages get shared)

    def node(self, node_id: str) -> ViewNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def add_node(self, node: ViewNode) -> ViewNode:
        """Add ``node`` unless one with its id is there; returns the one kept."""
        existing = self.node(node.id)
        if existing:
            return existing
        self.nodes.append(node)
        return node

    def add_edge(self, edge: ViewEdge) -> None:
        """Add ``edge`` unless the same relationship is there: the same id, or (for edges
        without an id, e.g. drawn ones) the same type and ends. Two stored relationships
        of one type between the same ends (two exiles, an order and a direct act) differ
        by id and are both kept."""
        for e in self.edges:
            if (edge.id and e.id == edge.id) or (
                    not edge.id and not e.id and (e.source, e.type, e.target) == (edge.source, edge.type, edge.target)):
                return
        self.edges.append(edge)

    def to_subgraph(self) -> Subgraph:
        """The view's graph, for the analytics."""
        return Subgraph(
            nodes=[GraphNode(id=n.id, label=n.label, name=n.name, properties=n.properties) for n in self.nodes],
            edges=[GraphEdge(id=e.id, source=e.source, target=e.target, type=e.type, properties=e.properties) for e in self.edges],
        )


def truncation_notice(sub: Subgraph, what: str = "nodes", hint: str | None = None) -> list[str]:
    """The notice of a capped subgraph, or nothing; ``hint`` says how to see more, in the
    terms of the exit the page leaves through (:func:`repgraph.limits.knob`)."""
    if not sub.truncated:
        return []
    return [f"Capped at {len(sub.nodes)} {what}: at least {sub.omitted_nodes} more were left out so the page stays "
            f"responsive" + (f" ({hint} to see more)." if hint else ".")]


def from_subgraph(sub: Subgraph, kind: str, title: str, anchors: tuple[str, ...] = (), hint: str | None = None,
                  **kwargs) -> View:
    """A view of ``sub``, with its truncation notice (``hint``: how to see more)."""
    view = View(
        kind=kind, title=title,
        nodes=[ViewNode(id=n.id, label=n.label, name=n.name, properties=dict(n.properties), anchor=n.id in anchors,
                        citations=list(n.citations)) for n in sub.nodes],
        edges=[ViewEdge(source=e.source, target=e.target, type=e.type, id=e.id, properties=dict(e.properties),
                        citations=list(e.citations)) for e in sub.edges],
        **kwargs,
    )
    view.notices[:0] = truncation_notice(sub, hint=hint)
    return view


def _citation_items(raw: Any) -> list[dict]:
    items = json.loads(raw) if isinstance(raw, str) else (raw or [])
    return [c for c in items if isinstance(c, dict) and c.get("source") and c.get("quote")]


def enrich(store: GraphStore, view: View, viewer: Viewer = DEFAULT_VIEWER) -> View:
    """Fill in every element's properties and citations (with source titles) from the store.

    Names and labels the builder set (from disclosed service answers) are kept; what is
    fetched here passes through :func:`~repgraph.disclosure.disclose` as a Subgraph first
    (so a confidential source's quote or a protected name never reaches the page).
    Edges are matched to stored relationships by id; an edge without an id by (source,
    type, target) only where exactly one stored relationship has those ends and type (two
    tenures of one post: neither, rather than the wrong one's dates and quotes); derived
    edges (not stored) keep what the builder gave them.
    """
    ids = [n.id for n in view.nodes]
    if not ids:
        return view
    # the view's nodes and the relationships between two of them (a view's edges join two
    # of its nodes): a hub's other relationships (Fakeland's 30k incidents at 100k persons,
    # 8 s on the embedded store when every relationship of every node was read) are not read
    node_rows = store.entities(ids)
    rel_rows = store.relationships_among(ids)
    raws = [r["props"].get("citations") for r in node_rows] + [r["props"].get("citations") for r in rel_rows]
    wanted = {c["source"] for r in raws for c in _citation_items(r)}
    titles = {r["id"]: r["title"] for r in S.each(store, Q.SOURCE, sorted(wanted))} if wanted else {}

    def cites(raw) -> list[CitationOut]:
        return [CitationOut(source=c["source"], source_title=titles.get(c["source"]), quote=c["quote"], page=c.get("page"))
                for c in _citation_items(raw)]

    def shown(props: dict) -> dict:
        return {k: v for k, v in props.items() if k not in HIDDEN_PROPERTIES}

    stored = Subgraph(
        nodes=[GraphNode(id=r["id"], label=r["label"], name=r["props"].get("name"), properties=shown(r["props"]),
                         confidentiality=r["props"].get("confidentiality"), citations=cites(r["props"].get("citations")))
               for r in node_rows],
        edges=[
            GraphEdge(id=r["props"].get("id"), type=r["type"], properties=shown(r["props"]),
                      confidentiality=r["props"].get("confidentiality"), citations=cites(r["props"].get("citations")),
                      source=r["nodeId"] if r["outgoing"] else r["otherId"],
                      target=r["otherId"] if r["outgoing"] else r["nodeId"])
            for r in rel_rows
        ],
    )
    stored = disclose(stored, viewer, store)
    nodes_by_id = {n.id: n for n in stored.nodes}
    edges_by_id = {e.id: e for e in stored.edges if e.id}
    # by (source, type, target) only where one stored relationship has those: of two
    # tenures of one post (parallel HOLDS), a drawn link without an id must not take the
    # other tenure's dates, id and quotes
    keyed: dict[tuple, list] = defaultdict(list)
    for e in stored.edges:
        keyed[(e.source, e.type, e.target)].append(e)
    edges_by_key = {key: found[0] for key, found in keyed.items() if len(found) == 1}

    for n in view.nodes:
        s = nodes_by_id.get(n.id)
        if s is None:
            continue
        n.label = n.label or s.label
        n.name = n.name or s.name
        n.properties = {**s.properties, **n.properties}
        if not n.citations:
            n.citations = list(s.citations)
    for e in view.edges:
        # an edge with an id is that relationship or none (never a parallel one of its ends)
        s = edges_by_id.get(e.id) if e.id else edges_by_key.get((e.source, e.type, e.target))
        if s is None:
            continue
        e.id = e.id or s.id
        e.properties = {**s.properties, **e.properties}
        if not e.citations:
            e.citations = list(s.citations)
    return view
