"""One ingest in its own process, so that its peak RSS is its own (``python -m bench`` runs it).

    python -m bench.ingest_child BACKEND MODE FILE... (settings from the environment)

BACKEND ``embedded`` (``REPGRAPH_DB``) or ``neo4j`` (``NEO4J_URI``/``_USER``/``_PASSWORD``);
MODE ``transactional`` (the default ingest), ``bulk`` (``repgraph ingest --bulk``) or
``import`` (``repgraph import-neo4j``: the server of ``NEO4J_HOME`` must be stopped; it is
started again, the schema applied and awaited: all of it is timed).
Prints one JSON line: elements, seconds, per_s, peak_rss_mib (VmHWM of this process), and
for ``import`` the seconds of each step (``steps``), the import step's own rate
(``import_per_s``) and the load phase's (``load_seconds``, ``load_per_s``: what
``import-neo4j --prepared`` does, the database down, after ``--prepare`` validated the files
with the server serving).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def peak_rss_mib(pid: int | str = "self") -> float:
    """VmHWM (peak resident set) of a process in MiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_store(backend: str):
    """The store the parent named: ``embedded`` at ``REPGRAPH_DB``, ``neo4j`` at
    ``NEO4J_URI`` (+ ``_USER``/``_PASSWORD``/``_DATABASE``), set by the parent for this
    process only. Uses only the store constructors every revision has."""
    if backend == "embedded":
        from repgraph.store.embedded import EmbeddedStore

        return EmbeddedStore(os.environ["REPGRAPH_DB"])
    from repgraph.store.neo4j_backend import Neo4jStore

    return Neo4jStore(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER") or "neo4j",
                      os.environ.get("NEO4J_PASSWORD") or None, os.environ.get("NEO4J_DATABASE") or "neo4j")


def main(argv: list[str]) -> int:
    backend, mode, *files = argv
    from repgraph.ingest import ingest_case_file
    from repgraph.ingest.bulk import bulk_ingest_paths

    if mode == "import":
        return offline_import(files)
    store = open_store(backend)
    t0 = time.perf_counter()
    if mode == "bulk":
        results = bulk_ingest_paths(store, files)
    else:
        results = [ingest_case_file(store, f) for f in files]
    dt = time.perf_counter() - t0
    store.close()
    elements = sum(r.elements for r in results)
    print(json.dumps({"elements": elements, "seconds": dt, "per_s": elements / dt, "peak_rss_mib": peak_rss_mib()}))
    return 0


#: The steps of ``import-neo4j --prepared`` (the database is down for these): neo4j-admin,
#: the server's start, empty lists restored (if any; before the writers' lock node went into
#: the CSV, ``lists`` also timed taking the lock) and the indexes online.
LOAD_STEPS = ("import", "start", "lists", "schema")


def offline_import(files: list[str]) -> int:
    from repgraph.ingest.offline import import_neo4j

    def opener():
        return open_store("neo4j")

    t0 = time.perf_counter()
    report = import_neo4j(files, os.environ["NEO4J_HOME"], opener, overwrite=True)
    dt = time.perf_counter() - t0
    elements = report.elements
    load = sum(v for k, v in report.seconds.items() if k in LOAD_STEPS)
    print(json.dumps({"elements": elements, "seconds": dt, "per_s": elements / dt, "peak_rss_mib": peak_rss_mib(),
                      "steps": report.seconds, "import_per_s": elements / report.seconds["import"],
                      "load_seconds": load, "load_per_s": elements / load}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
