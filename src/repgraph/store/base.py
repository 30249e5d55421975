"""The GraphStore contract: what every backend offers, and nothing more.

A backend runs parameterised Cypher from :mod:`repgraph.queries` and returns rows as
plain Python values (``dict``/``list``/``str``/``int``/``float``/``bool``/``None``):
no driver types leave a backend, so both backends give identical answers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Row = dict[str, Any]
T = TypeVar("T")


class StoreError(RuntimeError):
    """The store could not answer (server down, file unreadable). The message is for people."""


class StoreUnreachable(StoreError):
    """Nothing answers at the store's address (a stopped server, a closed port). Not raised
    for a server that answers and refuses (credentials) nor for an address that is not one."""


class StoreMissing(StoreError):
    """A read named a store that does not exist (e.g. a mistyped ``--db``). Nothing was created:
    only commands that write (``ingest``, ``demo``) create a store."""


class Transaction(ABC):
    """A unit of work: everything run through it commits together or not at all."""

    @abstractmethod
    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run one Cypher statement inside the transaction; rows as plain values."""

    def run_many(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        """Run ``query`` once per parameter map in ``rows`` (write helper).

        Backends may batch; the default runs them one by one.
        """
        for params in rows:
            self.run(query, params)

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        """:meth:`GraphStore.read_many` inside the transaction: it sees the transaction's
        own writes, and (after :meth:`lock_writers`) nothing another writer commits
        meanwhile. The default runs the maps one by one."""
        out: list[Row] = []
        for params in rows:
            out.extend(self.run(query, params))
        return out

    def lock_writers(self) -> None:
        """Serialise this transaction with every other writer that calls it: run it first,
        and what the transaction reads afterwards stays as read until it commits (no
        read-modify-write race between concurrent ingests). Both backends write the one
        ``WriteLock`` node (Neo4j locks it; the embedded store's ``BEGIN IMMEDIATE`` holds
        the file's lock already); it is not counted by :meth:`created`. The default does
        nothing."""

    def created(self) -> tuple[int, int]:
        """(nodes, relationships) this transaction has created so far, net of those it
        deleted: what it adds, not what other writers committed meanwhile (ingest reports
        it as "+N")."""
        raise NotImplementedError


class GraphStore(ABC):
    """A graph database speaking Cypher. Thin: no domain logic lives here."""

    #: ``"embedded"`` or ``"neo4j"``
    backend: str

    #: Whether ORDER BY/SKIP/LIMIT over thousands of rows is cheap in the database (Neo4j)
    #: or cheaper in Python after a flat read (GraphQLite 0.12, measured in bench/). The
    #: one per-backend choice the service makes; tests/test_conformance.py runs both paths
    #: on both backends.
    sorts_in_database: bool = True

    @abstractmethod
    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run a read-only Cypher statement; rows as plain values.

        Raises StoreError when the database cannot be reached.
        """

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        """Run an anchored read once per parameter map in ``rows``; all rows, concatenated.

        For statements anchored on one id (``{id: $id}``): the shape both engines answer
        through an index. ``query`` must not aggregate or ORDER BY (a backend may batch
        the maps into one round trip); callers sort. The default runs them one by one.
        """
        out: list[Row] = []
        for params in rows:
            out.extend(self.read(query, params))
        return out

    def entities(self, ids: Sequence[str]) -> list[Row]:
        """The rows of :data:`repgraph.queries.ENTITY` run for each id of ``ids`` (distinct)
        (``id``, ``label``, ``props``), unordered; unknown ids give no rows. The default runs that
        statement (:meth:`read_many`); the embedded store reads GraphQLite's tables in
        SQL (store/edges_sqlite.py). Raises StoreError."""
        from .. import queries as Q

        return self.read_many(Q.ENTITY, [{"id": i} for i in ids])

    def relationships_of(self, ids: Sequence[str]) -> list[Row]:
        """Every relationship of each :Entity node of ``ids`` (distinct) to an :Entity
        node, once per end in ``ids``: the rows of :data:`repgraph.queries.NEIGHBOURS` run for each id
        (``nodeId``, ``type``, ``outgoing``, ``props``, ``otherId``, ``otherLabels``,
        ``otherName``, ``otherConfidentiality``), unordered; unknown ids give no rows.
        The default runs that statement (:meth:`read_many`); the embedded store reads
        GraphQLite's tables in SQL (store/edges_sqlite.py). Raises StoreError."""
        from .. import queries as Q

        return self.read_many(Q.NEIGHBOURS, [{"id": i} for i in ids])

    def relationships_among(self, ids: Sequence[str]) -> list[Row]:
        """Every relationship whose two ends are :Entity nodes of ``ids``, once, seen from
        its start node: the rows of :data:`repgraph.queries.RELATIONSHIPS_AMONG`
        (NEIGHBOURS' columns, ``outgoing`` true), unordered. The default runs that
        statement; the embedded store reads GraphQLite's tables in SQL
        (store/edges_sqlite.py). Raises StoreError."""
        from .. import queries as Q

        return self.read(Q.RELATIONSHIPS_AMONG, {"ids": list(ids)}) if ids else []

    @abstractmethod
    def search_candidates(self, words: Sequence[str]) -> list[Row]:
        """Nodes in which every one of ``words`` (folded, ``[a-z0-9]+``, from
        :func:`repgraph.ontology.search_words`) starts a word of the folded names
        (``searchText``), from the backend's full-text index; unordered rows of ``id``,
        ``labels``, ``name``, ``searchText``, ``confidentiality``. Raises ValueError on
        anything but folded words, StoreError when the store cannot answer."""

    def search_page(self, words: Sequence[str], label: str | None, levels: Sequence[str] | None,
                    limit: int, offset: int) -> tuple[int, list[Row]] | None:
        """(total, page of ``id``, ``label``, ``name``, ``rank``) of :meth:`search_candidates`
        filtered (``label``, confidentiality in ``levels``; None: any), ranked and paged in the
        database as ``service.search`` documents; None when the backend leaves that to the
        service (the default). Backends that answer are held to the service's order by
        tests/test_conformance.py."""
        return None

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: commits on normal exit, rolls back on any exception."""

    def write(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work(tx)`` in one write transaction and return its result; commits when it
        returns, rolls back when it raises.

        Unlike :meth:`transaction`, the unit of work is a function, so a backend may run it
        again after a transient conflict with a concurrent writer (a deadlock on Neo4j, a
        busy file on the embedded store): ``work`` must have no effects outside ``tx``.
        Raises :class:`StoreError` when the store cannot be reached or the conflict persists.
        """
        with self.transaction() as tx:
            return work(tx)

    @abstractmethod
    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        """Apply schema statements (constraints, indexes); returns the ones skipped, with why.

        Idempotent, also when several processes apply the same schema at once."""

    @abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    #: :meth:`change_token` is cheap (0) or costs a round trip: callers then ask at most
    #: every this many seconds.
    change_token_interval: float = 0.0

    def change_token(self) -> Any:
        """A value that changes whenever the data may have changed (any connection's
        commit), or None when the backend cannot tell cheaply: caches of derived data
        (the redaction inventory) then expire on a short timer instead."""
        return None

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the data lives (a file path or a server URI), for messages."""
