"""Shared helpers: citations with their sources' titles and publishers, fetched once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .. import queries as Q
from ..models import CitationOut, EntityRef
from ..ontology import date_bounds
from ..schema import primary_label
from ..store import GraphStore
from .models import SourceRef


def each(store: GraphStore, query: str, ids) -> list[dict]:
    """``query`` (anchored on ``$id``) for every id, through ``read_many``."""
    return store.read_many(query, [{"id": i} for i in ids])


def posts_of(store: GraphStore, person_id: str) -> list[dict]:
    """:data:`~repgraph.queries.POSTS_OF` rows, one per post and organization the post is
    IN (``organizationId``/``organization``, ordered by organization id), or one with both
    None when the post is IN none (what ``OPTIONAL MATCH`` gave)."""
    out = []
    for row in store.read(Q.POSTS_OF, {"id": person_id}):
        orgs = sorted((o for o in row.pop("organizations") or () if o and o.get("id") is not None), key=lambda o: o["id"])
        for org in orgs or [{"id": None, "name": None}]:
            out.append({**row, "organizationId": org["id"], "organization": org["name"],
                        "organizationConfidentiality": org.get("confidentiality")})
    return out


def citation_items(raw: str | list | None) -> list[dict]:
    if isinstance(raw, str):
        return json.loads(raw)
    return list(raw or [])


class Citer:
    """Turns stored citation JSON into :class:`CitationOut` lists, reading each cited
    source (title, publisher) once per answer."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.sources: dict[str, SourceRef] = {}

    def load(self, *raws: Any) -> None:
        wanted = {c["source"] for raw in raws for c in citation_items(raw)} - self.sources.keys()
        for r in each(self.store, Q.SOURCE, sorted(wanted)):
            self.sources[r["id"]] = SourceRef(**r)

    def __call__(self, raw: Any) -> list[CitationOut]:
        items = citation_items(raw)
        self.load(items)
        return [CitationOut(source_title=(self.sources.get(c["source"]) or SourceRef(id=c["source"])).title, **c) for c in items]

    def source(self, ident: str) -> SourceRef:
        if ident not in self.sources:
            self.load([{"source": ident}])
        return self.sources.get(ident) or SourceRef(id=ident)


def ref(ident: str, labels_or_label: Any, name: str | None, confidentiality: str | None = None) -> EntityRef:
    label = labels_or_label if isinstance(labels_or_label, str) or labels_or_label is None else primary_label(labels_or_label)
    return EntityRef(id=ident, label=label, name=name, confidentiality=confidentiality)


def iso_day(value: str | None, *, default: str | None = None, field: str = "date") -> str:
    """A full ISO day from ``value`` (today when None and no default). Raises ValueError
    naming ``field`` on anything but ``YYYY-MM-DD``."""
    if value is None:
        return default or date.today().isoformat()
    try:
        first, last, _ = date_bounds(value)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None
    if first != last:
        raise ValueError(f"{field}: give a full day (YYYY-MM-DD), not {value!r}")
    return first
