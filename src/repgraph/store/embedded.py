"""Embedded backend: GraphQLite (a SQLite extension speaking Cypher) over one SQLite file.

Opened through ``sqlean.py`` because some Python builds cannot load SQLite extensions.
Transactions are SQLite's own (BEGIN/COMMIT/ROLLBACK roll Cypher writes back).
One connection per store, guarded by a lock: safe to share between the API's threads.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphqlite
import sqlean

from . import edges_sqlite, fulltext_sqlite, onehop_sqlite
from ..private_files import create_private
from .base import GraphStore, Row, StoreError, StoreMissing, Transaction


@functools.cache
def _write_shapes() -> dict[str, tuple]:
    """The ingest's two write statements (exact text) -> what they write.

    ``run_many`` recognises these and writes them with direct SQL on GraphQLite's tables:
    measured on the 1k-person benchmark network, one Cypher MERGE per row ingested 63
    elements/s (the MATCH/MERGE on ``{id: ...}`` does not use the property index); the
    SQL path keeps the statements' semantics (MERGE on labels + id, ``SET += props``,
    a relationship only between two existing nodes of the given labels) and stores values
    exactly as GraphQLite's Cypher does (tests compare the tables of both paths).
    """
    from .. import queries as Q
    from ..ontology import NODE_MODELS, REL_MODELS
    from ..schema import ENTITY_LABEL

    shapes: dict[str, tuple] = {}
    for label in NODE_MODELS:
        shapes[Q.merge_node(label)] = ("node", (ENTITY_LABEL, label))
    for rel_type, model in REL_MODELS.items():
        for src in model.sources:
            for dst in model.targets:
                shapes[Q.merge_relationship(rel_type, src, dst)] = ("rel", rel_type, src, dst)
    return shapes


_TYPED = ("text", "int", "real", "bool", "json")
#: Seconds a statement waits for another connection's write lock on the file.
BUSY_TIMEOUT = 120.0


def _typed(value: Any) -> tuple[str, Any]:
    """(table suffix, stored value) the way GraphQLite's Cypher stores a property."""
    if isinstance(value, bool):
        return "bool", 1 if value else 0
    if isinstance(value, int):
        return "int", value
    if isinstance(value, float):
        return "real", value
    if isinstance(value, (list, tuple, dict)):
        return "json", json.dumps(value)
    return "text", str(value)


class _SqlWriter:
    """MERGE-on-id writes straight into GraphQLite's tables, inside the caller's transaction."""

    def __init__(self, conn):
        self.c = conn
        self.keys: dict[str, int] = {}
        self.pending: dict[tuple[str, str], list[tuple]] = {}

    def key(self, name: str) -> int:
        kid = self.keys.get(name)
        if kid is None:
            row = self.c.execute("SELECT id FROM property_keys WHERE key = ?", (name,)).fetchone()
            kid = row[0] if row else self.c.execute("INSERT INTO property_keys (key) VALUES (?)", (name,)).lastrowid
            self.keys[name] = kid
        return kid

    def find_node(self, ident: str, labels: tuple[str, ...]) -> int | None:
        rows = self.c.execute(
            "SELECT node_id FROM node_props_text WHERE key_id = ? AND value = ?", (self.key("id"), ident)
        ).fetchall()
        for (nid,) in rows:
            have = {r[0] for r in self.c.execute("SELECT label FROM node_labels WHERE node_id = ?", (nid,))}
            if have.issuperset(labels):
                return nid
        return None

    def set_props(self, kind: str, eid: int, props: dict[str, Any], fresh: bool) -> None:
        """``SET e = props``: every property not in ``props`` (but ``id``) is removed.

        An existing element loses all its properties but ``id`` at once; every property is
        queued for its type's table and inserted by :meth:`flush` (the caller flushes once
        per batch: each element of a batch is written once)."""
        col = "node_id" if kind == "node" else "edge_id"
        if not fresh:
            for t in _TYPED:
                self.c.execute(f"DELETE FROM {kind}_props_{t} WHERE {col} = ? AND key_id <> ?", (eid, self.key("id")))
        for name, value in props.items():
            if value is None:
                continue  # props never carry nulls
            table, stored = _typed(value)
            self.pending.setdefault((kind, table), []).append((eid, self.key(name), stored))

    def flush(self) -> None:
        """Insert the properties :meth:`set_props` queued: one ``executemany`` per table."""
        for (kind, table), rows in self.pending.items():
            col = "node_id" if kind == "node" else "edge_id"
            self.c.executemany(f"INSERT OR REPLACE INTO {kind}_props_{table} ({col}, key_id, value) VALUES (?, ?, ?)", rows)
        self.pending.clear()

    def merge_node(self, labels: tuple[str, ...], ident: str, props: dict[str, Any]) -> None:
        nid = self.find_node(ident, labels)
        fresh = nid is None
        if fresh:
            nid = self.c.execute("INSERT INTO nodes DEFAULT VALUES").lastrowid
            for label in labels:
                self.c.execute("INSERT OR IGNORE INTO node_labels (node_id, label) VALUES (?, ?)", (nid, label))
            self.c.execute("INSERT INTO node_props_text (node_id, key_id, value) VALUES (?, ?, ?)", (nid, self.key("id"), ident))
        self.set_props("node", nid, {k: v for k, v in props.items() if k != "id"} if fresh else props, fresh)

    def merge_rel(self, rel_type: str, src: int, dst: int, ident: str, props: dict[str, Any]) -> None:
        row = self.c.execute(
            "SELECT e.id FROM edge_props_text p JOIN edges e ON e.id = p.edge_id "
            "WHERE p.key_id = ? AND p.value = ? AND e.source_id = ? AND e.target_id = ? AND e.type = ?",
            (self.key("id"), ident, src, dst, rel_type),
        ).fetchone()
        fresh = row is None
        if fresh:
            eid = self.c.execute("INSERT INTO edges (source_id, target_id, type) VALUES (?, ?, ?)", (src, dst, rel_type)).lastrowid
            self.c.execute("INSERT INTO edge_props_text (edge_id, key_id, value) VALUES (?, ?, ?)", (eid, self.key("id"), ident))
        else:
            eid = row[0]
        self.set_props("edge", eid, {k: v for k, v in props.items() if k != "id"} if fresh else props, fresh)


def _message(exc: Exception) -> str:
    try:
        return json.loads(str(exc))["error"]
    except (ValueError, KeyError, TypeError):
        return str(exc)


class _EmbeddedTx(Transaction):
    def __init__(self, db: graphqlite.Connection):
        self._db = db
        self._counts_at_start = self._counts()

    def _counts(self) -> tuple[int, int]:
        c = self._db.sqlite_connection
        return (c.execute("SELECT count(*) FROM nodes").fetchone()[0],
                c.execute("SELECT count(*) FROM edges").fetchone()[0])

    def created(self) -> tuple[int, int]:
        # Exact: BEGIN IMMEDIATE holds the file's write lock, so no other writer commits
        # between the two counts; net of what it deleted (a corrected file may delete).
        now = self._counts()
        return now[0] - self._counts_at_start[0], now[1] - self._counts_at_start[1]

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return _run(self._db, query, params)

    def lock_writers(self) -> None:
        # BEGIN IMMEDIATE holds the file's write lock already. The WriteLock node Neo4j
        # locks is created here too, so both backends hold the same nodes (not counted by
        # created()); by SQL: GraphQLite's MERGE on {id: ...} scans every node (130 ms at
        # 10k persons), the id lookup of the SQL writer is indexed.
        w = _SqlWriter(self._db.sqlite_connection)
        if w.find_node("writers", ("WriteLock",)) is None:
            w.merge_node(("WriteLock",), "writers", {"taken": 1})
            w.flush()
        self._counts_at_start = self._counts()

    def run_many(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        shape = _write_shapes().get(query)
        if shape is None:
            return super().run_many(query, rows)
        w = _SqlWriter(self._db.sqlite_connection)
        try:
            if shape[0] == "node":
                for r in rows:
                    w.merge_node(shape[1], r["id"], r["props"] or {})
                w.flush()
                return
            _, rel_type, src_label, dst_label = shape
            ids: dict[tuple[str, str], int | None] = {}

            def node(ident: str, label: str) -> int | None:
                if (ident, label) not in ids:
                    ids[(ident, label)] = w.find_node(ident, (label,))
                return ids[(ident, label)]

            for r in rows:
                a, b = node(r["from"], src_label), node(r["to"], dst_label)
                if a is None or b is None:
                    continue  # MATCH found nothing: the statement writes nothing
                w.merge_rel(rel_type, a, b, r["id"], r["props"] or {})
            w.flush()
        except sqlean.Error as exc:
            raise StoreError(f"embedded store refused a write: {exc}") from exc


def _run(db: graphqlite.Connection, query: str, params: dict[str, Any] | None) -> list[Row]:
    try:
        result = db.cypher(query, params or None)
    except graphqlite.CypherError as exc:
        raise StoreError(f"embedded store refused a query: {exc.message}") from exc
    except sqlean.Error as exc:
        raise StoreError(f"embedded store refused a query: {_message(exc)}") from exc
    rows = result.to_list()
    if len(result.columns) == 1 and result.columns[0] == "result" and rows and isinstance(rows[0].get("result"), str):
        # GraphQLite returns single-cell list results as raw JSON text.
        try:
            rows = [{"result": json.loads(rows[0]["result"])}]
        except ValueError:
            pass
    if rows and "nodes_created" in rows[0] and "properties_set" in rows[0]:
        return []  # write statistics, not rows
    return rows


#: SQLite page cache of a connection, KiB (``PRAGMA cache_size``).
PAGE_CACHE_KIB = 65536


class EmbeddedStore(GraphStore):
    """A GraphQLite database in one SQLite file (``":memory:"`` for a throwaway one)."""

    backend = "embedded"
    sorts_in_database = False

    def __init__(self, path: str | Path, create: bool = True):
        """Open (``create``: or create, readable by its owner only: :mod:`repgraph.private_files`)
        the store in ``path``. Raises :class:`StoreMissing`
        when the file does not exist and ``create`` is false (nothing is created then),
        :class:`StoreError` when it cannot be opened."""
        self._path = str(path)
        if self._path != ":memory:":
            if not create and not Path(self._path).expanduser().is_file():
                raise StoreMissing(
                    f"no embedded store at {self._path}: check the path (--db or $REPGRAPH_DB); "
                    "`repgraph ingest FILES --db PATH` creates one"
                )
            parent = Path(self._path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open embedded store {self._path}: folder {parent} does not exist")
            try:  # every name, protected persons' included: a new store is readable by its owner only
                create_private(self._path)
            except OSError as exc:
                raise StoreError(f"cannot create embedded store {self._path}: {exc.strerror or exc}") from None
        try:
            # timeout: SQLite's busy timeout; a writer waits for another process's write
            # (parallel ingests into one file) instead of failing with "database is locked".
            conn = sqlean.connect(self._path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            # SQLite's default page cache is 2 MiB; at 100k persons (a 300 MB file) an ingest's
            # index inserts then miss it on most pages: 64 MiB made files 17% faster there
            conn.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
            self._db = graphqlite.wrap(conn)
            # GraphQLite runs ANALYZE at a connection's first Cypher statement. Made inside
            # an ingest's first write transaction (after the WriteLock row), it recorded
            # node tables of 1 row, and SQLite then scanned them for every id lookup of the
            # file: 10k persons took 340 s instead of 11 s. Here, it sees the store as opened.
            self._db.cypher("RETURN 1 AS warmup")
            # the search index (FTS5, kept by triggers); built once for older stores
            fulltext_sqlite.ensure(conn)
        except Exception as exc:  # sqlite3.DatabaseError, OSError
            raise StoreError(f"cannot open embedded store {self._path}: {exc}") from exc
        self._lock = threading.RLock()
        self._commits = 0

    @property
    def local_commits(self) -> int:
        """Writes this object committed."""
        return self._commits

    def change_token(self) -> tuple[int, int]:
        """SQLite's ``data_version`` (changes on other connections' commits) and this
        connection's own commit count."""
        with self._lock:
            return self._db.sqlite_connection.execute("PRAGMA data_version").fetchone()[0], self._commits

    @property
    def location(self) -> str:
        return self._path

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        one_hop = None if params else onehop_sqlite.STATEMENTS.get(query)
        if one_hop is not None:
            # a whole-store one-hop read (exile records, laws' and operations' incidents,
            # perpetrations, victims) in SQL: GraphQLite reads each returned property through
            # a correlated sub-select per row, 1.4-3x slower (store/onehop_sqlite.py)
            return self._sql("a read", onehop_sqlite.read, one_hop)
        with self._lock:
            return _run(self._db, query, params)

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        # One anchored statement per map, under one lock: GraphQLite answers `{id: $id}`
        # through its property index (~0.3 ms at 10k persons) but scans for `id IN $ids`.
        with self._lock:
            out: list[Row] = []
            for params in rows:
                out.extend(_run(self._db, query, params))
            return out

    def _sql(self, what: str, read: Callable[..., Any], *args: Any) -> Any:
        """``read(sqlite_connection, *args)`` under the store's lock: the reads this store
        answers in SQL beside GraphQLite (store/edges_sqlite.py, store/fulltext_sqlite.py,
        store/onehop_sqlite.py). Raises StoreError naming ``what`` (a read, a search) when
        SQLite refuses it.

        Each such read is several SQL statements (property keys, then the tables holding
        them, then the rows): outside a transaction each would see the file as another
        process's last commit left it, and an ingest committed between them gave rows whose
        columns read as missing. One read transaction makes them one snapshot, as
        GraphQLite's one statement is (WAL: it never blocks a writer)."""
        with self._lock:
            conn = self._db.sqlite_connection
            own = not conn.in_transaction  # inside the caller's transaction: already one snapshot
            try:
                if own:
                    conn.execute("BEGIN DEFERRED")
                try:
                    return read(conn, *args)
                finally:
                    if own and conn.in_transaction:  # an error may have ended it already
                        conn.execute("COMMIT")
            except sqlean.Error as exc:
                raise StoreError(f"embedded store refused {what}: {exc}") from exc

    def entities(self, ids: Sequence[str]) -> list[Row]:
        # SQL (store/edges_sqlite.py): one ENTITY statement per node costs ~0.1 ms in
        # GraphQLite, 20 ms for a 200-node ego graph
        return self._sql("a read", edges_sqlite.entities, ids)

    def relationships_of(self, ids: Sequence[str]) -> list[Row]:
        # SQL on GraphQLite's tables (store/edges_sqlite.py): its Cypher for one hop costs
        # ~180 us a relationship, so a host country's exiles took hundreds of ms
        return self._sql("a read", edges_sqlite.relationships_of, ids)

    def relationships_among(self, ids: Sequence[str]) -> list[Row]:
        return self._sql("a read", edges_sqlite.relationships_among, ids)

    def search_candidates(self, words: Sequence[str]) -> list[Row]:
        # FTS5 beside GraphQLite's tables (store/fulltext_sqlite.py): GraphQLite 0.12 has no
        # text index, and `searchText CONTAINS` scans every node (1 s at 100k persons).
        return self._sql("a search", fulltext_sqlite.candidates, words)

    def search_page(self, words, label, levels, limit, offset):
        # ranked and paged in SQL: at 100k persons a common prefix has thousands of
        # candidates, and building them as Python rows cost most of the answer
        return self._sql("a search", fulltext_sqlite.page, words, label, levels, limit, offset)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            conn = self._db.sqlite_connection
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _EmbeddedTx(self._db)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
                self._commits += 1

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        skipped = []
        with self.transaction() as tx:
            for stmt in statements:
                if "FULLTEXT" in stmt.upper() or "TEXT INDEX" in stmt.upper():
                    skipped.append(f"{stmt} (GraphQLite has no text indexes; search reads the FTS5 table {fulltext_sqlite.TABLE})")
                    continue
                if "FOR ()-[" in stmt:
                    skipped.append(f"{stmt} (GraphQLite has no relationship property indexes)")
                    continue
                if stmt.upper().startswith("DROP INDEX"):
                    skipped.append(f"{stmt} (a Neo4j index of an earlier version)")
                    continue
                tx.run(stmt)
        return skipped

    def close(self) -> None:
        with self._lock:
            self._db.close()
