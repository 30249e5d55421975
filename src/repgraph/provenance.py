"""Where each value of an element comes from: the per-dataset view of its statements.

Used by the entity page (``GET /entities/{id}``, ``repgraph show ID``): which dataset
states which value, with its citations, and the conflicts between datasets
(:mod:`repgraph.statements` has the rules of the projection).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .ontology import Element
from .models import AliasOut, CitationOut, DatasetValue, StatedValues, ValueConflict
from .statements import MULTI_VALUED, read_statements


def _names(statement: dict[str, Any]) -> set[str]:
    names = {a if isinstance(a, str) else a.get("name") for a in statement.get("aliases", [])}
    if statement.get("name"):
        names.add(statement["name"])
    return names


def conflicts_of(props: dict[str, Any]) -> list[ValueConflict]:
    """The single-valued properties datasets disagree on (from the stored ``conflicts``)."""
    raw = props.get("conflicts")
    if not raw:
        return []
    return [
        ValueConflict(property=prop, shown=props.get(prop), values=[DatasetValue(**v) for v in values])
        for prop, values in sorted(json.loads(raw).items())
    ]


def describe(props: dict[str, Any], model: type[Element], dataset_titles: dict[str, str],
             cite: Callable[[list[dict]], list[CitationOut]]) -> dict[str, Any]:
    """The provenance fields of an :class:`~repgraph.models.EntityDetail` for an element's
    stored ``props``: ``aliases`` (typed, with the datasets stating each), ``datasets``,
    ``provenance`` (property -> datasets stating the value shown), ``statements`` (each
    dataset's values and citations, via ``cite``) and ``conflicts``."""
    stored = read_statements(props, model)
    order = [d for d in props.get("datasets") or [] if d in stored] + [d for d in stored if d not in (props.get("datasets") or [])]
    statements = {d: stored[d] for d in order}  # earliest ingested first
    provenance: dict[str, list[str]] = {}
    for dataset, statement in statements.items():
        for prop, value in statement.items():
            if prop == "confidentiality" and value != props.get("confidentiality"):
                continue
            if prop in MULTI_VALUED or prop == "confidentiality":
                provenance.setdefault(prop, []).append(dataset)
            elif prop == "name":
                provenance.setdefault("name", [])
                if value == props.get("name"):
                    provenance["name"].append(dataset)
                else:
                    provenance.setdefault("aliases", []).append(dataset)
            else:
                first = next(s[prop] for s in statements.values() if prop in s)
                if value == first:
                    provenance.setdefault(prop, []).append(dataset)
    aliases = []
    for name, kind in zip(props.get("aliases") or [], props.get("aliasTypes") or ["alias"] * len(props.get("aliases") or [])):
        aliases.append(AliasOut(name=name, type=kind, datasets=[d for d in order if name in _names(statements[d])]))
    return {
        "aliases": aliases,
        "datasets": order,
        "provenance": {k: sorted(set(v), key=order.index) for k, v in provenance.items()},
        "statements": [
            StatedValues(dataset=d, title=dataset_titles.get(d),
                         values={k: v for k, v in s.items() if k != "citations"}, citations=cite(s.get("citations", [])))
            for d, s in statements.items()
        ],
        "conflicts": conflicts_of(props),
    }
