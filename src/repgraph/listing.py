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
    confidentiality and citations (source titles filled in). Raises ValueError on an
    unknown label or a bad page.

    For a ``viewer`` without full clearance the page and ``total`` are those of the viewer's
    graph (a node they may not see is neither listed nor counted), and the nodes shown to
    them under a masked id (a protected person's opaque id, an id naming one) come after
    every other node, in the order of the ids they are shown under: listed among the
    others by their real ids, a masked element's place told the viewer where the real id
    sorts (its first letters). The caller still passes the page through
    :func:`~repgraph.disclosure.disclose` (protected persons become pseudonyms)."""
    if not 1 <= limit <= MAX_LIST_LIMIT or offset < 0:
        raise ValueError(f"limit: 1 to {MAX_LIST_LIMIT}; offset: 0 or more")
    red = S._redactor(store, viewer)
    titles = S._titles(store)
    if red is None:
        total = int(store.read(Q.count_of_label(label), {"hidden": []})[0]["total"])
        rows = store.read(Q.list_of_label(label), {"skip": offset, "limit": limit, "hidden": []})
    else:
        ids = [r["id"] for r in store.read(Q.ids_of_label(label), {"hidden": sorted(red.hidden)})]
        shown = {i: red.mask_ids(i, True) for i in ids}
        order = [i for i in ids if shown[i] == i] + sorted((i for i in ids if shown[i] != i), key=shown.__getitem__)
        total, wanted = len(order), order[offset:offset + limit]
        found = {r["id"]: r["props"] for r in store.entities(wanted)}
        rows = [{"id": i, **{k: found[i].get(k) for k in ("name", "type", "date", "confidentiality", "citations")}}
                for i in wanted if i in found]
    items = [ListedEntity(id=r["id"], label=label, name=r["name"], type=r["type"], date=r["date"],
                          confidentiality=r["confidentiality"], citations=S._citations(store, r["citations"], titles))
             for r in rows]
    return EntityList(label=label, total=total, limit=limit, offset=offset, items=items)
