"""``chain``: an incident's victims, its perpetrators and the chain of command above them,
valid at the incident's date (:func:`repgraph.service.responsibility_chain`)."""

from __future__ import annotations

from ..merging import canonical
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..empty_answers import no_perpetrator_note, no_victim_note
from ..redaction import require_visible
from ..store import GraphStore
from .model import View, ViewEdge, ViewNode, enrich


def _sentence(note: str) -> str:
    return note[0].upper() + note[1:] + "."


def build_chain(store: GraphStore, incident_id: str, viewer: Viewer = DEFAULT_VIEWER) -> View:
    """Victims at the bottom, the incident, its perpetrators, then each level of command
    above them, top-most highest. An organization's head at the date is linked to it by a
    drawn ``COMMANDS`` link (they hold its head post). Raises NotFound."""
    incident_id = canonical(store, incident_id)  # a merged-away id answers its merged entity
    require_visible(store, viewer, incident_id)
    chain = disclose(S.responsibility_chain(store, incident_id), viewer, store)
    inc = chain.incident
    when = inc.date or "undated"
    view = View(
        kind="chain", title=f"Chain of command: {inc.name or inc.id}", nodes=[], edges=[], layout="hierarchical",
        subtitle=(f"{(inc.type or 'incident').replace('_', ' ')}, {when}: victims at the bottom, perpetrators above, then the posts and "
                  "superiors valid over the incident's whole date range."),
        data_source=f"{store.backend} store",
    )
    view.add_node(ViewNode(id=inc.id, label="Incident", name=inc.name, level=1, anchor=True, citations=list(inc.citations)))
    for v in chain.victims:
        view.add_node(ViewNode(id=v.id, label=v.label or "Person", name=v.name, level=0))
        view.add_edge(ViewEdge(source=inc.id, target=v.id, type="TARGETED"))
    for link in chain.links:
        view.add_node(ViewNode(id=link.entity.id, label=link.entity.label, name=link.entity.name, level=link.level + 2))
        props = {k: v for k, v in (("validFrom", link.valid_from), ("validTo", link.valid_to), ("certainty", link.certainty)) if v}
        cites = list(link.citations)
        if link.kind == "perpetrator":
            edge = ViewEdge(inc.id, link.entity.id, "PERPETRATED_BY", properties={"role": link.role, **props},
                            caption=link.role)  # ordered / direct / participated, under the type
        elif link.role == "reports_to":
            edge = ViewEdge(link.below, link.entity.id, "REPORTS_TO", properties=props)
        elif link.kind == "position":  # the perpetrator's own post
            edge = ViewEdge(link.below, link.entity.id, "HOLDS", properties=props)
        elif link.role == "command":  # head of a perpetrating or superior organization
            edge = ViewEdge(link.entity.id, link.below, "COMMANDS", properties=props)
        else:  # holder of a superior post
            edge = ViewEdge(link.entity.id, link.below, "HOLDS", properties=props)
        if link.certainty == "may_have_held":
            edge.caption = "may have held"  # the sources do not date the post over the incident
        edge.citations = cites
        # a drawn COMMANDS link is derived: its relationship id is the head post's HOLDS,
        # drawn apart when that post is in the chain too (one stored id, one edge)
        edge.id = None if edge.type == "COMMANDS" else link.relationship_id
        view.add_edge(edge)
    if not any(link.kind == "perpetrator" for link in chain.links):
        view.notices.append(_sentence(no_perpetrator_note(viewer)) + " There is no chain of command to draw.")
    if chain.note:
        view.notices.append(chain.note[0].upper() + chain.note[1:] + ".")
    if not chain.victims:
        view.notices.append(_sentence(no_victim_note(viewer)))
    return enrich(store, view, viewer)
