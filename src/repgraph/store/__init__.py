"""Graph stores: the embedded default (GraphQLite/SQLite) and Neo4j, behind one contract.

Only :func:`open_store` knows which backend it builds; everything else talks to a
:class:`GraphStore`.
"""

from __future__ import annotations

from ..config import Settings, get_settings
from .base import GraphStore, Row, StoreError, StoreMissing, StoreUnreachable, Transaction

__all__ = ["GraphStore", "Row", "StoreError", "StoreMissing", "StoreUnreachable", "Transaction", "open_store"]


def open_store(settings: Settings | None = None, create: bool = False) -> GraphStore:
    """Open the configured backend.

    ``create``: whether a missing embedded store file may be created (only commands that
    write do so: ``ingest``, ``demo``). Reads of a file that does not exist raise
    :class:`StoreMissing` naming the path and leave nothing behind, so a mistyped ``--db``
    is an error, never an empty answer. Raises :class:`StoreError` when the store cannot
    be reached or opened.
    """
    settings = settings or get_settings()
    if settings.backend == "neo4j":
        from .neo4j_backend import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    from .embedded import EmbeddedStore

    return EmbeddedStore(settings.db, create=create)
