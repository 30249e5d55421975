"""Neo4j backend through the official ``neo4j`` driver (server, cluster or Aura)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, ServiceUnavailable, SessionExpired, TransientError
from neo4j.graph import Node, Relationship

from .. import queries as Q
from ..schema import primary_label
from .base import GraphStore, Row, StoreError, StoreUnreachable, Transaction

#: The addresses a Neo4j server or cluster answers on (``neo4j://`` routes: clusters, Aura).
URI_SCHEMES = ("bolt", "neo4j", "bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc")

T = TypeVar("T")

#: rows per UNWIND batch on writes
BATCH = 1000
#: Seconds a write (managed transaction) or a schema statement is retried after transient
#: conflicts with concurrent writers (deadlocks, schema locks) before it fails.
WRITE_RETRY_SECONDS = 120.0
#: Another process created the same constraint or index first: for ``IF NOT EXISTS``
#: statements that is success.
SCHEMA_ALREADY_THERE = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
}


#: Value types the driver returns as they are: :func:`plain` passes them through at once
#: (most cells; converting every cell recursively was a third of reading 57k rows).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Driver values -> plain Python: temporal types to ISO strings, nodes and
    relationships to their property maps, recursively."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, (Node, Relationship, dict)):
        return {k: v if type(v) in _SCALARS else plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _SCALARS else plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _plain_rows(records) -> list[Row]:
    """Driver records of one result -> rows of plain values (:func:`plain`). The columns
    are read once (a record is a tuple of values; ``Record.items()`` per record cost 40%
    more at 57k rows)."""
    records = list(records)
    if not records:
        return []
    keys = records[0].keys()
    return [{k: v if type(v) in _SCALARS else plain(v) for k, v in zip(keys, record)} for record in records]


def _rows(result) -> list[Row]:
    return _plain_rows(result)


class _Neo4jTx(Transaction):
    def __init__(self, tx):
        self._tx = tx
        self._nodes_created = 0
        self._relationships_created = 0

    def _count(self, result) -> None:
        counters = result.consume().counters
        # net: a corrected file may delete what no dataset states any more
        self._nodes_created += counters.nodes_created - counters.nodes_deleted
        self._relationships_created += counters.relationships_created - counters.relationships_deleted

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        result = self._tx.run(query, params or {})
        rows = _rows(result)
        self._count(result)
        return rows

    def run_many(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        # One round trip per batch: the statement is wrapped in UNWIND over its params.
        unwound = "UNWIND $batch AS row\n" + _rebind(query)
        for start in range(0, len(rows), BATCH):
            self._count(self._tx.run(unwound, {"batch": list(rows[start:start + BATCH])}))

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        unwound = "UNWIND $batch AS row\n" + _rebind(query)
        out: list[Row] = []
        for start in range(0, len(rows), BATCH):
            out.extend(self.run(unwound, {"batch": list(rows[start:start + BATCH])}))
        return out

    def lock_writers(self) -> None:
        # A write lock on one bookkeeping node (unique by constraint, so MERGE cannot make
        # two): held until commit, so writers that take it run one after another. Not
        # counted by created(): bookkeeping, not a node of the graph.
        self._tx.run(Q.WRITE_LOCK).consume()

    def created(self) -> tuple[int, int]:
        # The server's own counters for this transaction's statements.
        return self._nodes_created, self._relationships_created


def in_transactions(query: str, rows_per_transaction: int) -> str:
    """A one-row write statement run for every map of ``$batch`` in server-side batches
    committed every ``rows_per_transaction`` rows (``CALL { ... } IN TRANSACTIONS``: only
    in an auto-commit query; see :mod:`repgraph.ingest.bulk`)."""
    return (f"UNWIND $batch AS row\nCALL {{\n  WITH row\n{_rebind(query)}\n}} "
            f"IN TRANSACTIONS OF {int(rows_per_transaction)} ROWS")


def _rebind(query: str) -> str:
    """``$name`` -> ``row.name`` so a one-row statement runs under ``UNWIND $batch AS row``."""
    import re

    return re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", r"row.\1", query)


class Neo4jStore(GraphStore):
    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str | None = None, database: str = "neo4j"):
        self._uri = uri
        self._database = database
        auth = (user, password) if password else None
        scheme = uri.split("://", 1)[0].lower() if isinstance(uri, str) and "://" in uri else None
        if scheme not in URI_SCHEMES:  # the driver would take http(s) (a preview) or fail with a traceback
            raise StoreError(f"{uri!r} is not a Neo4j address: give {' or '.join(f'{s}://HOST:PORT' for s in URI_SCHEMES[:2])} "
                             "(+s or +ssc for TLS) in NEO4J_URI")
        try:
            # Fail fast when the server goes away (a 503 in seconds, not after 30 s of
            # retries), and keep "property key does not exist" notices out of the logs:
            # absent optional properties are normal in sparse human-rights data.
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=3.0, connection_acquisition_timeout=10.0,
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
        except AuthError as exc:
            raise StoreError(f"Neo4j at {uri} refused the credentials of user {user!r}") from exc
        except (ServiceUnavailable, OSError) as exc:
            raise StoreUnreachable(f"Neo4j at {uri} is unreachable: {exc}") from exc
        except (ValueError, ConfigurationError) as exc:  # a host or port the driver cannot use
            raise StoreError(f"{uri!r} is not a Neo4j address: {exc}") from exc

    @property
    def location(self) -> str:
        return self._uri

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        try:
            # An auto-commit read in a read session: one round trip (execute_query's
            # managed transaction costs two; measured 1.3 ms against 2.5-3.5 ms here).
            with self._driver.session(database=self._database, default_access_mode=neo4j.READ_ACCESS) as session:
                records = list(session.run(query, params or {}))
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnreachable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc
        except neo4j.exceptions.Neo4jError as exc:
            raise StoreError(f"Neo4j refused a query: {exc.message}") from exc
        return _plain_rows(records)

    def run_autocommit(self, query: str, params: dict[str, Any] | None = None) -> tuple[list[Row], tuple[int, int]]:
        """Run one statement as an auto-commit query in a write session (what
        ``CALL { ... } IN TRANSACTIONS`` needs): rows as plain values, and the (nodes,
        relationships) it created net of those it deleted."""
        try:
            with self._driver.session(database=self._database) as session:
                result = session.run(query, params or {})
                rows = _rows(result)
                c = result.consume().counters
                return rows, (c.nodes_created - c.nodes_deleted, c.relationships_created - c.relationships_deleted)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnreachable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc
        except neo4j.exceptions.Neo4jError as exc:
            raise StoreError(f"Neo4j refused a write: {exc.message}") from exc

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        # One round trip per batch: the anchored statement runs under UNWIND over its maps.
        unwound = "UNWIND $batch AS row\n" + _rebind(query)
        out: list[Row] = []
        for start in range(0, len(rows), BATCH):
            out.extend(self.read(unwound, {"batch": list(rows[start:start + BATCH])}))
        return out

    def search_candidates(self, words: Sequence[str]) -> list[Row]:
        from .. import queries as Q

        return self.read(Q.SEARCH_CANDIDATES, {"query": Q.fulltext_query(words)})

    def search_page(self, words, label, levels, limit, offset):
        from .. import queries as Q

        folded = " ".join(words)
        page = self.read(Q.SEARCH_PAGE, {
            "query": Q.fulltext_query(words), "label": label, "levels": None if levels is None else list(levels),
            "exact": f"|{folded}|", "prefix": f"|{folded}", "word": f" {folded}", "skip": offset, "limit": limit,
        })[0]
        return page["total"], [{"id": h["id"], "label": primary_label(h["labels"]),
                                "name": h["name"], "rank": h["rank"]} for h in page["page"]]

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        try:
            with self._driver.session(database=self._database) as session:
                with session.begin_transaction() as tx:
                    yield _Neo4jTx(tx)
                    tx.commit()
            self.local_commits += 1
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnreachable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc

    def write(self, work: Callable[[Transaction], T]) -> T:
        """A managed write transaction: the driver runs ``work`` again after transient
        errors (deadlocks between concurrent ingests), for up to WRITE_RETRY_SECONDS."""
        try:
            with self._driver.session(database=self._database, max_transaction_retry_time=WRITE_RETRY_SECONDS) as session:
                result = session.execute_write(lambda tx: work(_Neo4jTx(tx)))
            self.local_commits += 1
            return result
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnreachable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc
        except TransientError as exc:
            raise StoreError(f"Neo4j kept refusing a write for {WRITE_RETRY_SECONDS:.0f} s: {exc.message}") from exc

    def apply_schema(self, statements: Sequence[str], await_seconds: int = 60) -> list[str]:
        """See :meth:`GraphStore.apply_schema`; then waits until every index is online, at
        most ``await_seconds`` (a population running longer raises :class:`StoreError`)."""
        # Schema changes cannot share a transaction with data writes; each runs on its own.
        # Several processes may apply the schema at once (parallel ingests into a fresh
        # server): a rule another one created first is success, and transient errors
        # (deadlocks on the schema lock) are retried with backoff.
        try:
            with self._driver.session(database=self._database) as session:
                for stmt in statements:
                    self._schema_statement(session, stmt)
                self._schema_statement(session, Q.AWAIT_INDEXES, {"seconds": int(await_seconds)})
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnreachable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc
        return []

    @staticmethod
    def _schema_statement(session, stmt: str, params: dict[str, Any] | None = None) -> None:
        deadline = time.monotonic() + WRITE_RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                session.run(stmt, params or {}).consume()
                return
            except ClientError as exc:
                if exc.code in SCHEMA_ALREADY_THERE:
                    return
                raise StoreError(f"Neo4j refused a schema statement: {exc.message}") from exc
            except TransientError as exc:
                if time.monotonic() > deadline:
                    raise StoreError(f"Neo4j kept refusing a schema statement: {exc.message}") from exc
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 2.0)

    #: change_token costs a round trip: callers ask at most this often (seconds)
    change_token_interval = 1.0
    #: writes this object committed (caches of derived data rebuild after one)
    local_commits = 0

    def change_token(self) -> tuple[int, int]:
        """Node and relationship counts (Neo4j's count store: O(1), one round trip). A
        change of confidentiality in place keeps them: caches also expire on a timer."""
        row = self.read(Q.CHANGE_COUNTS)[0]
        return row["nodes"], row["relationships"]

    def close(self) -> None:
        self._driver.close()
