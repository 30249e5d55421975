"""Lists of the nodes of one label, paged, without a search word (``repgraph list
Incident``): how an investigator sees every incident, law or operation in the store."""

from __future__ import annotations

from . import queries as Q
from . import service as S
from .disclosure import DEFAULT_VIEWER, Viewer
from .models import EntityList, ListedEntity
from .store import GraphStore

#: Largest page of a list.
MAX_LIST_LIMIT = 1000


def list_entities(store: GraphStore, label: str, limit: int = 50, offset: int = 0,
                  viewer: Viewer = DEFAULT_VIEWER) -> EntityList:
    """One page (``limit`` 1..:data:`MAX_LIST_LIMIT`, ``offset`` >= 0) of the nodes labelled
    ``label`` (a label of the ontology), in id order, each with its name, type, date,
    confidentiality and citations (source titles filled in). For a ``viewer`` without full
    clearance the page and ``total`` are those of the viewer's graph (a node they may not
    see is neither listed nor counted), and the persons shown to them under a pseudonym
    come after every other node, in the order of their opaque ids: listed among the others
    by their real ids, a pseudonym's place told the viewer where the protected id sorts
    (its first letters). The caller still passes the page through
    :func:`~repgraph.disclosure.disclose` (protected persons become pseudonyms). Raises
    ValueError on an unknown label or a bad page."""
    if not 1 <= limit <= MAX_LIST_LIMIT or offset < 0:
        raise ValueError(f"limit: 1 to {MAX_LIST_LIMIT}; offset: 0 or more")
    red = S._redactor(store, viewer)
    titles = S._titles(store)
    pseudonymised = sorted(red.persons, key=red.opaque) if red is not None and label == "Person" else []
    unlisted = sorted(red.hidden | set(pseudonymised)) if red is not None else []
    named_total = int(store.read(Q.count_of_label(label), {"hidden": unlisted})[0]["total"])
    rows = []
    if offset < named_total:
        rows = store.read(Q.list_of_label(label), {"skip": offset, "limit": limit, "hidden": unlisted})
    start = max(0, offset - named_total)
    wanted = pseudonymised[start:start + limit - len(rows)]
    if wanted:
        found = {r["id"]: r["props"] for r in store.entities(wanted)}
        rows += [{"id": i, **{k: found[i].get(k) for k in ("name", "type", "date", "confidentiality", "citations")}}
                 for i in wanted if i in found]
    items = [ListedEntity(id=r["id"], label=label, name=r["name"], type=r["type"], date=r["date"],
                          confidentiality=r["confidentiality"], citations=S._citations(store, r["citations"], titles))
             for r in rows]
    total = named_total + len(pseudonymised)
    return EntityList(label=label, total=total, limit=limit, offset=offset, items=items)
