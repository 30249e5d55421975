"""One side of ``python -m bench.versus``: ingest and entity pages with whatever
``repgraph`` is first on ``PYTHONPATH`` (the revision being measured).

    python bench/versus_child.py BACKEND IDS_FILE FILE...

BACKEND ``embedded`` (a fresh store at ``REPGRAPH_DB``) or ``neo4j`` (an empty scratch
database at ``NEO4J_URI``, emptied by the parent, which sets it for this process only). Uses only the API every
revision since the first slice has (``ingest_case_file``, ``schema_statements``,
``service.entity``), so an old revision runs it unchanged. Prints one JSON line:
``ingest_s`` (wall), ``ingest_cpu_s`` (this process), ``entity_ms`` (per-call wall times
after 20 warm-up calls), ``entity_cpu_ms`` (this process's CPU per call, median).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from ingest_child import open_store  # this file's folder is first on sys.path


def main(argv: list[str]) -> int:
    backend, ids_file, *files = argv
    from repgraph import service
    from repgraph.ingest import ingest_case_file
    from repgraph.schema import schema_statements

    store = open_store(backend)
    store.apply_schema(schema_statements())
    wall, cpu = time.perf_counter(), time.process_time()
    for f in files:
        ingest_case_file(store, f)
    ingest_s, ingest_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    ids = json.loads(open(ids_file, encoding="utf-8").read())
    for i in ids[:20]:
        service.entity(store, i)
    entity_ms, entity_cpu = [], []
    for i in ids:
        wall, cpu = time.perf_counter(), time.process_time()
        service.entity(store, i)
        entity_ms.append(1000 * (time.perf_counter() - wall))
        entity_cpu.append(1000 * (time.process_time() - cpu))
    store.close()
    print(json.dumps({"ingest_s": ingest_s, "ingest_cpu_s": ingest_cpu_s, "entity_ms": entity_ms,
                      "entity_cpu_ms": statistics.median(entity_cpu)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
