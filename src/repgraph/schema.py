"""``graph/schema.cypher``, derived from the ontology (never hand-edited).

``python -m repgraph.schema > graph/schema.cypher`` regenerates it; a test fails when the
file and the ontology drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

from .ontology import BOOKKEEPING_LABELS, FULLTEXT_PROPERTIES, NODE_MODELS

#: Every node also carries this label, so an id alone finds a node through one index.
ENTITY_LABEL = "Entity"


def primary_label(labels: list[str] | None) -> str | None:
    """The ontology label of a node from its ``labels(n)`` (any order): the one that is
    not ``Entity``. Hot statements return ``labels(n)`` and call this, because a list
    comprehension over labels costs GraphQLite ~40% of a one-hop read."""
    return next((label for label in labels or () if label != ENTITY_LABEL), None)

#: (label, property) pairs the named queries filter on.
QUERY_INDEXES = (
    ("Incident", "type"),
    ("Incident", "dateFrom"),
    ("Person", "name"),
    ("Organization", "kind"),
    ("Statistic", "measure"),
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "graph" / "schema.cypher"


def _snake(label: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", label).lower()


def schema_statements() -> list[str]:
    """The constraint and index statements, one string each (Neo4j 5 syntax)."""
    stmts = [f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE"]
    for label in NODE_MODELS:
        stmts.append(f"CREATE CONSTRAINT {_snake(label)}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
    for label in BOOKKEEPING_LABELS:
        stmts.append(f"CREATE CONSTRAINT {_snake(label)}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
    for label, prop in QUERY_INDEXES:
        stmts.append(f"CREATE INDEX {_snake(label)}_{_snake(prop)} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    stmts.append(
        f"CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.searchText)"
    )
    labels = "|".join(NODE_MODELS)
    props = ", ".join(f"n.{p}" for p in FULLTEXT_PROPERTIES)
    stmts.append(f"CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:{labels}) ON EACH [{props}]")
    return stmts


def render_schema() -> str:
    """The text of ``graph/schema.cypher``."""
    header = (
        "// repgraph graph schema: GENERATED from src/repgraph/ontology.py by\n"
        "//   python -m repgraph.schema > graph/schema.cypher\n"
        "// Do not edit by hand; tests fail when this file and the ontology drift apart.\n"
        "// Uniqueness of `id` per label, indexes the named queries use, and a full-text\n"
        "// index on names and aliases (Neo4j; the embedded store searches `searchText`).\n"
    )
    return header + "".join(f"{s};\n" for s in schema_statements())


def read_schema_file(path: Path = SCHEMA_PATH) -> list[str]:
    """Statements of a schema file (comments dropped, split on ``;``)."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


if __name__ == "__main__":
    print(render_schema(), end="")
