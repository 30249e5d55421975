"""``ego``: an entity's neighbourhood (a defender's world, an organization's reach)."""

from __future__ import annotations

from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible
from ..store import GraphStore
from .model import View, enrich, from_subgraph

DEFAULT_MAX_NODES = 200


def build_ego(store: GraphStore, entity_id: str, depth: int = 1, max_nodes: int = DEFAULT_MAX_NODES,
              viewer: Viewer = DEFAULT_VIEWER) -> View:
    """Everything within ``depth`` hops (1..3) of ``entity_id``, at most ``max_nodes`` nodes
    (a notice says how many more were found). Raises NotFound, ValueError."""
    require_visible(store, viewer, entity_id)
    sub = disclose(S.ego_graph(store, entity_id, depth=depth, max_nodes=max_nodes, viewer=viewer), viewer, store)
    root = next(n for n in sub.nodes if n.id == entity_id)
    hops = f"{depth} hop{'s' if depth > 1 else ''}"
    view = from_subgraph(
        sub, "ego", f"{root.name or entity_id}: neighbourhood within {hops}", anchors=(entity_id,),
        subtitle=f"{root.label} {entity_id} and every element linked to it within {hops}, with the sources of each link.",
        data_source=f"{store.backend} store",
    )
    if sub.truncated:
        view.notices[0] = view.notices[0].replace("(lower the depth or raise max_nodes", "(lower --depth or raise --max-nodes")
    return enrich(store, view, viewer)
