"""``path``: the shortest connections between two entities (:mod:`repgraph.analytics.paths`),
laid out left to right from the first to the second."""

from __future__ import annotations

from ..analytics.paths import connecting_subgraph, path_subgraph, paths_report
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible, shown_id
from ..limits import Exit, knob
from ..models import Subgraph
from ..store import GraphStore
from .model import View, enrich, from_subgraph


def build_path(store: GraphStore, source: str, target: str, max_hops: int = 6, limit: int = 10,
               viewer: Viewer = DEFAULT_VIEWER, via: Exit = "cli") -> View:
    """Every shortest connection (up to ``limit``) of at most ``max_hops`` hops between
    ``source`` and ``target``; documentation links (sources) are not connections.
    Raises NotFound, ValueError."""
    require_visible(store, viewer, source, target)
    walked = disclose(connecting_subgraph(store, source, target, max_hops=max_hops, viewer=viewer), viewer, store)
    report = paths_report(store, source, target, max_hops=max_hops, limit=limit, walked=walked, viewer=viewer)
    source, target = shown_id(store, viewer, source), shown_id(store, viewer, target)  # as the walk names them
    paths = [[n.id for n in p.nodes] for p in report.paths]
    sub = path_subgraph(walked, paths) if paths else Subgraph(
        nodes=[n for n in walked.nodes if n.id in (source, target)], edges=[])
    a, b = report.source, report.target
    found = (f"{report.hops} hop{'s' if report.hops != 1 else ''}, {report.total_paths} shortest "
             f"connection{'s' if report.total_paths != 1 else ''}" if paths else "no connection found")
    view = from_subgraph(
        sub, "path", f"Connections: {a.name or a.id} \u2194 {b.name or b.id}", anchors=(source, target),
        subtitle=f"{found}; links through sources (documentation) are not counted as connections.",
        layout="hierarchical", direction="LR", data_source=f"{store.backend} store",
    )
    distance = {n: i for p in paths for i, n in enumerate(p)}
    for n in view.nodes:
        n.level = distance.get(n.id, 0 if n.id == source else max_hops)
    if not paths:
        view.notices.append(f"No connection of at most {max_hops} hops ({knob('max_hops', via)}) between these two in the store"
                            + (" (the search stopped at its node cap)." if report.exploration_capped else "."))
    if report.truncated:
        view.notices.append(f"{report.total_paths} shortest connections exist; the first {limit} are drawn "
                            f"(raise {knob('limit', via)} to see more).")
    return enrich(store, view, viewer)
