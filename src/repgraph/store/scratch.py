"""Scratch Neo4j databases: the only ones the test suite and the benchmark may wipe.

Both empty their database again and again. Before the first wipe they *claim* it: a
database already marked as scratch (a schema index, :data:`~repgraph.queries.SCRATCH_MARKER_INDEX`,
invisible to node and relationship counts) is theirs; an empty one is marked now and
theirs; one holding data without the mark is somebody's work and is refused
(:class:`NotScratch`), with nothing written. Every wipe checks the mark again.
"""

from __future__ import annotations

from .. import queries as Q
from .base import GraphStore
from ..wording import counted


class NotScratch(RuntimeError):
    """The database holds data that the tests or the benchmark did not create."""


def is_scratch(store: GraphStore) -> bool:
    """Whether ``store``'s database carries the scratch mark (Neo4j only)."""
    return store.read(Q.SCRATCH_MARKER_EXISTS)[0]["n"] > 0


def claim_scratch(store: GraphStore, who: str = "the tests") -> None:
    """Make sure ``store``'s database may be wiped; mark it when it is empty.

    Raises :class:`NotScratch` (nothing written) when it holds data without the mark.
    """
    if is_scratch(store):
        return
    nodes = store.read(Q.ANY_NODE_COUNT)[0]["n"]
    if nodes:
        rels = store.read(Q.ANY_RELATIONSHIP_COUNT)[0]["n"]
        raise NotScratch(
            f"refusing to run {who} against {store.location}: its database holds {counted(nodes, 'node')} and "
            f"{counted(rels, 'relationship')} that {who} did not create (no {Q.SCRATCH_MARKER_INDEX} index), "
            f"and {who} would delete everything in it. Point REPGRAPH_TEST_NEO4J_URI at a server meant "
            "for tests, e.g. one started with scripts/neo4j-test-server (nothing was written)."
        )
    store.apply_schema([Q.SCRATCH_MARKER_CREATE])


def wipe_scratch(store: GraphStore) -> None:
    """Delete everything in a scratch database, in slices (a huge DETACH DELETE needs more
    heap than a small test server has). Raises :class:`NotScratch` if it is not marked."""
    if not is_scratch(store):
        raise NotScratch(f"refusing to wipe {store.location}: it does not carry the {Q.SCRATCH_MARKER_INDEX} mark")
    while store.read(Q.ANY_RELATIONSHIP_COUNT)[0]["n"]:
        with store.transaction() as tx:
            tx.run(Q.SCRATCH_WIPE_RELATIONSHIPS_SLICE)
    while store.read(Q.ANY_NODE_COUNT)[0]["n"]:
        with store.transaction() as tx:
            tx.run(Q.SCRATCH_WIPE_SLICE)
