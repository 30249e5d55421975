"""Statements per dataset and their projection into the graph (issue 9).

A **statement** is what one dataset (one case file, named by its ``dataset.name``) says
about one node or relationship id: the fields of its record, in case-file form (camelCase,
citations as a list, aliases as strings or ``{name, type}``). This follows the
FollowTheMoney / OpenSanctions statement model (entity, property, value, dataset), kept
per element rather than per value so both backends store it as one JSON property.

Every node and relationship carries, besides the properties queries read:

* ``statements``: JSON ``{dataset: {property: value, ...}}``, the datasets in ingest order;
* ``datasets``: the names of the datasets stating it (same order);
* ``conflicts``: JSON ``{property: [{dataset, value}, ...]}`` where datasets disagree on a
  single-valued property (absent when none do).

The visible properties are the **projection** of the statements (:func:`project`):

* multi-valued properties (:data:`MULTI_VALUED`: aliases, citations, roles, identifiers)
  accumulate over all datasets, first occurrence first, without repeats;
* ``name``: the earliest-ingested dataset's name is shown; every other dataset's
  different name becomes an alias of type ``spelling`` (both spellings present);
* ``confidentiality``: the strictest level any dataset states (and never lower than the
  level already stored: see :func:`strictest`);
* any other single-valued property: **the earliest-ingested dataset that states it wins**
  (a later file never silently overrides an earlier one); when datasets disagree, every
  value is kept in ``conflicts`` with its dataset, and the entity page shows them;
* derived properties (``searchText``, ``sourceIds``, ``dateFrom``/``dateTo``, ``halfYear``,
  ``validFrom``/``validTo``, ...) are recomputed from the merged record by the ontology.

Elements written before statements existed carry no ``statements`` property: their
properties are read as the statements of the dataset :data:`LEGACY` (see
:func:`legacy_statement`); they take their place beside the other datasets' statements
the first time a file states them again (and take precedence, being older). Re-ingesting
every file into a fresh store gives every value its true dataset.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from .ontology import Element, NodeBase, RelationshipBase

#: The dataset name given to properties of elements written before statements existed.
LEGACY = "legacy"

#: Properties whose values from all datasets accumulate.
MULTI_VALUED = ("aliases", "citations", "roles", "identifiers")

#: Stored properties computed from others (never statements).
DERIVED = frozenset({
    "searchText", "sourceIds", "dateFrom", "dateTo", "datePrecision", "halfYear", "validFrom", "validTo",
    "birthDatePrecision", "aliasTypes",
})

#: Stored properties holding statements and their bookkeeping (not shown as properties).
BOOKKEEPING = frozenset({"statements", "datasets", "conflicts"})

#: Strictness of confidentiality levels.
STRICTNESS = {"public": 0, "restricted": 1, "confidential": 2}

NODE_IDENTITY = ("id", "label")
REL_IDENTITY = ("id", "type", "from", "to")


def strictest(*levels: str | None) -> str:
    """The strictest of the given confidentiality levels (``public`` if none)."""
    return max((lv for lv in levels if lv), key=lambda lv: STRICTNESS.get(lv, 2), default="public")


def stated(element: Element) -> dict[str, Any]:
    """What a validated case-file record states: the fields it set, in case-file form,
    without its identity (id, label / type, from, to) and without nulls (stating ``null``
    is stating nothing). Defaults the ontology fills in (``confidentiality``) count as
    stated."""
    identity = NODE_IDENTITY if isinstance(element, NodeBase) else REL_IDENTITY
    data = element.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, mode="json")
    for key in identity:
        data.pop(key, None)
    return data


def legacy_statement(props: dict[str, Any], is_node: bool) -> dict[str, Any]:
    """The statement a pre-statements element's stored properties amount to."""
    identity = NODE_IDENTITY if is_node else REL_IDENTITY
    out = {k: v for k, v in props.items() if k not in DERIVED and k not in BOOKKEEPING and k not in identity and v is not None}
    if isinstance(out.get("citations"), str):
        out["citations"] = json.loads(out["citations"])
    if not out.get("citations"):
        out.pop("citations", None)
    if isinstance(out.get("identifiers"), list):
        out["identifiers"] = [dict(zip(("scheme", "value"), i.split(":", 1))) for i in out["identifiers"] if ":" in i]
    if isinstance(out.get("aliases"), list) and isinstance(props.get("aliasTypes"), list):
        out["aliases"] = [a if t == "alias" else {"name": a, "type": t} for a, t in zip(out["aliases"], props["aliasTypes"])]
    return out


def read_statements(props: dict[str, Any], is_node: bool) -> dict[str, dict[str, Any]]:
    """``{dataset: statement}`` of a stored element's properties (legacy ones included)."""
    raw = props.get("statements")
    if isinstance(raw, str):
        return json.loads(raw)
    if not props:
        return {}
    return {LEGACY: legacy_statement(props, is_node)}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _alias_name(alias: Any) -> str:
    return alias if isinstance(alias, str) else alias.get("name", "")


def merge(ordered: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Merge statements given in dataset order (earliest first) into one case-file record.

    Returns ``(record, conflicts)``; the rules are the module's. ``conflicts`` maps each
    single-valued property the datasets disagree on to ``[{dataset, value}, ...]``.
    """
    record: dict[str, Any] = {}
    conflicts: dict[str, list[dict[str, Any]]] = {}
    values: dict[str, list[tuple[str, Any]]] = {}
    for dataset, statement in ordered:
        for prop, value in statement.items():
            values.setdefault(prop, []).append((dataset, value))
    for prop, stated_values in values.items():
        if prop in MULTI_VALUED:
            seen: set[str] = set()
            items = []
            for _, value in stated_values:
                for item in value:
                    k = _alias_name(item) if prop == "aliases" else _key(item)
                    if k not in seen:
                        seen.add(k)
                        items.append(item)
            record[prop] = items
        elif prop == "confidentiality":
            record[prop] = strictest(*(v for _, v in stated_values))
        else:
            record[prop] = stated_values[0][1]
            if prop != "name" and len({_key(v) for _, v in stated_values}) > 1:
                conflicts[prop] = [{"dataset": d, "value": v} for d, v in stated_values]
    if "name" in values:
        aliases = list(record.get("aliases", []))
        known = {_alias_name(a) for a in aliases}
        for _, name in values["name"][1:]:
            if name != record["name"] and name not in known:
                aliases.append({"name": name, "type": "spelling"})
                known.add(name)
        aliases = [a for a in aliases if _alias_name(a) != record["name"]]
        if aliases or "aliases" in record:
            record["aliases"] = aliases
    return record, conflicts


def project(model: type[Element], identity: dict[str, Any], ordered: list[tuple[str, dict[str, Any]]],
            floor: str | None = None) -> dict[str, Any]:
    """The stored properties of an element from its statements (earliest dataset first).

    ``model`` is the ontology class, ``identity`` its ``id`` and ``label`` (nodes) or
    ``id``/``type``/``from``/``to`` (relationships). ``floor`` is the confidentiality
    already stored: the projection never goes below it. When the merged record is not
    valid (e.g. one dataset's ``date`` after another's ``dateEnd``), the earliest
    dataset's statement with the accumulated multi-valued properties is projected (and
    failing that, the earliest statement alone); ``conflicts`` still records every value.
    """
    record, conflicts = merge(ordered)
    first = ordered[0][1]
    attempts = (record, {**first, **{k: record[k] for k in MULTI_VALUED if k in record}}, first)
    element = None
    for attempt in attempts:
        try:
            element = model.model_validate({**attempt, **identity})
            break
        except ValidationError:
            continue
    if element is None:  # pragma: no cover - the first statement was validated at load
        raise ValueError(f"statements of {identity.get('id')!r} cannot be projected")
    props = element.to_properties()
    props["confidentiality"] = strictest(props.get("confidentiality"), record.get("confidentiality"), floor)
    props["id"] = identity["id"]
    return with_bookkeeping(props, ordered, conflicts)


def with_bookkeeping(props: dict[str, Any], ordered: list[tuple[str, dict[str, Any]]],
                     conflicts: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """``props`` plus ``statements``, ``datasets`` and (when any) ``conflicts``."""
    props["statements"] = json.dumps(dict(ordered), ensure_ascii=False)
    props["datasets"] = [d for d, _ in ordered]
    if conflicts:
        props["conflicts"] = json.dumps(conflicts, ensure_ascii=False)
    return props
