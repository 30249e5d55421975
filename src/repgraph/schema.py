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

#: The Neo4j full-text index search reads (``db.index.fulltext.queryNodes``).
FULLTEXT_INDEX = "entity_search"

#: Indexes earlier versions created: ``entity_names`` (full-text on name and aliases, default
#: analyzer) and ``entity_search_text`` (a TEXT index serving ``searchText CONTAINS``).
RETIRED_INDEXES = ("entity_names", "entity_search_text")

#: (relationship type, property) pairs the named queries filter on (Neo4j relationship
#: indexes): guilt-by-association starts from TARGETED {basis: 'guilt_by_association'}.
QUERY_RELATIONSHIP_INDEXES = (
    ("TARGETED", "basis"),
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
    for rel_type, prop in QUERY_RELATIONSHIP_INDEXES:
        stmts.append(f"CREATE INDEX {_snake(rel_type.title().replace('_', ''))}_{_snake(prop)} IF NOT EXISTS "
                     f"FOR ()-[r:{rel_type}]-() ON (r.{prop})")
    # Search: one Lucene full-text index; service.search queries its folded searchText
    # with quoted prefix terms built from folded words only (queries.fulltext_query).
    # 'standard-no-stop-words': 'and', 'of', 'the' are words of names too (the 'standard' and
    # 'standard-folding' analyzers drop 33 English stop words); searchText is folded already.
    props = ", ".join(f"n.{p}" for p in FULLTEXT_PROPERTIES)
    stmts.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [{props}] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false}}"
    )
    # Indexes of earlier versions that search no longer reads (dropped so writes stop paying for them).
    stmts.extend(f"DROP INDEX {name} IF EXISTS" for name in RETIRED_INDEXES)
    return stmts


def render_schema() -> str:
    """The text of ``graph/schema.cypher``."""
    header = (
        "// repgraph graph schema: GENERATED from src/repgraph/ontology.py by\n"
        "//   python -m repgraph.schema > graph/schema.cypher\n"
        "// Do not edit by hand; tests fail when this file and the ontology drift apart.\n"
        "// Uniqueness of `id` per label, indexes the named queries use, and a full-text\n"
        "// index on the folded names and aliases, searchText (Neo4j; the embedded store keeps\n"
        "// an SQLite FTS5 table, see src/repgraph/store/fulltext_sqlite.py).\n"
    )
    return header + "".join(f"{s};\n" for s in schema_statements())


def read_schema_file(path: Path = SCHEMA_PATH) -> list[str]:
    """Statements of a schema file (comments dropped, split on ``;``)."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


if __name__ == "__main__":
    print(render_schema(), end="")
