"""An in-memory graph that answers exactly the statements the ingest runs.

``repgraph import-neo4j`` (:mod:`repgraph.ingest.offline`) must write into an empty Neo4j
database exactly what the transactional ingest would: the same validation, the same
projection of statements (:mod:`repgraph.statements`), the same ``Dataset`` records. It
gets that by running the ingest itself (:func:`repgraph.ingest.writer.write_case`, i.e.
:func:`repgraph.ingest.datasets.apply_dataset`) against this store, which starts empty,
keeps nodes and relationships in dictionaries, and afterwards hands them over to be
written as neo4j-admin CSV files. There is no second projection to keep in step.

Only the statements of :mod:`repgraph.queries` the ingest path runs are answered (each
recognised by identity with its named constant, or as one of the generated
``merge_node``/``merge_relationship`` statements); any other statement raises
``NotImplementedError`` so that a change to the ingest cannot silently be mis-staged.
Writes of one unit of work apply together when it returns (nothing when it raises), as a
transaction does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .. import queries as Q
from ..ontology import NODE_MODELS, REL_MODELS
from ..schema import ENTITY_LABEL
from ..store.base import GraphStore, Row, Transaction


@dataclass
class StagedRelationship:
    """One relationship: its type, ends (node ids) and full property map (``id`` included)."""

    type: str
    start: str
    end: str
    props: dict[str, Any]


@dataclass
class StagedGraph:
    """What the ingest wrote: entity nodes (id -> (label, props)), relationships (id ->
    :class:`StagedRelationship`), ``Dataset`` records (id -> props)."""

    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[str, StagedRelationship] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def elements(self) -> int:
        """Entity nodes plus relationships (``Dataset`` records are bookkeeping)."""
        return len(self.nodes) + len(self.relationships)


def _write_statements() -> dict[str, tuple]:
    """Every generated write statement the ingest may run, mapped to what it writes."""
    out: dict[str, tuple] = {}
    for label in NODE_MODELS:
        out[Q.merge_node(label)] = ("node", label)
    for rel_type, model in REL_MODELS.items():
        for a in model.sources:
            for b in model.targets:
                out[Q.merge_relationship(rel_type, a, b)] = ("rel", rel_type)
    return out


_WRITES: dict[str, tuple] | None = None


def _writes() -> dict[str, tuple]:
    global _WRITES
    if _WRITES is None:
        _WRITES = _write_statements()
    return _WRITES


class _StagingTx(Transaction):
    def __init__(self, store: StagingStore):
        self._store = store
        self._graph = store.graph
        self._ops: list[tuple] = []
        self._created = [0, 0]

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        p = params or {}
        # the ingest reads inside its write transaction (after lock_writers): answered from
        # the graph as committed (this transaction's writes follow its reads); an import
        # starts from an empty database, so no judgement merges anything
        if query is Q.SAME_JUDGEMENTS:
            return []
        if query in _READS:
            return self._store.read(query, p)
        if query is Q.MERGE_DATASET:
            self._ops.append(("dataset", p["id"], dict(p["props"])))
        elif query is Q.DELETE_DATASET:
            self._ops.append(("drop-dataset", p["id"]))
        elif query is Q.DELETE_RELATIONSHIP:
            if p["id"] in self._graph.relationships:
                self._created[1] -= 1
            self._ops.append(("drop-rel", p["id"]))
        elif query is Q.DELETE_NODE:
            if p["id"] in self._graph.nodes:
                self._created[0] -= 1
            self._ops.append(("drop-node", p["id"]))
        else:
            kind = _writes().get(query)
            if kind is None:
                raise NotImplementedError(f"the staging store does not answer this statement:\n{query}")
            if kind[0] == "node":
                if p["id"] not in self._graph.nodes:
                    self._created[0] += 1
                self._ops.append(("node", p["id"], kind[1], p["props"]))
            else:
                if p["id"] not in self._graph.relationships:
                    self._created[1] += 1
                self._ops.append(("rel", p["id"], kind[1], p["from"], p["to"], p["props"]))
        return []

    def created(self) -> tuple[int, int]:
        return self._created[0], self._created[1]

    def commit(self) -> None:
        g = self._graph
        for op in self._ops:
            kind = op[0]
            if kind == "node":
                g.nodes[op[1]] = (op[2], {k: v for k, v in op[3].items() if v is not None})
            elif kind == "rel":
                # MERGE on (a)-[r {id}]->(b): the same id between other ends is another relationship
                # in Neo4j, but ingest ids name one relationship each (ontology: ids derive from ends)
                g.relationships[op[1]] = StagedRelationship(op[2], op[3], op[4], {k: v for k, v in op[5].items() if v is not None})
            elif kind == "dataset":
                g.datasets[op[1]] = {k: v for k, v in op[2].items() if v is not None}
            elif kind == "drop-dataset":
                g.datasets.pop(op[1], None)
            elif kind == "drop-rel":
                g.relationships.pop(op[1], None)
            elif kind == "drop-node":
                g.nodes.pop(op[1], None)


#: Statements the ingest reads through its transaction and the staging store answers.
_READS = frozenset({Q.LABEL_OF_ID, Q.ENTITY, Q.DATASET, Q.DATASETS, Q.RELATIONSHIP_STATE, Q.RELATIONSHIP_IDS_OF,
                    Q.NODE_SOURCE_REFERENCES, Q.RELATIONSHIP_ID_REFERENCES})


class StagingStore(GraphStore):
    """A :class:`GraphStore` over a :class:`StagedGraph`, for the ingest's statements only
    (see the module doc). Starts empty, as the database an import creates does."""

    backend = "neo4j"  # the ingest treats it as the Neo4j it stages for

    def __init__(self) -> None:
        self.graph = StagedGraph()

    # ------------------------------------------------------------------ reads

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[Row]:
        p = params or {}
        g = self.graph
        if query is Q.LABEL_OF_ID:
            hit = g.nodes.get(p["id"])
            if hit is None:
                return []
            label, props = hit
            return [{"id": p["id"], "label": label, "confidentiality": props.get("confidentiality"),
                     "statements": props.get("statements"), "datasets": copy.copy(props.get("datasets"))}]
        if query is Q.ENTITY:
            hit = g.nodes.get(p["id"])
            return [] if hit is None else [{"id": p["id"], "label": hit[0], "props": copy.deepcopy(hit[1])}]
        if query is Q.DATASET:
            rec = g.datasets.get(p["id"])
            return [] if rec is None else [{"props": copy.deepcopy(rec)}]
        if query is Q.DATASETS:
            rows = [{"name": r.get("name"), "seq": r.get("seq"), "title": r.get("title"), "path": r.get("path")}
                    for r in g.datasets.values()]
            return sorted(rows, key=lambda r: r["seq"])
        if query is Q.RELATIONSHIP_STATE:
            rel = g.relationships.get(p["id"])
            if rel is None or rel.start != p["from"] or rel.end != p["to"]:
                return []
            return [{"id": p["id"], "type": rel.type, "fromLabels": self._labels(rel.start),
                     "toLabels": self._labels(rel.end), "props": copy.deepcopy(rel.props)}]
        if query is Q.RELATIONSHIP_IDS_OF:
            return [{"relId": r.props.get("id")} for r in g.relationships.values() if p["id"] in (r.start, r.end)]
        if query is Q.NODE_SOURCE_REFERENCES:
            return [{"id": i, "sourceIds": props["sourceIds"]} for i, (_, props) in g.nodes.items()
                    if props.get("sourceIds") is not None]
        if query is Q.RELATIONSHIP_ID_REFERENCES:
            keys = ("sourceIds", "becauseOf", "perpetrator", "position")
            return [{"id": r.props.get("id"), **{k: r.props.get(k) for k in keys}} for r in g.relationships.values()
                    if any(r.props.get(k) is not None for k in keys)]
        raise NotImplementedError(f"the staging store does not answer this statement:\n{query}")

    def _labels(self, node_id: str) -> list[str]:
        return [ENTITY_LABEL, self.graph.nodes[node_id][0]]

    def search_candidates(self, words: Sequence[str]) -> list[Row]:
        raise NotImplementedError("the staging store answers the ingest's statements only")

    # ------------------------------------------------------------------ writes

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = _StagingTx(self)
        yield tx
        tx.commit()

    def apply_schema(self, statements: Sequence[str]) -> list[str]:
        return list(statements)  # applied on the server after the import

    def close(self) -> None:
        pass

    @property
    def location(self) -> str:
        return "the import being prepared"
