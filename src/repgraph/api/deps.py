"""Dependencies shared by the routes: the store, the viewer, pagination parameters."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from typing import Annotated, Literal

import anyio
from fastapi import Depends, Path, Query, Request
from pydantic import BeforeValidator, TypeAdapter

from ..merging import canonical
from .. import queries as Q
from ..config import Settings
from ..disclosure import Viewer
from ..ontology import NODE_MODELS, REL_MODELS, Id
from ..service import NotFound
from ..store import GraphStore, open_store
from .security import get_viewer  # noqa: F401  (who is asking: the viewer of the request's API key)

#: Largest page any list endpoint returns.
MAX_LIMIT = 1000
#: Largest offset accepted (beyond any real dataset; bounds the parameter for clients and fuzzers).
MAX_OFFSET = 1_000_000


class StoreProvider:
    """Opens the configured store on first use and keeps it for the app's lifetime.

    Opening lazily lets the service start while Neo4j is down: requests then answer 503
    with the reason, and succeed once it is back. A store passed in is used as is and
    left open (its owner closes it). ``pseudonyms`` (the registry of the app's access
    file) is attached to the store (:func:`repgraph.redaction.attach`) as soon as there
    is one: redaction then shows the ids and numbers every process over that file shows.
    """

    def __init__(self, settings: Settings | None, store: GraphStore | None = None, pseudonyms=None):
        self._settings = settings
        self._store = store
        self._owned = store is None
        self._lock = threading.Lock()
        self._pseudonyms = pseudonyms
        if store is not None and pseudonyms is not None:
            from ..redaction import attach

            attach(store, pseudonyms)

    @property
    def opened(self) -> GraphStore | None:
        """The store if it is open, else None (without opening it)."""
        return self._store

    def get(self) -> GraphStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    store = open_store(self._settings)  # StoreError -> 503
                    if self._pseudonyms is not None:
                        from ..redaction import attach

                        attach(store, self._pseudonyms)
                    self._store = store
        return self._store

    def close(self) -> None:
        if self._owned and self._store is not None:
            self._store.close()
            self._store = None


async def get_store(request: Request) -> GraphStore:
    """The app's store; opened (in a worker thread: it may wait for Neo4j) on first use.

    ``async`` so that the usual case, a store already open, costs no thread hop (FastAPI
    runs a plain ``def`` dependency in a worker thread). StoreError -> 503."""
    provider: StoreProvider = request.app.state.stores
    store = provider.opened
    if store is not None:
        return store
    return await anyio.to_thread.run_sync(provider.get)


StoreDep = Annotated[GraphStore, Depends(get_store)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


#: The ontology's id constraint, so malformed ids are refused (422) before any query runs.
_ID = TypeAdapter(Id).json_schema()
ID_RULES = {"min_length": _ID["minLength"], "max_length": _ID["maxLength"], "pattern": _ID["pattern"]}

EntityId = Annotated[str, Path(description="A stable entity id, e.g. `person-yendri-velasquez`.", **ID_RULES)]
IncidentId = Annotated[str, Path(description="An incident id, e.g. `inc-velasquez-detention-2024-08-03`.", **ID_RULES)]

#: Node labels and relationship types of the ontology (documented as enums in the OpenAPI spec).
NodeLabel = Literal[tuple(NODE_MODELS)]
RelType = Literal[tuple(REL_MODELS)]

def _iso_text(value):
    # pydantic reads a number as a Unix time (`9.07e-89` -> 1970-01-01, `since=1212`) and
    # "2019" as one too: a date or moment in a query is only ever written the ISO way.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?", value):
        raise ValueError("must be an ISO date, YYYY-MM-DD (or an ISO moment, YYYY-MM-DDTHH:MM:SS)")
    return value


#: A day written YYYY-MM-DD, nothing else.
IsoDay = Annotated[date, BeforeValidator(_iso_text)]
#: A day or a moment written the ISO way (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]).
IsoMoment = Annotated[date | datetime, BeforeValidator(_iso_text)]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (1..{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (stable ordering).")]


def require_entity(store: GraphStore, entity_id: str, what: str = "entity") -> None:
    """NotFound (404) when no node has ``entity_id``: an unknown id in a filter is an error,
    not an empty answer. An id merged into another entity (``repgraph merge``) is known."""
    if not store.read(Q.ENTITY, {"id": canonical(store, entity_id)}):
        raise NotFound(f"no {what} with id {entity_id!r}")
