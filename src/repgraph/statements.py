"""Statements per dataset and their projection into the graph (issue 9).

A **statement** is what one dataset (one case file, named by its ``dataset.name``) says
about one node or relationship id: the fields of its record, in case-file form (camelCase,
citations as a list, aliases as strings or ``{name, type}``). This follows the
FollowTheMoney / OpenSanctions statement model (entity, property, value, dataset), kept
per element rather than per value so both backends store it as one JSON property.

Every node and relationship carries, besides the properties queries read:

* ``datasets``: the names of the datasets stating it, in ingest order;
* ``statements``: JSON ``{dataset: {property: value, ...}}`` when more than one dataset
  states it (stated by one dataset, its properties are that dataset's statement, read
  back by :func:`legacy_statement`). A statement holds the values that differ from the
  ontology's defaults (an explicit ``confidence: 1.0`` states nothing).
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

import functools
import json
from typing import Any

from pydantic import ValidationError

from .ontology import LEGACY_DATASET, Element, NodeBase, RelationshipBase

#: The dataset name given to properties of elements written before statements existed
#: (reserved: no case file may be named so).
LEGACY = LEGACY_DATASET

#: Properties whose values from all datasets accumulate.
MULTI_VALUED = ("aliases", "citations", "roles", "identifiers")

#: Stored properties computed from others (never statements).
DERIVED = frozenset({
    "searchText", "sourceIds", "dateFrom", "dateTo", "datePrecision", "halfYear", "validFrom", "validTo",
    "birthDatePrecision", "aliasTypes",
})

#: Stored properties holding statements and their bookkeeping (not shown as properties).
BOOKKEEPING = frozenset({"statements", "datasets", "conflicts", "idStatements", "idFloors", "referents"})

#: Strictness of confidentiality levels.
STRICTNESS = {"public": 0, "restricted": 1, "confidential": 2}

NODE_IDENTITY = ("id", "label")
REL_IDENTITY = ("id", "type", "from", "to")


def dataset_id(name: str) -> str:
    """Id of a dataset's record node: ``dataset:<name>``."""
    return f"dataset:{name}"


def strictest(*levels: str | None) -> str:
    """The strictest of the given confidentiality levels (``public`` if none)."""
    return max((lv for lv in levels if lv), key=lambda lv: STRICTNESS.get(lv, 2), default="public")


def stated(element: Element) -> dict[str, Any]:
    """What a validated case-file record states, in case-file form: its values that differ
    from the ontology's defaults (``confidentiality`` always: its default depends on the
    record), without identity (id, label / type, from, to), derived properties or nulls
    (stating ``null`` is stating nothing). Exactly what :func:`legacy_statement` reads back
    from the element's stored properties, so an element stated by one dataset needs no
    stored copy of its statement."""
    return legacy_statement(element.to_properties(), type(element))


@functools.cache
def _accepted(model: type[Element]) -> dict[str, Any]:
    """Case-file keys a model accepts (aliases), identity left out, with their defaults
    (``[]`` for lists, None where there is none)."""
    out: dict[str, Any] = {}
    # a node's `type` (Source, Incident, Place) is a property, a relationship's its identity
    identity = REL_IDENTITY if issubclass(model, RelationshipBase) else NODE_IDENTITY
    for name, f in model.model_fields.items():
        key = f.alias or name
        if key in identity:
            continue
        default = f.get_default(call_default_factory=True) if not f.is_required() else None
        out[key] = getattr(default, "value", default)
    out.pop("confidentiality", None)
    out["confidentiality"] = None
    return out


def legacy_statement(props: dict[str, Any], model: type[Element]) -> dict[str, Any]:
    """The statement an element's stored properties amount to (case-file form): the keys
    ``model`` accepts, citation lists parsed back from JSON, identifiers and typed aliases
    rebuilt; derived and bookkeeping properties left out."""
    accepted = _accepted(model)
    out = {k: v for k, v in props.items() if k in accepted and v is not None and v != accepted[k] and v != []}
    for key, value in list(out.items()):
        if (key == "citations" or key.endswith("Citations")) and isinstance(value, str):
            out[key] = json.loads(value)
            if not out[key]:
                del out[key]
    if isinstance(out.get("identifiers"), list):
        out["identifiers"] = [dict(zip(("scheme", "value"), i.split(":", 1))) for i in out["identifiers"] if ":" in i]
    if isinstance(out.get("aliases"), list) and isinstance(props.get("aliasTypes"), list):
        out["aliases"] = [a if t == "alias" else {"name": a, "type": t} for a, t in zip(out["aliases"], props["aliasTypes"])]
    return out


def read_statements(props: dict[str, Any], model: type[Element]) -> dict[str, dict[str, Any]]:
    """``{dataset: statement}`` of a stored element's properties.

    An element stated by one dataset only stores no ``statements`` (its properties are
    that statement: read back by :func:`legacy_statement`, defaults included); one
    written before statements existed has no ``datasets`` either: :data:`LEGACY`'s."""
    raw = props.get("statements")
    if isinstance(raw, str):
        return json.loads(raw)
    if not props:
        return {}
    datasets = props.get("datasets") or []
    return {datasets[0] if len(datasets) == 1 else LEGACY: legacy_statement(props, model)}


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
    # one dataset left (the others retracted or corrected away): its statement as it would
    # be written alone, so it reads back whole (an alias equal to the name included)
    attempts = (first,) if len(ordered) == 1 else (
        record, {**first, **{k: record[k] for k in MULTI_VALUED if k in record}}, first)
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
    """``props`` plus ``datasets``, ``statements`` (when more than one dataset states the
    element: one dataset's statement is the properties themselves) and ``conflicts``."""
    if len(ordered) > 1:
        props["statements"] = json.dumps(dict(ordered), ensure_ascii=False, sort_keys=True)
    props["datasets"] = [d for d, _ in ordered]
    if conflicts:
        props["conflicts"] = json.dumps(conflicts, ensure_ascii=False, sort_keys=True)
    return props
