"""A dataset (one case file) owns its statements: writing, replacing, retracting them.

:func:`apply_dataset` replaces everything one dataset states with what it states now, in
one transaction, and re-projects every element it touches (see :mod:`repgraph.statements`
for the projection rules). Ingesting a file and ``repgraph retract`` both go through it:

* an element the dataset no longer states loses that dataset's statement; an element left
  with no statement is deleted (relationships first, then nodes);
* a node cannot be deleted while another dataset's relationship still uses it: that is
  refused (:class:`DatasetError`) naming the node, the relationships and their datasets;
* the ``Dataset`` node ``dataset:<name>`` records which node ids and relationships the
  dataset states, the file it came from, its place in the ingest order (``seq``: the
  earliest-ingested dataset's value wins a conflict) and when it was first/last ingested;
* everything it reads of the store it reads inside its write transaction, after
  :meth:`~repgraph.store.base.Transaction.lock_writers`: concurrent ingests run their
  read-modify-write one after another and none loses another's statements;
* merged entities (:mod:`repgraph.merging`) the dataset states are split into one node
  per id for the write and merged again after it, in the same transaction, so a file
  stating a merged-away id lands on the merged entity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import queries as Q
from ..ontology import NODE_MODELS, REL_MODELS, NodeBase, RelationshipBase
from ..schema import primary_label
from ..merging import rejoin, split
from ..statements import LEGACY, dataset_id, project, read_statements, stated, strictest
from ..store import GraphStore
from ..store.base import Transaction
from ..wording import article

Progress = Callable[[int], None]
#: Reads, inside the write transaction, the labels and stored states a dataset's
#: statements need (see :func:`apply_dataset`).
Resolve = Callable[[Transaction], tuple[dict[str, str], dict[str, dict[str, Any]]]]


class DatasetError(ValueError):
    """A dataset change that would leave the graph inconsistent, or an unknown dataset."""


@dataclass
class DatasetChange:
    """What one :func:`apply_dataset` did: elements written (projected) and removed, and the
    net number of nodes and relationships it created (the ``Dataset`` record counts as a
    node when first written)."""

    dataset: str
    nodes_created: int = 0
    relationships_created: int = 0
    nodes_written: int = 0
    relationships_written: int = 0
    nodes_removed: list[str] = field(default_factory=list)
    relationships_removed: list[str] = field(default_factory=list)


def dataset_record(store: GraphStore, name: str) -> dict[str, Any] | None:
    """The stored record of one dataset (its ``Dataset`` node's properties), or None."""
    rows = store.read(Q.DATASET, {"id": dataset_id(name)})
    return rows[0]["props"] if rows else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def apply_dataset(
    store: GraphStore,
    name: str,
    info: dict[str, Any] | None,
    nodes: list[NodeBase],
    relationships: list[RelationshipBase],
    labels: dict[str, str] | None = None,
    states: dict[str, dict[str, Any]] | None = None,
    progress: Progress | None = None,
    resolve: Resolve | None = None,
    mentioned: set[str] | None = None,
) -> DatasetChange:
    """Make ``nodes`` and ``relationships`` the whole of dataset ``name``'s statements.

    ``info``: the dataset's description (``title``, ``path``, ...) to record, or None to
    retract the dataset (its record is deleted). What is stored is read inside the write
    transaction, after it has locked out other writers, so two ingests stating the same id
    at once cannot lose either's statements: ``resolve(tx)`` returns ``(labels, states)``
    read through ``tx`` (label of every id the statements refer to; rows of
    :data:`~repgraph.queries.LABEL_OF_ID` for those already stored) and may raise to
    refuse the file; without it, ``labels`` is used and the states of the ids in
    ``states`` and of the statements' own ids are read. ``mentioned``: every id the
    statements refer to (merged entities among them are split for the write and merged
    again after: :mod:`repgraph.merging`). All-or-nothing: one transaction. Raises
    :class:`DatasetError` (nothing written) when a node to delete is still used by another
    dataset's relationship.
    """
    ends = {e for r in relationships for e in (r.from_, r.to)}
    known = sorted(set(states or {}) | {n.id for n in nodes} | ends)
    outcome: dict[str, Any] = {}

    def work(tx: Transaction) -> tuple[int, int]:
        # run again by the store after a transient conflict with a concurrent writer: the
        # reads are redone, inside the transaction, after the lock
        tx.lock_writers()
        # merged entities this dataset states (or stated) are split into one node per id
        # first, so its statements apply per id as stated, and merged again after
        rows = tx.run(Q.DATASET, {"id": dataset_id(name)})
        before = rows[0]["props"] if rows else {}
        ids = set(known) | (mentioned or set()) | set(before.get("nodeIds") or [])
        ids |= {e for r in json.loads(before.get("rels") or "[]") for e in r[2:4]}
        touched, found = split(tx, ids)
        if resolve is not None:
            now_labels, fresh = resolve(tx)
        else:
            now_labels = labels or {}
            fresh = {row["id"]: row for row in tx.read_many(Q.LABEL_OF_ID, [{"id": i} for i in known])}
        _check_merged_labels(tx, nodes, found)
        plan = _plan(tx, name, info, nodes, relationships, now_labels, fresh)
        outcome["plan"] = plan
        delete_rels, delete_nodes, node_rows, rel_rows, record, relabelled = plan
        if relabelled:  # re-created under the corrected label with this dataset's relationships
            tx.run_many(Q.DELETE_NODE, [{"id": i} for i in relabelled])
        if delete_rels:
            tx.run_many(Q.DELETE_RELATIONSHIP, delete_rels)
        if delete_nodes:
            tx.run_many(Q.DELETE_NODE, [{"id": i} for i in delete_nodes])
        for label, rows in node_rows.items():
            tx.run_many(Q.merge_node(label), rows)
            if progress:
                progress(len(rows))
        for (rel_type, src_label, dst_label), rows in rel_rows.items():
            tx.run_many(Q.merge_relationship(rel_type, src_label, dst_label), rows)
            if progress:
                progress(len(rows))
        rejoin(tx, touched, found)
        # counted before the Dataset record is written: it is bookkeeping, not a node of the
        # graph (and whether this run or a concurrent one creates it is only known here)
        graph_change = tx.created()
        if record is not None:
            tx.run(Q.MERGE_DATASET, {"id": record["id"], "props": record})
        else:
            tx.run(Q.DELETE_DATASET, {"id": dataset_id(name)})
        return graph_change

    change = DatasetChange(name)
    change.nodes_created, change.relationships_created = store.write(work)
    delete_rels, delete_nodes, node_rows, rel_rows, _, _ = outcome["plan"]
    change.nodes_written = sum(len(r) for r in node_rows.values())
    change.relationships_written = sum(len(r) for r in rel_rows.values())
    change.nodes_removed = delete_nodes
    change.relationships_removed = [r["id"] for r in delete_rels]
    return change


def _plan(tx: Transaction, name: str, info: dict[str, Any] | None, nodes: list[NodeBase],
          relationships: list[RelationshipBase], labels: dict[str, str], states: dict[str, dict[str, Any]]):
    """What :func:`apply_dataset` writes, from the store as ``tx`` reads it:
    ``(delete_rels, delete_nodes, node_rows, rel_rows, record, relabelled)`` (``relabelled``:
    ids of nodes only this dataset states that it now gives another label)."""
    rows = tx.run(Q.DATASET, {"id": dataset_id(name)})
    old = rows[0]["props"] if rows else {}
    order = {r["name"]: r["seq"] for r in tx.run(Q.DATASETS)}
    seq = old.get("seq", max(order.values(), default=0) + 1)
    order[name] = seq
    order[LEGACY] = -1

    def ordered(statements: dict[str, dict]) -> list[tuple[str, dict]]:
        return sorted(statements.items(), key=lambda kv: (order.get(kv[0], 1 << 30), kv[0]))

    old_nodes = set(old.get("nodeIds") or [])
    old_rels = {r[0]: (r[1], r[2], r[3]) for r in json.loads(old.get("rels") or "[]")}
    new_nodes = {n.id: n for n in nodes}
    new_rels = {r.id: r for r in relationships}
    existed = set(states)

    missing = sorted(old_nodes - set(states))
    for row in tx.read_many(Q.LABEL_OF_ID, [{"id": i} for i in missing]):
        states[row["id"]] = row
    # elements stated by one dataset (or written before statements) keep no `statements`:
    # their properties are the statement, read in full
    legacy = [i for i in (set(new_nodes) | old_nodes)
              if i in states and states[i].get("statements") is None and states[i].get("datasets") != [name]]
    legacy_props = {r["id"]: r["props"] for r in tx.read_many(Q.ENTITY, [{"id": i} for i in sorted(legacy)])}

    # relationships that may already exist: both ends were in the store before this run
    rel_keys = [
        {"from": r.from_, "to": r.to, "id": r.id} for r in relationships if r.from_ in existed and r.to in existed
    ] + [{"from": f, "to": t, "id": i} for i, (_, f, t) in old_rels.items() if i not in new_rels]
    rel_states = {row["id"]: row for row in tx.read_many(Q.RELATIONSHIP_STATE, rel_keys)}

    node_rows: dict[str, list[dict]] = defaultdict(list)
    delete_nodes: list[str] = []
    for nid in sorted(set(new_nodes) | old_nodes):
        state = states.get(nid)
        if state is None and nid not in new_nodes:
            continue  # stated earlier, already gone
        current: dict[str, dict] = {}
        if state is not None and state.get("statements") is not None:
            current = json.loads(state["statements"])
        elif state is not None and state.get("datasets") == [name]:
            current = {}  # this dataset alone stated it: its statement is replaced below
        elif state is not None:
            current = read_statements(legacy_props.get(nid, {}), NODE_MODELS[state["label"]])
        current.pop(name, None)
        node = new_nodes.get(nid)
        label = node.label if node is not None else state["label"]
        if node is None and not current:
            delete_nodes.append(nid)
            continue
        floor = state.get("confidentiality") if state else None
        if node is not None and not current:  # this dataset alone states it
            props = node.to_properties()
            props["confidentiality"] = strictest(props["confidentiality"], floor)
            props["datasets"] = [name]
        else:
            if node is not None:
                current[name] = stated(node)
            props = project(NODE_MODELS[label], {"id": nid, "label": label}, ordered(current), floor)
        node_rows[label].append({"id": nid, "props": props})

    rel_rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    delete_rels: list[dict] = []
    for rid in sorted(set(new_rels) | set(old_rels)):
        state = rel_states.get(rid)
        rel = new_rels.get(rid)
        if state is None and rel is None:
            continue
        if rel is not None:
            rel_type, src, dst = rel.type_name, rel.from_, rel.to
            src_label, dst_label = labels[src], labels[dst]
        else:
            rel_type, (_, src, dst) = state["type"], old_rels[rid]
            src_label, dst_label = primary_label(state["fromLabels"]), primary_label(state["toLabels"])
        current = read_statements(state["props"], REL_MODELS[rel_type]) if state is not None else {}
        current.pop(name, None)
        if rel is None and not current:
            delete_rels.append({"from": src, "to": dst, "id": rid})
            continue
        floor = state["props"].get("confidentiality") if state else None
        if rel is not None and not current:  # this dataset alone states it
            props = rel.to_properties()
            props["id"] = rid
            props["confidentiality"] = strictest(props["confidentiality"], floor)
            props["datasets"] = [name]
        else:
            if rel is not None:
                current[name] = stated(rel)
            identity = {"id": rid, "type": rel_type, "from": src, "to": dst}
            props = project(REL_MODELS[rel_type], identity, ordered(current), floor)
        rel_rows[(rel_type, src_label, dst_label)].append({"from": src, "to": dst, "id": rid, "props": props})

    _check_deletions(tx, name, delete_nodes, delete_rels, relationships)
    _check_references(tx, name, delete_nodes, delete_rels, node_rows, rel_rows, states)
    relabelled = sorted(n for n in new_nodes if n in states and states[n].get("label") not in (None, new_nodes[n].label))
    _check_relabelling(tx, name, relabelled, set(new_rels) | set(old_rels), node_rows, rel_rows, states)

    record = None
    if info is not None:
        now = _now()
        record = {
            **{k: v for k, v in info.items() if v is not None},
            "id": dataset_id(name), "name": name, "seq": seq,
            "firstIngested": old.get("firstIngested", now), "lastIngested": now,
            "nodeIds": sorted(new_nodes),
            "rels": json.dumps([[r.id, r.type_name, r.from_, r.to] for r in relationships], ensure_ascii=False),
        }
    elif not old:
        raise DatasetError(f"no dataset {name!r} in this store")
    return delete_rels, delete_nodes, node_rows, rel_rows, record, relabelled



def _check_deletions(tx: Transaction, name: str, delete_nodes: list[str], delete_rels: list[dict],
                     relationships: list[RelationshipBase]) -> None:
    """Refuse to delete a node that a relationship staying in the graph still uses."""
    if not delete_nodes:
        return
    going = {r["id"] for r in delete_rels}
    doomed = set(delete_nodes)
    problems = [f"{r.id} (stated by {name})" for r in relationships if r.from_ in doomed or r.to in doomed]
    for row in tx.read_many(Q.RELATIONSHIP_IDS_OF, [{"id": i} for i in delete_nodes]):
        if row["relId"] not in going:
            problems.append(row["relId"])
    if problems:
        raise DatasetError(
            f"dataset {name!r} would no longer state node(s) {', '.join(sorted(doomed))} that only it states, "
            f"but these relationships still use them: {', '.join(sorted(set(problems)))}. "
            "Retract or correct the datasets stating those relationships first."
        )


def _check_merged_labels(tx: Transaction, nodes: list[NodeBase], found: dict[str, tuple[str, ...]]) -> None:
    """Refuse a node whose id a merge joins to ids of another label (a Person and an
    Organization are never one entity): the merge stays, the file is refused."""
    for node in nodes:
        others = [m for m in found.get(node.id, ()) if m != node.id]
        if not others:
            continue
        clash = [(r["id"], r["label"]) for r in tx.read_many(Q.LABEL_OF_ID, [{"id": m} for m in others])
                 if r["label"] != node.label]
        if clash:
            named = ", ".join(f"{i} ({label})" for i, label in clash)
            raise DatasetError(
                f"{node.id} is stated as {article(node.label)} but a merge joins it with {named}: "
                f"{article(node.label)} and {article(clash[0][1])} are never one entity; `repgraph unmerge` them first"
            )


def _check_relabelling(tx: Transaction, name: str, relabelled: list[str], own_rels: set[str],
                       node_rows: dict[str, list[dict]], rel_rows: dict[tuple, list[dict]],
                       states: dict[str, dict]) -> None:
    """A corrected file may give a node only it states another label (a fresh store of the
    file holds it so): the node is re-created, so refuse while another dataset's
    relationship touches it or another dataset's element names it in a property."""
    if not relabelled:
        return
    others = sorted({row["relId"] for row in tx.read_many(Q.RELATIONSHIP_IDS_OF, [{"id": i} for i in relabelled])}
                    - own_rels)
    if others:
        raise DatasetError(
            f"dataset {name!r} gives node(s) {', '.join(relabelled)} another label, but relationships of other "
            f"datasets use them: {', '.join(others)}. Retract or correct those datasets first."
        )
    shared = lambda rows: {k: [r for r in v if r["props"].get("datasets") != [name]] for k, v in rows.items()}  # noqa: E731
    _check_references(tx, name, relabelled, [], shared(node_rows), shared(rel_rows), states,
                      own={row["id"] for rows in [*node_rows.values(), *rel_rows.values()] for row in rows})


#: Properties by which an element names other nodes' ids (besides its ends).
_ID_PROPERTIES = ("becauseOf", "perpetrator", "position")
#: Labels of nodes such properties can name: only deleting one of these needs the scan.
_REFERABLE = {"Source", "Person", "Organization", "Position"}


def _check_references(tx: Transaction, name: str, delete_nodes: list[str], delete_rels: list[dict],
                      node_rows: dict[str, list[dict]], rel_rows: dict[tuple, list[dict]],
                      states: dict[str, dict], own: set[str] = frozenset()) -> None:
    """Refuse to delete a node that an element staying in the graph names in a property:
    a citation's source (any citation list, e.g. a Sanction's ``listedCitations``), a
    TARGETED's ``becauseOf``, a WEAKENS's ``perpetrator``, an APPOINTED_BY's ``position``.
    Ingest refuses such a reference to an unknown id; deleting its target left it dangling."""
    doomed = {i for i in delete_nodes if (states.get(i) or {}).get("label") in _REFERABLE}
    if not doomed:
        return
    rewritten = {row["id"] for rows in node_rows.values() for row in rows}
    rewritten |= {row["id"] for rows in rel_rows.values() for row in rows}
    going = set(delete_nodes) | {r["id"] for r in delete_rels} | rewritten | set(own)
    named: dict[str, set[str]] = defaultdict(set)

    def note(element: str, props: dict[str, Any]) -> None:
        for ident in [*(props.get("sourceIds") or []), *(props.get(k) for k in _ID_PROPERTIES)]:
            if ident in doomed:
                named[ident].add(element)

    for rows in [*node_rows.values(), *rel_rows.values()]:  # what stays, as this run writes it
        for row in rows:
            note(row["id"], row["props"])
    if any(states.get(i, {}).get("label") == "Source" for i in doomed):
        for row in tx.run(Q.NODE_SOURCE_REFERENCES):
            if row["id"] not in going:
                note(row["id"], row)
    for row in tx.run(Q.RELATIONSHIP_ID_REFERENCES):
        if row["id"] not in going:
            note(row["id"], row)
    if named:
        uses = "; ".join(f"{i} (named by {', '.join(sorted(els))})" for i, els in sorted(named.items()))
        raise DatasetError(
            f"dataset {name!r} would no longer state node(s) that only it states, but elements staying in the graph "
            f"name them (as a cited source, becauseOf, perpetrator or position): {uses}. "
            "Retract or correct the datasets stating those elements first."
        )


def retract(store: GraphStore, name: str) -> DatasetChange:
    """Remove every statement of dataset ``name``, all-or-nothing: the store is left as if
    the dataset had never been ingested (except that confidentiality levels are never
    lowered). Raises :class:`DatasetError` for an unknown dataset or when another
    dataset's relationship still uses a node only this dataset states."""
    if dataset_record(store, name) is None:
        raise DatasetError(f"no dataset {name!r} in this store; `repgraph datasets` lists them")
    return apply_dataset(store, name, None, [], [])
