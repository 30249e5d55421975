"""``operation`` and ``law``: the incidents under one operation or law, their victims and
perpetrators (a two-hop walk over ``PART_OF``/``APPLIED_LAW``, ``TARGETED`` and
``PERPETRATED_BY``)."""

from __future__ import annotations

from ..merging import canonical
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..empty_answers import no_incident_note, no_perpetrator_note
from ..redaction import require_visible, shown_id
from ..limits import MAX_VIEW_NODES, Exit, knob
from ..wording import article
from ..store import GraphStore
from .model import View, enrich, from_subgraph

DEFAULT_MAX_NODES = 300


def _sentence(note: str) -> str:
    return note[0].upper() + note[1:] + "."


def _incidents_view(store: GraphStore, entity_id: str, label: str, link: str, max_nodes: int, viewer: Viewer,
                    via: Exit) -> View:
    if not 1 <= max_nodes <= MAX_VIEW_NODES:
        raise ValueError(f"max_nodes: between 1 and {MAX_VIEW_NODES}")
    require_visible(store, viewer, entity_id)
    sub = disclose(S.ego_graph(store, entity_id, depth=2, types=[link, "TARGETED", "PERPETRATED_BY"],
                               max_nodes=max_nodes, viewer=viewer), viewer, store)
    root_id = shown_id(store, viewer, entity_id)  # an id naming a protected person: shown opaque
    root = next(n for n in sub.nodes if n.id == root_id)
    if root.label != label:
        raise S.NotFound(f"no {label.lower()} with id {entity_id!r} (it is {article(root.label or 'node')})")
    incidents = [n for n in sub.nodes if n.label == "Incident"]
    victims = {e.target for e in sub.edges if e.type == "TARGETED"}
    perpetrators = {e.target for e in sub.edges if e.type == "PERPETRATED_BY"}
    what = "operation" if label == "Operation" else "law"
    view = from_subgraph(
        sub, what, f"{root.name or root_id}: incidents, victims and perpetrators", anchors=(root_id,),
        subtitle=(f"{label} {root_id}: {len(incidents)} incident{'s' if len(incidents) != 1 else ''}, "
                  f"{len(victims)} victim{'s' if len(victims) != 1 else ''} named, "
                  f"{len(perpetrators)} perpetrator{'s' if len(perpetrators) != 1 else ''} named."),
        data_source=f"{store.backend} store",
        hint=f"raise {knob('max_nodes', via)}, at most {MAX_VIEW_NODES},",
    )
    if not incidents:
        view.notices.append(_sentence(no_incident_note(viewer, what)))
    elif not perpetrators:
        view.notices.append(_sentence(no_perpetrator_note(viewer, "these incidents")))
    return enrich(store, view, viewer)


def build_operation(store: GraphStore, operation_id: str, max_nodes: int = DEFAULT_MAX_NODES,
                    viewer: Viewer = DEFAULT_VIEWER, via: Exit = "cli") -> View:
    """The incidents that were part of an operation, their victims and perpetrators.
    Raises NotFound (also when the id is not an Operation), ValueError."""
    operation_id = canonical(store, operation_id)  # a merged-away id answers its merged entity
    return _incidents_view(store, operation_id, "Operation", "PART_OF", max_nodes, viewer, via)


def build_law(store: GraphStore, law_id: str, max_nodes: int = DEFAULT_MAX_NODES,
              viewer: Viewer = DEFAULT_VIEWER, via: Exit = "cli") -> View:
    """The incidents a law was applied in, their victims and perpetrators.
    Raises NotFound (also when the id is not a Law), ValueError."""
    law_id = canonical(store, law_id)  # a merged-away id answers its merged entity
    return _incidents_view(store, law_id, "Law", "APPLIED_LAW", max_nodes, viewer, via)
