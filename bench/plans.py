"""PROFILE the Neo4j global-list statements, printed as docs/plans.md lays them out.

    NEO4J_URI=bolt://... NEO4J_PASSWORD=... python -m bench.plans > /tmp/plans.md

Runs against the database ``NEO4J_URI`` names (``NEO4J_USER``/``_PASSWORD``/``_DATABASE``),
which should hold the 100,000-person benchmark network (``python -m bench.generate
--persons 100000 --out DIR``, then ``python -m bench.ingest_child neo4j bulk DIR/*.json``).
Reads only. Each statement runs with the parameters the service gives it for the API's
default page, twice without PROFILE (the second run's wall time is reported: warm, plan
cached), then once under PROFILE; the plan lists every operator with its rows and db hits.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from repgraph import queries as Q
from repgraph.service import DEFENDER_ROLES

#: (title, statement name, parameters beyond the defaults): the API's default pages.
STATEMENTS: list[tuple[str, str, dict[str, Any]]] = [
    ("guilt-by-association count", "GUILT_BY_ASSOCIATION_COUNT", {}),
    ("guilt-by-association page", "GUILT_BY_ASSOCIATION_PAGE", {}),
    ("officials-cases direct links count", "DIRECT_LINKS_COUNT", {}),
    ("officials-cases command links count", "COMMAND_LINKS_COUNT", {}),
    ("officials-cases page", "OFFICIALS_CASES_PAGE", {}),
    ("officials-cases page, one incident type", "OFFICIALS_CASES_PAGE", {"incidentType": "raid"}),
    ("exile groups, by country", "EXILE_GROUPS", {"by": "country"}),
    ("exile groups, by period", "EXILE_GROUPS", {"by": "period"}),
    ("exile records count", "EXILE_RECORDS_COUNT", {}),
    ("exile records page", "EXILE_RECORDS_PAGE", {"limit": 100}),
]
DEFAULTS: dict[str, Any] = {"perpetratorId": None, "incidentType": None, "defenderId": None, "skip": 0, "limit": 50,
                            "by": "country", "roles": DEFENDER_ROLES, "personsSkip": 0, "personsLimit": 100}
#: Operator lines are cut here (projections list every column).
WIDTH = 200


def _lines(op: dict, depth: int, out: list[str]) -> None:
    details = op.get("args", {}).get("Details", "")
    line = f"{'  ' * depth}{op['operatorType']} rows={op.get('rows')} dbHits={op.get('dbHits')}  {details}"
    out.append(line[:WIDTH].rstrip())
    for child in op.get("children", []):
        _lines(child, depth + 1, out)


def _db_hits(op: dict) -> int:
    return (op.get("dbHits") or 0) + sum(_db_hits(c) for c in op.get("children", []))


def main() -> int:
    from neo4j import GraphDatabase

    logging.getLogger("neo4j").setLevel(logging.ERROR)  # property-key warnings of an empty field
    driver = GraphDatabase.driver(os.environ["NEO4J_URI"],
                                  auth=(os.environ.get("NEO4J_USER") or "neo4j", os.environ.get("NEO4J_PASSWORD") or ""))
    database = os.environ.get("NEO4J_DATABASE") or "neo4j"
    try:
        for title, name, extra in STATEMENTS:
            statement, params = getattr(Q, name), {**DEFAULTS, **extra}
            with driver.session(database=database, default_access_mode="READ") as session:
                list(session.run(statement, params))
                t0 = time.perf_counter()
                list(session.run(statement, params))
                warm = (time.perf_counter() - t0) * 1000
                plan = session.run("PROFILE " + statement, params).consume().profile
            out: list[str] = []
            _lines(plan, 0, out)
            print(f"### {title} ({name})\n\ntotal db hits {_db_hits(plan):,} (warm run {warm:.0f} ms without PROFILE)\n")
            print("```\n" + "\n".join(out) + "\n```\n", flush=True)
    finally:
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
