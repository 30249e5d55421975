"""``exile``: defenders and the host countries they fled to, by route; countries sized by
the number of defenders; the sourced aggregate figures beside them."""

from __future__ import annotations

from collections import defaultdict

from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..store import GraphStore
from .model import View, ViewEdge, ViewNode, enrich


def _figure(s) -> str:
    value = f"{s.value:g}{'%' if s.unit == 'percent' else ''}"
    period = f" ({s.period_start or '…'} to {s.period_end or '…'})" if s.period_start or s.period_end else ""
    quote = f" \u2014 \u201c{s.citations[0].quote}\u201d ({s.citations[0].source_title or s.citations[0].source})" if s.citations else ""
    return f"{(s.qualifier + ' ') if s.qualifier else ''}{value} {s.measure or s.name or s.id}{period}{quote}"


def build_exile(store: GraphStore, viewer: Viewer = DEFAULT_VIEWER) -> View:
    """Every individual exile record of a defender (:func:`repgraph.service.exile_flows`):
    person -> host country (``EXILED_TO``, the route under the type), the border place
    crossed where known (a drawn ``VIA`` link), countries sized by their defenders."""
    flows = disclose(S.exile_flows(store, "country"), viewer)
    per_country: dict[str, set[str]] = defaultdict(set)
    for rec in flows.records:
        per_country[rec.country.id].add(rec.person.id)
    view = View(
        kind="exile", title="Exile: defenders and their host countries", nodes=[], edges=[],
        subtitle=(f"{len({r.person.id for r in flows.records})} defenders named in individual records, "
                  f"{len(per_country)} host countr{'ies' if len(per_country) != 1 else 'y'}; "
                  "country size = defenders recorded there. Reported aggregate figures are listed under Notes."),
        data_source=f"{store.backend} store",
    )
    for rec in flows.records:
        count = len(per_country[rec.country.id])
        view.add_node(ViewNode(id=rec.country.id, label="Country", name=rec.country.name, value=count,
                               caption=f"{count} defender{'s' if count != 1 else ''}"))
        view.add_node(ViewNode(id=rec.person.id, label="Person", name=rec.person.name))
        props = {k: v for k, v in (("date", rec.date), ("route", rec.route), ("via", rec.via)) if v}
        view.add_edge(ViewEdge(rec.person.id, rec.country.id, "EXILED_TO", id=rec.id, properties=props,
                               caption=rec.route, citations=list(rec.citations)))
        if rec.via:
            view.add_node(ViewNode(id=rec.via, label=None, name=None))
            view.add_edge(ViewEdge(rec.person.id, rec.via, "VIA", properties={"route": rec.route} if rec.route else {}))
    if not flows.records:
        view.notices.append("No individual exile record of a defender is in the store.")
    view.notes.extend(_figure(s) for s in flows.statistics)
    return enrich(store, view, viewer)
