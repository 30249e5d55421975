"""Bulk loading into Neo4j for large sources (``repgraph ingest --bulk``).

The default ingest writes each file in ONE transaction: all or nothing per file. Bulk mode
gives that up for throughput: the same validated statements run as
``UNWIND $batch AS row CALL { ... } IN TRANSACTIONS OF 10000 ROWS`` in auto-commit
queries, so the server commits every 10,000 rows, one round trip per statement and file,
and the next file is parsed and validated (in a thread) while the server writes this one.

What is kept: validation of every file (schema, ids, labels, references against the
store) before any of its rows is written, so a bad file is still refused with its file,
record and field and writes nothing; MERGE on ids, so a re-run is idempotent and a
failed load is finished by running it again. What is given up: a store failure half-way
through a file (server down, out of memory) leaves the batches already committed in
place, i.e. part of that file. Use it for first loads and large sources; keep the default
for day-to-day case files.

On the embedded store bulk mode is the default ingest (its SQL writer is already the fast
path and its transactions cost nothing to keep).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..store import GraphStore, Row, Transaction
from .errors import CaseFileError
from .loader import load_case_file
from .writer import IngestResult, Progress, expand_paths, write_case

#: Rows per inner transaction of ``CALL { ... } IN TRANSACTIONS``.
ROWS_PER_TRANSACTION = 10_000


class _BulkTx(Transaction):
    """Runs each statement as an auto-commit query, batched in server-side transactions."""

    def __init__(self, store):
        self._store = store
        self._created = [0, 0]

    def _count(self, created: tuple[int, int]) -> None:
        self._created[0] += created[0]
        self._created[1] += created[1]

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        rows, created = self._store.run_autocommit(query, params or {})
        self._count(created)
        return rows

    def read_many(self, query: str, rows: Sequence[dict[str, Any]]) -> list[Row]:
        # the ingest reads what is stored through its transaction: batched, as a store read
        return self._store.read_many(query, rows)

    def run_many(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        from ..store.neo4j_backend import in_transactions

        if rows:
            self._count(self._store.run_autocommit(in_transactions(query, ROWS_PER_TRANSACTION), {"batch": list(rows)})[1])

    def created(self) -> tuple[int, int]:
        return self._created[0], self._created[1]


class BulkNeo4j(GraphStore):
    """A Neo4j store whose write "transactions" commit in batches (see the module doc);
    reads go to the store unchanged."""

    backend = "neo4j"

    def __init__(self, store):
        self._store = store

    def read(self, query, params=None):
        return self._store.read(query, params)

    def read_many(self, query, rows):
        return self._store.read_many(query, rows)

    def search_candidates(self, words):
        return self._store.search_candidates(words)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        yield _BulkTx(self._store)

    def write(self, work):
        # no retry: the batches already committed stay (see the module doc); MERGE makes
        # running the ingest again the way to finish
        return work(_BulkTx(self._store))

    def apply_schema(self, statements):
        return self._store.apply_schema(statements)

    def close(self) -> None:
        pass  # the wrapped store belongs to the caller

    @property
    def location(self) -> str:
        return self._store.location


def parsed_ahead(paths: list[Path], depth: int = 1) -> Iterator[tuple[Path, Any]]:
    """(path, CaseFile or CaseFileError) in order, the next file parsed in a thread while
    the caller writes this one (parsing is Python, writing waits on the server)."""
    q: queue.Queue = queue.Queue(maxsize=depth)

    def work():
        for p in paths:
            try:
                q.put((p, load_case_file(p)))
            except CaseFileError as exc:
                q.put((p, exc))
                return
        q.put(None)

    threading.Thread(target=work, name="repgraph-bulk-parse", daemon=True).start()
    while (item := q.get()) is not None:
        yield item
        if isinstance(item[1], CaseFileError):
            return


def bulk_ingest_paths(store: GraphStore, paths: Iterable[str | Path], progress: Progress | None = None) -> list[IngestResult]:
    """Ingest files (and folders of case files) in bulk mode (see the module doc).

    Neo4j: batched server-side transactions, the next file parsed while this one is
    written. Embedded: the default ingest. Stops at the first bad file, raising its
    :class:`CaseFileError` (that file writes nothing; the files before it stay)."""
    files = expand_paths(paths)
    if store.backend != "neo4j":
        from .writer import ingest_case_file

        return [ingest_case_file(store, p, progress) for p in files]
    bulk = BulkNeo4j(store)
    results = []
    for path, case in parsed_ahead(files):
        if isinstance(case, CaseFileError):
            raise case
        results.append(write_case(bulk, case, path, progress))
    return results
