"""Merged entities: ids judged the same (``repgraph merge``) are one node of the graph.

A **cluster** is a set of ids joined by a chain of ``same`` judgements (``Judgement``
nodes, :mod:`repgraph.resolution`); a ``different`` judgement (``merge --not``,
``unmerge``) joins nothing. Every cluster of two or more ids is projected onto one node:

* **canonical id**: the cluster's id that sorts first (plain string order), whether or not
  a file still states it. It depends only on the judgements, never on ingest order, so
  re-ingesting or retracting a file never renames an entity. The other ids are its
  ``referents`` (as in nomenklatura / OpenSanctions); looking any of them up
  (:func:`canonical`) answers the canonical node.
* the canonical node carries every member id's statements (``idStatements``: JSON
  ``{id: {dataset: statement}}``); its visible properties are projected from all of them
  (:func:`repgraph.statements.project`): first each dataset's statements about the
  member ids are merged (the canonical id's first: another id's different name becomes a
  ``spelling`` alias), then the datasets' statements as for any element.
* confidentiality: the strictest of the member ids' (never lower than any id's level
  before the merge: ``idFloors`` keeps each id's level for an unmerge).
* relationships of the other ids are re-pointed to the canonical node and keep their
  ids; ``statedFrom``/``statedTo`` keep the ends a file stated when they differ.

:func:`reproject` rebuilds the nodes of a set of ids from their statements for a given
clustering: it merges (``repgraph merge``), splits (``repgraph unmerge``: the store is
then as if the merge had never happened) and, around :func:`repgraph.ingest.datasets.apply_dataset`,
lets a file that states a merged id land on the canonical entity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from . import queries as Q
from .ontology import NODE_MODELS
from .schema import primary_label
from .statements import LEGACY, STRICTNESS, project, read_statements, strictest
from .statements import merge as merge_statements
from .store import GraphStore
from .store.base import Transaction

#: Stored properties of a canonical node that record its merge (bookkeeping, kept out of
#: an entity's properties by statements.BOOKKEEPING and service.INTERNAL_PROPERTIES;
#: ``referents`` is shown as the entity's other ids).
MERGE_BOOKKEEPING = frozenset({"idStatements", "idFloors", "referents"})
#: Stored properties of a re-pointed relationship naming the ends a file stated.
STATED_ENDS = ("statedFrom", "statedTo")


def clusters(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """``{id: cluster}`` for every id in a cluster of two or more (``cluster``: its ids
    sorted, the canonical id first), from the pairs judged the same (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    return {x: tuple(sorted(group)) for group in members.values() for x in group}


def same_pairs(rows: list[dict]) -> list[tuple[str, str]]:
    """Pairs of :data:`~repgraph.queries.SAME_JUDGEMENTS` rows."""
    return [(r["a"], r["b"]) for r in rows]


def cluster_map(store: GraphStore) -> dict[str, tuple[str, ...]]:
    """:func:`clusters` of the store's ``same`` judgements (one read)."""
    return clusters(same_pairs(store.read(Q.SAME_JUDGEMENTS)))


def canonical(store: GraphStore, ident: str) -> str:
    """The id under which the graph holds ``ident``: ``ident`` itself when a node has it,
    else the canonical id of its cluster (a merged-away id), else ``ident`` (unknown ids
    stay unknown: the caller's lookup raises its own not-found). One or two anchored reads."""
    if store.read(Q.LABEL_OF_ID, {"id": ident}):
        return ident
    group = cluster_map(store).get(ident)
    return group[0] if group else ident


def reproject(tx: Transaction, ids: set[str], target: Callable[[str], str]) -> bool:
    """Rebuild the nodes holding ``ids`` so that each id with statements is held by the
    node ``target(id)`` (an id of the same cluster: itself to split, the canonical id to
    merge), with the relationships of those nodes re-pointed accordingly (to the ends as
    stated when ``target`` maps them to themselves). ``ids`` must be closed under the
    clusters involved. Returns False (nothing written) when the nodes already are so."""
    rows = tx.read_many(Q.ENTITY, [{"id": i} for i in sorted(ids)])
    if not rows:
        return False
    per_id: dict[str, dict[str, dict]] = {}
    floors: dict[str, str | None] = {}
    label_of: dict[str, str] = {}
    holders: dict[str, set[str]] = {}
    for row in rows:
        props, label = row["props"], row["label"]
        if props.get("idStatements"):
            held = json.loads(props["idStatements"])
            held_floors = json.loads(props.get("idFloors") or "{}")
            # a level raised on the merged entity itself (above every id's level and every
            # statement's) stays with each id when it is split: confidentiality never drops
            known = strictest(*held_floors.values(), *(st.get("confidentiality") for per in held.values()
                                                       for st in per.values()))
            if STRICTNESS.get(props.get("confidentiality") or "public", 2) > STRICTNESS.get(known, 2):
                held_floors = {i: props["confidentiality"] for i in held}
        else:
            held = {row["id"]: read_statements(props, NODE_MODELS[label])}
            held_floors = {row["id"]: props.get("confidentiality")}
        holders[row["id"]] = {i for i, st in held.items() if st}
        for i, st in held.items():
            if st:
                per_id[i] = st
                floors[i] = held_floors.get(i)
                label_of[i] = label
    groups: dict[str, list[str]] = defaultdict(list)
    for i in sorted(per_id):
        groups[target(i)].append(i)
    if {g: set(m) for g, m in groups.items()} == {h: m for h, m in holders.items() if m} and \
            all(not m for h, m in holders.items() if h not in groups):
        return False

    order = {r["name"]: r["seq"] for r in tx.run(Q.DATASETS)}
    order[LEGACY] = -1

    rels: dict[tuple, dict] = {}
    for r in tx.read_many(Q.NEIGHBOURS, [{"id": h} for h in sorted(holders)]):
        start, end = (r["nodeId"], r["otherId"]) if r["outgoing"] else (r["otherId"], r["nodeId"])
        key = (r["type"], r["props"].get("id"), start, end)
        if key not in rels:
            rels[key] = {**r, "start": start, "end": end}

    new_home = {i: g for g, members in groups.items() for i in members}
    node_rows: dict[str, list[dict]] = defaultdict(list)
    group_label: dict[str, str] = {}
    for g, members in groups.items():
        label = label_of[members[0]]
        group_label[g] = label
        members = sorted(members, key=lambda i: (i != g, i))
        by_dataset: dict[str, list[dict]] = defaultdict(list)
        for m in members:
            for ds, st in per_id[m].items():
                by_dataset[ds].append(st)
        combined = {ds: sts[0] if len(sts) == 1 else merge_statements([(ds, s) for s in sts])[0]
                    for ds, sts in by_dataset.items()}
        ordered = sorted(combined.items(), key=lambda kv: (order.get(kv[0], 1 << 30), kv[0]))
        props = project(NODE_MODELS[label], {"id": g, "label": label}, ordered,
                        strictest(*(floors[m] for m in members)))
        if len(members) > 1 or members[0] != g:
            props["referents"] = [m for m in members if m != g]
            props["idStatements"] = json.dumps({m: per_id[m] for m in members}, ensure_ascii=False, sort_keys=True)
            props["idFloors"] = json.dumps({m: floors[m] for m in members}, sort_keys=True)
        node_rows[label].append({"id": g, "props": props})

    rel_rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for (rel_type, _, start, end), r in rels.items():
        props = {k: v for k, v in r["props"].items() if k not in STATED_ENDS}
        stated_from = r["props"].get("statedFrom") or start
        stated_to = r["props"].get("statedTo") or end

        def place(stated: str, actual: str) -> tuple[str, str]:
            if actual in holders:  # an end being rebuilt: where its stated id lives now
                home = new_home.get(stated, new_home.get(actual, actual))
                return home, group_label.get(home) or label_of.get(stated, "")
            return actual, primary_label(r["otherLabels"])

        src, src_label = place(stated_from, start)
        dst, dst_label = place(stated_to, end)
        if src not in group_label and start in holders or dst not in group_label and end in holders:
            continue  # its end has no statement left (cannot happen through apply_dataset)
        if stated_from != src:
            props["statedFrom"] = stated_from
        if stated_to != dst:
            props["statedTo"] = stated_to
        rel_rows[(rel_type, src_label, dst_label)].append({"from": src, "to": dst, "id": props.get("id"), "props": props})

    tx.run_many(Q.DELETE_NODE, [{"id": h} for h in sorted(holders)])
    for label, node_batch in node_rows.items():
        tx.run_many(Q.merge_node(label), node_batch)
    for (rel_type, src_label, dst_label), rel_batch in rel_rows.items():
        tx.run_many(Q.merge_relationship(rel_type, src_label, dst_label), rel_batch)
    return True


def closure(ids: Iterable[str], found: dict[str, tuple[str, ...]]) -> set[str]:
    """``ids`` and every id in a cluster with one of them."""
    out: set[str] = set()
    for i in ids:
        out.update(found.get(i, (i,)))
    return out


def split(tx: Transaction, ids: Iterable[str]) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Inside a write transaction (after ``lock_writers``): every merged cluster with one
    of ``ids`` split into one node per id (as stated), so a dataset's statements can be
    applied per id; returns the ids split and the clusters, for :func:`rejoin`."""
    found = clusters(same_pairs(tx.run(Q.SAME_JUDGEMENTS)))
    touched = closure((i for i in ids if i in found), found)
    if touched:
        reproject(tx, touched, lambda i: i)
    return touched, found


def rejoin(tx: Transaction, touched: set[str], found: dict[str, tuple[str, ...]]) -> None:
    """Merge again what :func:`split` split (the same clusters)."""
    if touched:
        reproject(tx, touched, lambda i: found.get(i, (i,))[0])
