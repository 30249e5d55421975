"""Embedded backend: GraphQLite (a SQLite extension speaking Cypher) over one SQLite file.

Opened through ``sqlean.py`` because some Python builds cannot load SQLite extensions.
Transactions are SQLite's own (BEGIN/COMMIT/ROLLBACK roll Cypher writes back).
One connection per store, guarded by a lock: safe to share between the API's threads.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphqlite
import sqlean

from .base import GraphStore, Row, StoreError, Transaction




def _message(exc: Exception) -> str:
    try:
        return json.loads(str(exc))["error"]
    except (ValueError, KeyError, TypeError):
        return str(exc)


class _EmbeddedTx(Transaction):
    def __init__(self, db: graphqlite.Connection):
        self._db = db

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        return _run(self._db, query, params)


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


class EmbeddedStore(GraphStore):
    """A GraphQLite database in one SQLite file (``":memory:"`` for a throwaway one)."""

    backend = "embedded"

    def __init__(self, path: str | Path):
        self._path = str(path)
        if self._path != ":memory:":
            parent = Path(self._path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open embedded store {self._path}: folder {parent} does not exist")
        try:
            conn = sqlean.connect(self._path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._db = graphqlite.wrap(conn)
        except Exception as exc:  # sqlite3.DatabaseError, OSError
            raise StoreError(f"cannot open embedded store {self._path}: {exc}") from exc
        self._lock = threading.RLock()

    @property
    def location(self) -> str:
        return self._path

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        with self._lock:
            return _run(self._db, query, params)

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

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        skipped = []
        with self.transaction() as tx:
            for stmt in statements:
                if "FULLTEXT" in stmt.upper() or "TEXT INDEX" in stmt.upper():
                    skipped.append(f"{stmt} (GraphQLite has no text indexes; search reads searchText)")
                    continue
                tx.run(stmt)
        return skipped

    def close(self) -> None:
        with self._lock:
            self._db.close()
