"""The graph out as FtM entities (JSON lines) that ``ftm validate`` accepts.

The graph is read whole (:func:`repgraph.service.whole_graph`, uncapped), passed through
:func:`repgraph.disclosure.disclose` for the viewer (what they may not see never reaches
this module), then mapped by :mod:`.mapping`:

* Person -> ``Person`` (identifiers as ``Passport`` / ``Identification``); Organization ->
  ``Organization``, ``PublicBody`` or ``Company`` by kind; Position -> ``Position``
  (``organization`` from ``IN``); Incident -> ``Event``; Sanction -> ``Sanction``
  (``entity`` from ``SANCTIONED``); Source -> ``Article`` (``proof`` of what cites it;
  sources of FtM datasets travel as ``datasets``);
* HOLDS -> ``Occupancy``, MEMBER_OF -> ``Membership``, PART_OF (organization in
  organization) -> ``Membership``, FAMILY_OF -> ``Family``, ASSOCIATE_OF -> ``Associate``,
  ACTING_FOR -> ``Representation``, OWNS -> ``Ownership``, CONTROLS -> ``Directorship``.

The table is :mod:`.mapping`. Roles and kinds travel in ``classification`` (exactly) and
``topics`` (where FtM has a word); incident types in ``keywords``; a start "since at least"
as ``date``. Everything else (laws, operations, places, statistics, victims and
perpetrators, chains of command, exile, proceedings) has no FtM counterpart here and is
counted in :attr:`FtmExportResult.left_out`. Confidentiality is not carried: the export is
already redacted for its viewer.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from followthemoney import model
from followthemoney.entity import ValueEntity

from .. import queries as Q
from .. import service as S
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from ..models import GraphEdge, GraphNode, Subgraph
from ..private_files import open_private_all
from ..store import GraphStore
from . import mapping as M

#: The dataset exported entities belong to, unless another is given.
DEFAULT_DATASET = "repgraph"


@dataclass
class FtmExportResult:
    """What an export wrote: entities per FtM schema; elements left out per label or
    relationship type (no FtM counterpart, or an end not exported); values FtM refused
    (``(entity id, property, value)``, e.g. a nationality that is no country)."""

    entities: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)
    refused_values: list[tuple[str, str, str]] = field(default_factory=list)
    judgements: int = 0

    @property
    def total(self) -> int:
        return sum(self.entities.values())


class _Entities:
    def __init__(self, dataset: str):
        self.dataset = dataset
        self.by_id: dict[str, ValueEntity] = {}
        self.refused: list[tuple[str, str, str]] = []

    def make(self, schema: str, ident: str) -> ValueEntity:
        entity = ValueEntity(model[schema], {"id": ident, "datasets": [self.dataset]})
        self.by_id[ident] = entity
        return entity

    def add(self, entity: ValueEntity, prop: str, values: Any) -> None:
        for value in values if isinstance(values, list) else [values]:
            if value is None or value == "":
                continue
            text = str(value)
            before = len(entity.get(prop))
            entity.add(prop, text)
            if len(entity.get(prop)) == before and text not in entity.get(prop):
                self.refused.append((entity.id, prop, text))


def _value(prop: M.Prop, value: Any) -> Any:
    if prop.kind == "country" and isinstance(value, str):
        return value.lower()
    if prop.kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _names(out: _Entities, entity: ValueEntity, p: dict[str, Any]) -> None:
    names = p.get("aliases") or []
    types = p.get("aliasTypes") or ["alias"] * len(names)
    for name, kind in zip(names, types):
        out.add(entity, M.PROP_BY_NAME_TYPE.get(kind, "alias"), name)


def _identifiers(out: _Entities, person: ValueEntity, values: list[str]) -> None:
    """A Person's ``identifiers`` (``scheme:value``) as FtM Passport / Identification
    entities held by it, with ids stable across exports."""
    for item in values:
        scheme, _, value = item.partition(":")
        digest = hashlib.sha1(item.encode("utf-8")).hexdigest()[:12]
        doc = out.make("Passport" if scheme == "passport" else "Identification", f"{person.id}-id-{digest}")
        out.add(doc, "holder", person.id)
        out.add(doc, "number", value)
        out.add(doc, "type", scheme)


def _at_least(entity: ValueEntity, qualifier: Any, start_prop: str = "startDate") -> None:
    """A start "since at least" moves from ``startDate`` to FtM ``date`` (see mapping.AT_LEAST_PROP)."""
    if qualifier == "at_least" and entity.has(start_prop):
        entity.set(M.AT_LEAST_PROP, entity.pop(start_prop))


def _sanction(out: _Entities, entity: ValueEntity, p: dict[str, Any]) -> None:
    _at_least(entity, p.get("listedQualifier"))
    # the body's own name and the vocabulary code, so both come back on import
    out.add(entity, "authority", [v for v in (p.get("authorityName"), p.get("authority")) if v])
    out.add(entity, "program", [v for v in (p.get("programme"), p.get("legalBasis")) if v])
    out.add(entity, "status", p.get("status"))


def _node(out: _Entities, node: GraphNode) -> ValueEntity | None:
    mapping = M.NODE_BY_LABEL.get(node.label or "")
    if mapping is None:
        return None
    p = node.properties
    if node.label == "Source" and p.get("type") == "dataset":
        return None  # an FtM dataset: it travels as `datasets`
    schema = mapping.schemata[0]
    if node.label == "Organization":
        schema = M.organization_schema(p.get("kind", ""))
    entity = out.make(schema, M.ftm_id(node.id))
    for prop in mapping.props:
        if prop.export and prop.kind != "names" and prop.field in p:
            out.add(entity, prop.ftm, _value(prop, p[prop.field]))
    if "name" in mapping.schema_props(schema):
        _names(out, entity, p)
    if node.label == "Sanction":
        out.add(entity, "summary", node.name or p.get("name"))
        _sanction(out, entity, p)
    elif "name" not in entity.properties and node.name:
        out.add(entity, "name", node.name)
    if node.label == "Person":
        roles = p.get("roles") or []
        out.add(entity, "classification", roles)
        out.add(entity, "topics", sorted({M.TOPIC_BY_ROLE[r] for r in roles if r in M.TOPIC_BY_ROLE}))
        _identifiers(out, entity, p.get("identifiers") or [])
    elif node.label == "Organization" and p.get("kind"):
        out.add(entity, "classification", p["kind"])
        out.add(entity, "topics", M.TOPIC_BY_KIND.get(p["kind"]))
    elif node.label == "Incident" and p.get("type"):
        out.add(entity, "keywords", p["type"])
    elif node.label == "Position" and p.get("isHead"):
        out.add(entity, "keywords", M.HEAD_KEYWORD)
    elif node.label == "Source":
        out.add(entity, "keywords", p.get("type"))
    return entity


def _proof(out: _Entities, store: GraphStore, exported: dict[str, ValueEntity]) -> None:
    """Each exported entity's cited sources, where exported as documents, as FtM ``proof``.
    Only ids already disclosed are looked up; hidden sources are never named."""
    documents = {i: e for i, e in exported.items() if e.schema.is_a("Document")}
    if not documents:
        return
    for row in S.each(store, Q.ENTITY, sorted(exported)):
        entity = exported.get(row["id"])
        cited = [documents[s].id for s in row["props"].get("sourceIds") or [] if s in documents and s != row["id"]]
        if entity is not None and cited and "proof" in entity.schema.properties:
            out.add(entity, "proof", cited)


def _fits(entity: ValueEntity, schema: str, prop: str) -> bool:
    """Whether ``entity`` may be the value of FtM property ``schema:prop`` (its range)."""
    target = model[schema].properties[prop].range
    return target is None or entity.schema.is_a(target)


def _edge(out: _Entities, edge: GraphEdge, exported: dict[str, ValueEntity], labels: dict[str, str],
          left_out: Counter) -> None:
    source, target = exported.get(edge.source), exported.get(edge.target)
    link = M.LINK_BY_TYPE.get(edge.type)
    if edge.type in M.REFERENCE_BY_TYPE and source is not None and target is not None:
        _, ref = M.REFERENCE_BY_TYPE[edge.type]
        if _fits(target, source.schema.name, ref.ftm):
            out.add(source, ref.ftm, target.id)
            if edge.type == "SANCTIONED" and "active" in source.get("status"):
                out.add(target, "topics", "sanction")  # how FtM consumers find the sanctioned
            return
    elif (link is not None and source is not None and target is not None and labels.get(edge.source) in link.source_labels
          and _fits(source, link.schema, link.source) and _fits(target, link.schema, link.target)):
        ident = M.link_ftm_id(edge.id or f"{edge.type}:{edge.source}:{edge.target}", edge.type, edge.source, edge.target)
        entity = out.make(link.schema, ident)
        out.add(entity, link.source, source.id)
        out.add(entity, link.target, target.id)
        props = edge.properties
        for prop in link.props:
            if prop.export and prop.field in props:
                out.add(entity, prop.ftm, _value(prop, props[prop.field]))
        _at_least(entity, props.get("startQualifier"))
        if props.get("current"):
            out.add(entity, "status", "current")
        elif props.get("former"):
            out.add(entity, "status", "ended")
        return
    left_out[edge.type] += 1


def to_ftm(graph: Subgraph, dataset: str = DEFAULT_DATASET, store: GraphStore | None = None
           ) -> tuple[list[ValueEntity], FtmExportResult]:
    """FtM entities (sorted by id) for an (already disclosed) subgraph, and the tally.
    With ``store``, entities get ``proof`` links to the exported sources they cite."""
    out = _Entities(dataset)
    left_out: Counter[str] = Counter()
    exported: dict[str, ValueEntity] = {}
    for node in graph.nodes:
        entity = _node(out, node)
        if entity is None:
            left_out[node.label or "?"] += 1
        else:
            exported[node.id] = entity
    if store is not None:
        _proof(out, store, exported)
        # a merged entity carries its other ids, as nomenklatura's canonical entities do
        for row in store.read(Q.MERGED_ENTITIES):
            if row["id"] in exported:
                exported[row["id"]].referents.update(M.ftm_id(i) for i in row["referents"])
    labels = {n.id: n.label or "" for n in graph.nodes}
    for edge in graph.edges:
        _edge(out, edge, exported, labels, left_out)
    for ident, entity in list(out.by_id.items()):
        # FtM requires these (Sanction:entity, Occupancy:holder, ...): a sanction whose
        # target was not exported says nothing in FtM.
        if any(not entity.has(req) for req in entity.schema.required):
            del out.by_id[ident]
            left_out[entity.schema.name] += 1
    entities = sorted(out.by_id.values(), key=lambda e: e.id)
    result = FtmExportResult(
        entities=dict(sorted(Counter(e.schema.name for e in entities).items())),
        left_out=dict(sorted(left_out.items())),
        refused_values=out.refused,
    )
    return entities, result


def entity_line(entity: ValueEntity) -> str:
    """One JSON line: ``id`` first (as ``ftm`` writes it), then schema, properties, datasets."""
    data = entity.to_dict()
    line = {"id": data.pop("id"), "schema": data.pop("schema"), "properties": data.pop("properties"),
            "datasets": sorted(data.pop("datasets", []))}
    if entity.referents:
        line["referents"] = sorted(entity.referents)
    return json.dumps(line, ensure_ascii=False, sort_keys=False)


def export_ftm(store: GraphStore, output: str | Path | IO[str], viewer: Viewer = DEFAULT_VIEWER,
               dataset: str = DEFAULT_DATASET, judgements: str | Path | None = None) -> FtmExportResult:
    """Write the graph, as ``viewer`` may see it, to ``output`` (a path, ``"-"`` for stdout,
    or an open text file) as FtM JSON lines, one entity per line, sorted by id. A merged
    entity (``repgraph merge``) carries its other ids as ``referents``.

    ``judgements``: a file to write the recorded judgements to, in nomenklatura's
    resolver format (:mod:`repgraph.ftm.judgements`; ``import-ftm --judgements`` reads it).
    Returns the tally (:class:`FtmExportResult`; ``judgements``: lines written). Raises
    StoreError when the store cannot be read, OSError when a file cannot be written (then
    neither file is written: :func:`repgraph.private_files.open_private_all`).
    """
    from .judgements import judgement_lines

    graph = disclose(S.whole_graph(store, max_nodes=sys.maxsize, viewer=viewer), viewer, store)
    entities, result = to_ftm(graph, dataset, store)
    text = "".join(entity_line(e) + "\n" for e in entities)
    # every file named is opened (owner-only: protected names for an admin) before any is
    # written: one that cannot be leaves the others as they were
    files: list[str | Path] = [] if hasattr(output, "write") or str(output) == "-" else [output]
    lines: list[str] = []
    if judgements is not None:
        lines = judgement_lines(store, viewer, {n.id for n in graph.nodes})
        files.append(judgements)
        result.judgements = len(lines)
    with open_private_all(files) as opened:
        if judgements is not None:
            opened[-1].write("".join(lines))
        if hasattr(output, "write"):
            output.write(text)  # type: ignore[union-attr]
        elif str(output) == "-":
            # FtM JSON is UTF-8 whatever the terminal's locale: under LANG=C a text write
            # would turn "Núñez" into "N??ez"
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            opened[0].write(text)
    return result
