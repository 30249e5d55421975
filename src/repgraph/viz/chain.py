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
        elif link.role == "head_post":  # the post a unit's head holds, climbed when it reports upward
            edge = ViewEdge(link.below, link.entity.id, "HOLDS", properties=props)
        elif link.kind == "position":  # the perpetrator's own post
            edge = ViewEdge(link.below, link.entity.id, "HOLDS", properties=props)
        elif link.role == "command":  # head of a perpetrating or superior organization
            edge = ViewEdge(link.entity.id, link.below, "COMMANDS", properties=props)
        else:  # holder of a superior post
            edge = ViewEdge(link.entity.id, link.below, "HOLDS", properties=props)
        if link.certainty == "may_have_held":
            edge.caption = "may have held"  # the sources do not date the post over the incident
        edge.citations = cites
        # a drawn COMMANDS link stands for the head's HOLDS, which may be drawn too (the head
        # post, a superior post's holder): the view keeps one edge per id, so the drawn link
        # takes none and the HOLDS edge keeps the stored id
        edge.id = None if link.role == "command" else link.relationship_id
        view.add_edge(edge)
    _settle_levels(view, chain.links)
    if not any(link.kind == "perpetrator" for link in chain.links):
        view.notices.append(_sentence(no_perpetrator_note(viewer)) + " There is no chain of command to draw.")
    if chain.note:
        view.notices.append(chain.note[0].upper() + chain.note[1:] + ".")
    if not chain.victims:
        view.notices.append(_sentence(no_victim_note(viewer)))
    return enrich(store, view, viewer)


def _settle_levels(view: View, links) -> None:
    """Draw every superior above what it commands when an element is reached by two paths
    (a unit's head post is also the post above an agent's post): each node's level is
    raised until a superior, a perpetrator's own post and the head of a perpetrating unit
    are one level above what they stand over, and a holder or head post beside what it
    holds (levels only rise, so this ends)."""
    perpetrators = {link.entity.id for link in links if link.kind == "perpetrator"}
    rules = []
    for link in links:
        if link.kind == "perpetrator" or link.role == "reports_to" or (link.kind == "position" and link.role == "held"):
            rules.append((link.entity.id, link.below, 1))
        elif link.role == "command":
            rules.append((link.entity.id, link.below, 1 if link.below in perpetrators else 0))
        else:  # a holder of a superior post, a head post: beside it
            rules.append((link.entity.id, link.below, 0))
    nodes = {n.id: n for n in view.nodes}
    for _ in range(len(rules) + 1):
        changed = False
        for upper, lower, gap in rules:
            up, low = nodes.get(upper), nodes.get(lower)
            if up is not None and low is not None and up.level is not None and low.level is not None \
                    and up.level < low.level + gap:
                up.level = low.level + gap
                changed = True
        if not changed:
            break
