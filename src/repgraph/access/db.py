"""The access file: users with their hashed API keys, the append-only audit log, and the
pseudonym registry (:mod:`.pseudonyms`: what keeps a viewer's opaque ids and pseudonym
numbers the same in every process serving the store).

One small SQLite file kept beside the store, never in the graph (a graph export or a
Cypher console must not reveal keys or who read what). Where it lives
(:func:`access_db_path`): ``REPGRAPH_ACCESS_DB`` if set; else, for the embedded store,
``<store stem>.access.db`` beside the store file (``repgraph.db`` -> ``repgraph.access.db``);
else, for Neo4j, ``$XDG_DATA_HOME/repgraph/access/<database>@<host>-<port>.db`` (default
``~/.local/share/...``).

The ``audit`` table refuses ``UPDATE`` and ``DELETE`` (triggers), so nothing in repgraph
can edit or shorten the log.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Settings
from ..private_files import create_private, make_private_folder

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    key_id     TEXT NOT NULL UNIQUE,
    key_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    role    TEXT,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    status  INTEGER,
    ids     TEXT NOT NULL DEFAULT '[]',
    detail  TEXT
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE INDEX IF NOT EXISTS audit_user ON audit(user);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- the pseudonym registry (repgraph.access.pseudonyms): opaque ids' secret, pseudonym
-- numbers, masked elements' opaque ids; the same for every process over this file
CREATE TABLE IF NOT EXISTS pseudonym_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pseudonyms (
    role       TEXT NOT NULL,
    element_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (role, element_id),
    UNIQUE (role, n)
);
CREATE TABLE IF NOT EXISTS masked_ids (
    opaque     TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    element_id TEXT NOT NULL
);
"""


class AccessError(Exception):
    """The access file cannot be opened or written (the message says which and why)."""


def access_db_path(settings: Settings) -> Path:
    """Where users and the audit log of the store ``settings`` configure are kept."""
    if settings.access_db is not None:
        return Path(settings.access_db)
    if settings.backend == "embedded":
        db = Path(settings.db)
        return db.with_name(f"{db.stem}.access.db")
    parts = urlsplit(settings.neo4j_uri or "")
    where = re.sub(r"[^A-Za-z0-9._@-]", "_", f"{settings.neo4j_database}@{parts.hostname or 'neo4j'}-{parts.port or 7687}")
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "repgraph" / "access" / f"{where}.db"


class AccessDB:
    """The access file at ``path`` (created with its folder on first use, readable by its
    owner only: :mod:`repgraph.private_files`).

    One connection guarded by a lock (the API answers in a thread pool; each statement
    takes microseconds); SQLite's own locking orders writers of several processes (the
    CLI beside a running server).

    Durability: every statement commits on its own and an audit entry is on disk when
    :meth:`execute` returns (``synchronous=FULL``: the commit is fsynced), so an answer
    that left after its entry was written keeps its entry through a crash or power loss.
    The file is kept in write-ahead-log mode (``-wal`` and ``-shm`` files beside it):
    a commit then costs one fsync of the log instead of the rollback journal's create,
    fsync, write, fsync and delete (measured at 10k persons: 0.39 ms against 1.1 ms per
    audited request on this machine, and more under disk load), and readers (key checks)
    never wait for a writer. A filesystem without shared memory for WAL (some network
    filesystems) keeps the rollback journal, with the same guarantee.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._readers = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            # key hashes and the audit log of who read whom: readable by the owner only
            make_private_folder(self.path.parent)
            create_private(self.path)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")  # persistent; falls back to the journal where WAL is impossible
            conn.execute("PRAGMA synchronous=FULL")  # WAL's default (NORMAL) would not fsync each commit
            conn.executescript(SCHEMA)
            self._conn = conn
        return self._conn

    def execute(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run one statement (autocommit) and return its rows; AccessError on failure."""
        with self._lock:
            try:
                return self._connect().execute(sql, params).fetchall()
            except (OSError, sqlite3.Error) as exc:
                raise AccessError(f"access file {self.path}: {exc}") from exc

    def read_nowait(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row] | None:
        """Rows of one read-only statement on this thread's own reading connection, without
        taking the writers' lock and without waiting: None when the file is busy (e.g. a
        writer holds it in rollback-journal mode) or cannot be read (the caller then asks
        :meth:`execute` in a worker thread). For reads on the API's event loop: in WAL mode
        a reader never waits for a writer, and sees every commit made before it started
        (also another process's: ``repgraph users revoke``)."""
        conn = getattr(self._readers, "conn", None)
        try:
            if conn is None:
                if self._conn is None:
                    return None  # never opened (created, migrated) here yet: let execute() do it
                conn = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA query_only=ON")
                self._readers.conn = conn
                with self._lock:
                    self._reader_conns.append(conn)
            return conn.execute(sql, params).fetchall()
        except (OSError, sqlite3.Error):
            return None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            for conn in self._reader_conns:
                conn.close()
            self._reader_conns.clear()
            self._readers = threading.local()
