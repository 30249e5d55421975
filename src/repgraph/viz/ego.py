"""``ego``: an entity's neighbourhood (a defender's world, an organization's reach)."""

from __future__ import annotations

from ..merging import canonical
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..redaction import require_visible, shown_id
from ..limits import MAX_VIEW_NODES, Exit, knob
from ..store import GraphStore
from .model import View, enrich, from_subgraph

DEFAULT_MAX_NODES = 200


def build_ego(store: GraphStore, entity_id: str, depth: int = 1, max_nodes: int = DEFAULT_MAX_NODES,
              viewer: Viewer = DEFAULT_VIEWER, via: Exit = "cli") -> View:
    """Everything within ``depth`` hops (1..3) of ``entity_id``, at most ``max_nodes`` nodes
    (1..:data:`~repgraph.limits.MAX_VIEW_NODES`), nearest hops first, and every relationship
    between them (also between two nodes of the outermost ring). A notice says how many
    more were found, naming the knobs of exit ``via`` (``--depth`` or ``depth=``).
    Raises NotFound, ValueError."""
    entity_id = canonical(store, entity_id)  # a merged-away id answers its merged entity
    if not 1 <= max_nodes <= MAX_VIEW_NODES:
        raise ValueError(f"max_nodes: between 1 and {MAX_VIEW_NODES}")
    require_visible(store, viewer, entity_id)
    sub = disclose(S.ego_graph(store, entity_id, depth=depth, max_nodes=max_nodes, viewer=viewer), viewer, store)
    root_id = shown_id(store, viewer, entity_id)  # an id naming a protected person: shown opaque
    root = next(n for n in sub.nodes if n.id == root_id)
    hops = f"{depth} hop{'s' if depth > 1 else ''}"
    view = from_subgraph(
        sub, "ego", f"{root.name or root_id}: neighbourhood within {hops}", anchors=(root_id,),
        subtitle=f"{root.label} {root_id} and every element linked to it within {hops}, with the sources of each link.",
        data_source=f"{store.backend} store",
        hint=f"lower {knob('depth', via)} or raise {knob('max_nodes', via)}, at most {MAX_VIEW_NODES},",
    )
    return enrich(store, view, viewer)
