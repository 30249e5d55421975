"""FtM entities (JSON lines, as OCCRP Aleph and OpenSanctions export them) into the graph.

The path is FtM file -> :class:`~repgraph.ontology.CaseFile` -> the ingest's
:func:`~repgraph.ingest.writer.write_case`, so validation, provenance and the one write
transaction are the case files' own. :mod:`.mapping` is the table this module follows.

* Every FtM dataset an entity belongs to (its ``datasets``, else the ``dataset`` given, else
  the file's name) becomes a :class:`~repgraph.ontology.Source` node (``src-ftm-<dataset>``),
  and every node and relationship cites it with a quote of what the entity states (its
  schema, id and property values, ``sourceUrl`` and ``summary`` included).
* Ids are stable (:func:`.mapping.repgraph_id`): importing a file again changes nothing.
* All or nothing per file: any problem raises :class:`~repgraph.ingest.CaseFileError` naming
  the file, the line and entity id, and the FtM property; nothing is written then.
* Entities of schemata repgraph has no counterpart for (Address, Vessel, ...) are counted
  in :attr:`FtmImportResult.skipped` and left out, with the links that need them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.entity import ValueEntity
from followthemoney.exc import InvalidData
from pydantic import ValidationError

from ..ingest.errors import CaseFileError, format_loc
from ..ingest.loader import read_text
from ..ingest.writer import IngestResult, write_case
from ..statements import STRICTNESS
from ..ontology import (MAX_NAME, MAX_TEXT, NODE_MODELS, REL_MODELS, CaseFile, Confidentiality, IncidentType,
                        SanctionAuthority, SourceKind)
from ..store import GraphStore
from . import mapping as M

#: repgraph fields whose value is read from something other than a mapped property, and
#: the FtM property an error about them names.
_DERIVED_FIELDS = {"roles": "topics", "title": "title", "kind": "classification", "type": "keywords", "authority": "authority",
                   "authorityName": "authority", "programme": "program", "legalBasis": "program", "status": "status",
                   "identifiers": "number", "current": "status", "former": "status"}


@dataclass
class FtmEntity:
    """One FtM entity as read (fragments with the same id merged) and the line it starts on."""

    proxy: ValueEntity
    line: int

    @property
    def record(self) -> str:
        return f"line {self.line} (id={self.proxy.id}, schema={self.proxy.schema.name})"


@dataclass(frozen=True)
class FtmImportResult:
    """What an FtM import wrote (``ingest``: nodes and relationships MERGEd, the derived
    DOCUMENTED_IN included), how many FtM entities it read, which it left out by schema
    (``skipped``), how many links it left out because an end was left out, and how many
    judgements it recorded (``--judgements``)."""

    ingest: IngestResult
    entities: int
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_links: int = 0
    judgements: int = 0


# --------------------------------------------------------------------------- reading


def _check_properties(path: Path, record: str, schema, properties: Any) -> None:
    if not isinstance(properties, dict):
        raise CaseFileError(path, "properties must be an object of property name -> list of values", record, "properties")
    for name, values in properties.items():
        prop = schema.properties.get(name)
        if prop is None:
            raise CaseFileError(path, f"{schema.name} has no property {name!r}", record, f"properties.{name}")
        if prop.stub:
            raise CaseFileError(path, f"{name!r} is a reverse property of {schema.name}; set it on the other entity",
                                record, f"properties.{name}")
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str):
                raise CaseFileError(path, f"values are strings, got {type(value).__name__} {value!r}", record, f"properties.{name}")
            if prop.type.clean(value) is None:
                raise CaseFileError(path, f"{value!r} is not a valid {prop.type.name}", record, f"properties.{name}")


def read_entities(path: str | Path) -> list[FtmEntity]:
    """Read and check an FtM JSON-lines file: one entity (``{"id", "schema", "properties"}``)
    per line, blank lines ignored, fragments of one id merged (as ``ftm aggregate`` does).

    Every value must be valid for its FtM property type (dates, countries, entity ids);
    required properties (``Person:name``, ``Occupancy:holder``/``post``, ...) must be present.
    Returns the entities in the order of their first line. Raises :class:`CaseFileError`
    naming the file, the line (and entity id) and the property.
    """
    path = Path(path)
    text = read_text(path)
    entities: dict[str, FtmEntity] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record = f"line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CaseFileError(path, f"invalid JSON at column {exc.colno}: {exc.msg}", record) from None
        except RecursionError:
            raise CaseFileError(path, "nested too deeply to be an FtM entity", record) from None
        if not isinstance(data, dict):
            raise CaseFileError(path, "each line is one FtM entity: a JSON object with id, schema and properties", record)
        ident = data.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise CaseFileError(path, "every FtM entity needs an id (a non-empty string)", record, "id")
        record = f"line {number} (id={ident})"
        schema = model.get(data.get("schema")) if isinstance(data.get("schema"), str) else None
        if schema is None:
            raise CaseFileError(path, f"unknown FtM schema {data.get('schema')!r}", record, "schema")
        if schema.abstract:
            raise CaseFileError(path, f"{schema.name} is an abstract FtM schema; use a concrete one", record, "schema")
        record = f"line {number} (id={ident}, schema={schema.name})"
        _check_properties(path, record, schema, data.get("properties", {}))
        datasets = data.get("datasets", [])
        if not isinstance(datasets, list) or not all(isinstance(d, str) and d.strip() for d in datasets):
            raise CaseFileError(path, "datasets is a list of dataset names", record, "datasets")
        for j, d in enumerate(datasets):
            if len(d.strip()) > MAX_NAME:  # each becomes a Source named so
                raise CaseFileError(path, f"a dataset name has at most {MAX_NAME} characters, got {len(d.strip())}",
                                    record, f"datasets[{j}]")
        proxy = ValueEntity.from_dict({k: v for k, v in data.items() if k in ("id", "schema", "properties", "datasets")},
                                      cleaned=False)
        if ident in entities:
            try:
                entities[ident].proxy = entities[ident].proxy.merge(proxy)
            except InvalidData as exc:
                raise CaseFileError(path, f"a fragment of {ident!r} (first at line {entities[ident].line}) "
                                          f"does not fit: {exc}", record, "schema") from None
        else:
            entities[ident] = FtmEntity(proxy, number)
    for entity in entities.values():  # once fragments are merged: a fragment may lack them
        for required in entity.proxy.schema.required:
            if not entity.proxy.has(required, quiet=True):
                raise CaseFileError(path, f"{entity.proxy.schema.name} requires {required!r}", entity.record,
                                    f"properties.{required}")
    return list(entities.values())


# --------------------------------------------------------------------------- mapping


def statement_text(proxy: ValueEntity) -> str:
    """What an FtM entity states, as a citation quote: ``FtM Person NK-1: name: Ana
    Ficticia; birthDate: 1970; sourceUrl: https://...`` (properties in name order)."""
    parts = [f"{prop}: {', '.join(values)}" for prop, values in sorted(proxy.properties.items())]
    text = f"FtM {proxy.schema.name} {proxy.id}: " + "; ".join(parts)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _fields(proxy: ValueEntity, props: tuple[M.Prop, ...]) -> dict[str, Any]:
    """repgraph fields from FtM properties (:class:`.mapping.Prop`). Single-valued fields
    take the first value; further values are kept in ``notes``, never dropped silently.
    Other names become ``aliases`` ``{name, type}`` (:data:`.mapping.NAME_TYPE_BY_PROP`)."""
    out: dict[str, Any] = {}
    extra: list[str] = []
    for p in props:
        values = proxy.get(p.ftm, quiet=True)
        if not values:
            continue
        if p.kind == "names":
            names = out.setdefault(p.field, [])
            seen = {n["name"] for n in names}
            names.extend({"name": v, "type": M.NAME_TYPE_BY_PROP[p.ftm]} for v in values if v not in seen)
            continue
        if p.kind == "date":
            values = [M.ftm_date(v) for v in values]
        elif p.kind == "country":
            values = [v.upper() for v in values]
        elif p.kind == "number":
            values = [v.strip().rstrip("%").strip() for v in values]
        if p.field == "notes":
            out["notes"] = "\n\n".join([*([out["notes"]] if "notes" in out else []), *values])
            continue
        first, rest = values[0], [v for v in values[1:] if v != values[0]]
        if p.field in out:
            rest = [v for v in values if v != out[p.field]]
        else:
            out[p.field] = first
        if rest:
            extra.append(f"FtM {p.ftm} also states: {', '.join(rest)}")
    if extra:
        out["notes"] = "\n".join([*([out["notes"]] if "notes" in out else []), *extra])
    return out


def _error_field(label_or_type: str, loc: tuple, props: tuple[M.Prop, ...], problem: str) -> str:
    if not loc:  # a check across fields: the status of an end, or a date range
        if "status" in problem:
            return "properties.status"
        dates = list(dict.fromkeys(f"properties.{p.ftm}" for p in props if p.kind == "date" and p.export))
        return ", ".join(dates) or label_or_type
    name = str(loc[0])
    for p in props:
        if p.field == name:
            return f"properties.{p.ftm}"
    if name in _DERIVED_FIELDS:
        return f"properties.{_DERIVED_FIELDS[name]}"
    return f"{label_or_type}.{format_loc(loc)}"


def _validated(path: Path, entity: FtmEntity, cls, data: dict[str, Any], props: tuple[M.Prop, ...]):
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        label = getattr(cls, "label", None) or cls.type_name
        msg = err["msg"].removeprefix("Value error, ")
        raise CaseFileError(path, f"as a repgraph {label}: {msg}", entity.record,
                            _error_field(label, tuple(err["loc"]), props, msg)) from None


def _at_least(proxy: ValueEntity, data: dict[str, Any], field: str, qualifier: str) -> None:
    """An FtM ``date`` with no start date: the start "since at least" that date."""
    if field not in data and proxy.get(M.AT_LEAST_PROP, quiet=True):
        data[field] = M.ftm_date(proxy.first(M.AT_LEAST_PROP))
        data[qualifier] = "at_least"


def _tenure_status(proxy: ValueEntity, data: dict[str, Any]) -> None:
    """FtM ``status`` of an Occupancy or Membership (``current``, ``ended``) -> repgraph
    ``current`` / ``former`` (only where no end date says more); FtM ``date`` -> a start
    since at least then."""
    _at_least(proxy, data, "startDate", "startQualifier")
    status = {v.strip().lower() for v in proxy.get("status", quiet=True)}
    if "current" in status and "endDate" not in data:
        data["current"] = True
    elif status & {"ended", "former", "past"} and "endDate" not in data:
        data["former"] = True


class _Builder:
    """Maps the entities of one file to case-file records, remembering each record's entity."""

    def __init__(self, path: Path, entities: list[FtmEntity], default_dataset: str):
        self.path = path
        self.entities = entities
        self.default_dataset = default_dataset
        self.by_id = {e.proxy.id: e for e in entities}
        self.skipped_ids = {e.proxy.id for e in entities if e.proxy.schema.name not in M.IMPORTED_SCHEMATA}
        self.skipped: Counter[str] = Counter(self.by_id[i].proxy.schema.name for i in self.skipped_ids)
        self.skipped_links = 0

        def ends(schema: str, prop: str) -> set[str]:
            return {v for e in entities if e.proxy.schema.name == schema for v in e.proxy.get(prop)}

        self.holders, self.relatives, self.associates = ends("Occupancy", "holder"), ends("Family", "relative"), ends("Associate", "associate")
        self.documents: dict[str, list[FtmEntity]] = {}
        for e in entities:
            if e.proxy.schema.name in M.IDENTIFICATION_SCHEMATA:
                holder = self.by_id.get(e.proxy.first("holder"))
                if holder is not None and holder.proxy.schema.name == "Person" and len(e.proxy.get("holder")) == 1:
                    self.documents.setdefault(holder.proxy.id, []).append(e)
                else:  # repgraph keeps identifiers on a person of the same file
                    self.skipped[e.proxy.schema.name] += 1
        self.datasets: set[str] = set()
        self.nodes: list[tuple[FtmEntity, Any]] = []
        self.relationships: list[tuple[FtmEntity, Any]] = []

    def citations(self, proxy: ValueEntity) -> list[dict[str, str]]:
        """The entity's datasets, and the documents its ``proof`` names, each with a quote
        of what the entity states."""
        datasets = sorted(proxy.datasets) or [self.default_dataset]
        self.datasets.update(datasets)
        quote = statement_text(proxy)
        sources = [M.source_id(d) for d in datasets]
        # a proof not in the file is only quoted (the store need not hold it)
        sources += [M.repgraph_id(p) for p in proxy.get("proof", quiet=True) if self.label_of(p) == "Source"]
        return [{"source": s, "quote": quote} for s in dict.fromkeys(sources)]

    def label_of(self, ftm: str) -> str | None:
        entity = self.by_id.get(ftm)
        mapping = M.NODE_BY_SCHEMA.get(entity.proxy.schema.name) if entity else None
        return mapping.label if mapping else None

    def build(self) -> None:
        for entity in self.entities:
            schema = entity.proxy.schema.name
            if schema in M.NODE_BY_SCHEMA:
                self.node(entity, M.NODE_BY_SCHEMA[schema])
            elif schema in M.LINKS_BY_SCHEMA:
                self.link(entity)

    def _end(self, ftm: str) -> str | None:
        """The repgraph id of a referenced entity, or None if the file left it out."""
        if ftm in self.skipped_ids:
            self.skipped_links += 1
            return None
        return M.repgraph_id(ftm)

    def person(self, proxy: ValueEntity, data: dict[str, Any]) -> None:
        data["roles"] = M.person_roles(proxy.get("classification"), proxy.get("topics"), proxy.id in self.holders,
                                       proxy.id in self.relatives, proxy.id in self.associates)
        identifiers = [{"scheme": scheme, "value": v} for prop, scheme in M.IDENTIFIER_PROPS.items() for v in proxy.get(prop)]
        for document in self.documents.get(proxy.id, []):
            scheme = M.identification_scheme(document.proxy.schema.name, document.proxy.get("type"))
            identifiers.extend({"scheme": scheme, "value": v} for v in document.proxy.get("number"))
            data["citations"].extend(self.citations(document.proxy))
        unique = {(i["scheme"], i["value"]): i for i in identifiers}
        if unique:
            data["identifiers"] = list(unique.values())

    def sanction(self, proxy: ValueEntity, data: dict[str, Any]) -> None:
        code, name = M.sanction_authority(proxy.get("authority"))
        data["authority"] = code or name or SanctionAuthority.other.value
        if name:
            data["authorityName"] = name
        programs = proxy.get("program")
        if programs:
            data["programme"] = programs[0]
        if len(programs) > 1:
            data["legalBasis"] = "; ".join(programs[1:])
        statuses = [M.SANCTION_STATUS.get(v.strip().lower()) for v in proxy.get("status")]
        if any(statuses):
            data["status"] = next(s for s in statuses if s)
        elif proxy.get("status"):
            data["notes"] = "\n".join(filter(None, [data.get("notes"), f"FtM status: {', '.join(proxy.get('status'))}"]))
        _at_least(proxy, data, "listedDate", "listedQualifier")
        # each end-point with its citation: the entity states the listing and the end
        if "listedDate" in data:
            data["listedCitations"] = data["citations"]
        if "endDate" in data and data.get("status") in ("lifted", "expired"):
            data["endCitations"] = data["citations"]
        if "name" not in data:
            data["name"] = " ".join(filter(None, (name or code, proxy.first("program")))) or "Sanction"

    def node(self, entity: FtmEntity, mapping: M.NodeMapping) -> None:
        proxy = entity.proxy
        data = _fields(proxy, mapping.props)
        data.update(label=mapping.label, id=M.repgraph_id(proxy.id), citations=self.citations(proxy))
        if "aliases" in data:
            data["aliases"] = [a for a in data["aliases"] if a["name"] != data.get("name")]
        if mapping.label == "Person":
            self.person(proxy, data)
        elif mapping.label == "Organization":
            data["kind"] = M.organization_kind(proxy.schema.name, proxy.get("classification"), proxy.get("topics"))
            if data["kind"] is None:
                raise CaseFileError(
                    self.path, "no repgraph kind is stated for this organization: give a classification (e.g. "
                    "state_security, ngo) or a topic (e.g. gov.security, mil)", entity.record, "properties.classification")
        elif mapping.label == "Incident":
            types = [k for k in proxy.get("keywords") if k in IncidentType.__members__]
            data["type"] = types[0] if types else IncidentType.other.value
        elif mapping.label == "Position":
            data["isHead"] = M.HEAD_KEYWORD in proxy.get("keywords")
        elif mapping.label == "Sanction":
            self.sanction(proxy, data)
        elif mapping.label == "Source":
            types = [k for k in proxy.get("keywords") if k in SourceKind.__members__ and k != SourceKind.dataset]
            data["type"] = types[0] if types else M.DEFAULT_SOURCE_TYPE
            data.setdefault("name", data.get("title") or data.get("localRef") or proxy.id)
            data.setdefault("title", data["name"])
            data.pop("citations")  # a source is what others cite
        if len(data.get("name", "")) > MAX_NAME:
            data["name"] = data["name"][: MAX_NAME - 1] + "…"
        references = []
        for ref in mapping.references:
            for target in proxy.get(ref.ftm):
                end = self._end(target)
                if end is not None:
                    references.append({"type": ref.rel_type, "from": data["id"], "to": end, "citations": data["citations"]})
        if mapping.label == "Sanction" and not references:
            self.skipped["Sanction"] += 1  # it sanctions only entities left out: nothing to say
            return
        self.nodes.append((entity, _validated(self.path, entity, NODE_MODELS[mapping.label], data, mapping.props)))
        for rel in references:
            self.relationships.append((entity, _validated(self.path, entity, REL_MODELS[rel["type"]], rel, ())))

    def link(self, entity: FtmEntity) -> None:
        proxy = entity.proxy
        cites = self.citations(proxy)
        first = M.LINKS_BY_SCHEMA[proxy.schema.name][0]
        for source in proxy.get(first.source):
            mapping = M.link_for(proxy.schema.name, self.label_of(source))
            fields = _fields(proxy, mapping.props)
            if mapping.rel_type in ("HOLDS", "MEMBER_OF"):
                _tenure_status(proxy, fields)
            elif "start_qualifier" in REL_MODELS[mapping.rel_type].model_fields:  # ASSOCIATE_OF, OWNS, ...
                _at_least(proxy, fields, "startDate", "startQualifier")
            for target in proxy.get(mapping.target):
                a, b = self._end(source), self._end(target)
                if a is None or b is None:
                    continue
                data = {**fields, "type": mapping.rel_type, "from": a, "to": b, "citations": cites,
                        "id": M.link_id(mapping.rel_type, a, b, proxy.id)}
                self.relationships.append(
                    (entity, _validated(self.path, entity, REL_MODELS[mapping.rel_type], data, mapping.props)))


def _dataset_name(text: str) -> str:
    name = re.sub(r"[^a-z0-9_\-]+", "-", text.lower()).strip("-_") or "ftm"
    return name if len(name) <= 100 else name[:80] + "-" + hashlib.sha1(name.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class FtmCase:
    """The case file an FtM file makes; for each of its nodes and relationships the entity
    it came from (None for the dataset Sources); what was left out."""

    case: CaseFile
    node_origin: list[FtmEntity | None]
    rel_origin: list[FtmEntity]
    skipped: dict[str, int]
    skipped_links: int


def to_case_file(path: str | Path, entities: list[FtmEntity], dataset: str | None = None,
                 title: str | None = None, confidentiality: str | None = None) -> FtmCase:
    """The case file an FtM file makes, and for each of its nodes and relationships the
    entity it came from (for located errors). ``dataset``: the name of this import (what
    importing it again replaces) and the dataset of entities that name none (default: the
    file's name); ``title``: the title of its Source node;
    ``confidentiality``: the least level of everything in the file (an element whose own
    default is stricter, e.g. a relative, keeps it). FtM carries no confidentiality.
    Raises :class:`CaseFileError` (file, line, entity id, property)."""
    path = Path(path)
    default = dataset or path.stem.removesuffix(".ftm")
    builder = _Builder(path, entities, default)
    builder.build()
    if confidentiality is not None:
        level = Confidentiality(confidentiality).value
        for _, element in [*builder.nodes, *builder.relationships]:
            if STRICTNESS[level] > STRICTNESS[element.confidentiality]:
                element.confidentiality = level
    try:
        sources = [
            NODE_MODELS["Source"].model_validate({
                "label": "Source", "id": M.source_id(d), "name": d, "type": "dataset",
                "title": (title if d == default and title else d), "confidentiality": confidentiality or "public",
            })
            for d in sorted(builder.datasets)
        ]
    except ValidationError as exc:  # the given dataset name (or title) cannot name a Source
        err = exc.errors()[0]
        raise CaseFileError(path, f"the dataset's Source: {err['msg']}", "dataset", format_loc(err["loc"])) from None
    # The case file's dataset, which owns what the import states (a re-import replaces it):
    # the given name, else the file's. Not the FtM datasets: two files of one FtM dataset
    # (split exports) would each remove what the other stated.
    case = CaseFile.model_validate({
        "dataset": {"name": _dataset_name(f"ftm-{default}"), "title": title or f"FtM import {default}"},
        "nodes": [*sources, *(n for _, n in builder.nodes)],
        "relationships": [r for _, r in builder.relationships],
    })
    return FtmCase(case, [*([None] * len(sources)), *(e for e, _ in builder.nodes)],
                   [e for e, _ in builder.relationships], dict(sorted(builder.skipped.items())), builder.skipped_links)


_RECORD = re.compile(r"^(nodes|relationships)\[(\d+)\]")


def import_ftm(store: GraphStore, path: str | Path, dataset: str | None = None, title: str | None = None,
               confidentiality: str | None = None, judgements: str | Path | None = None) -> FtmImportResult:
    """Import an FtM JSON-lines file into ``store``: read and check it (:func:`read_entities`),
    map it to a case file (:func:`to_case_file`), write that in one transaction
    (:func:`~repgraph.ingest.writer.write_case`). Idempotent; all or nothing.

    Raises :class:`CaseFileError` naming the file, the line (entity id, schema) and the
    FtM property; then nothing was written. References to entities neither in the file nor
    already in the store (as ``ftm-<id>``) are such errors. ``dataset``, ``title``,
    ``confidentiality``: see :func:`to_case_file`. ``judgements``: a nomenklatura resolver
    file (``export-ftm --judgements``) whose judgements are recorded after the entities,
    with the merges they imply (:mod:`repgraph.ftm.judgements`); it is read before anything
    is written.
    """
    from .judgements import import_judgements, read_judgements

    path = Path(path)
    entities = read_entities(path)
    if judgements is not None:
        read_judgements(judgements)  # a bad line refuses the import before anything is written
    mapped = to_case_file(path, entities, dataset, title, confidentiality)
    try:
        result = write_case(store, mapped.case, path)
    except CaseFileError as exc:
        raise _relocated(exc, path, mapped) from None
    recorded = import_judgements(store, judgements) if judgements is not None else 0
    return FtmImportResult(result, len(entities), mapped.skipped, mapped.skipped_links, recorded)


def _relocated(exc: CaseFileError, path: Path, mapped: FtmCase) -> CaseFileError:
    """A write-time error about ``nodes[i]``/``relationships[i]`` of the generated case file,
    re-pointed at the FtM line, entity and property it came from."""
    m = _RECORD.match(exc.record or "")
    if not m:
        return exc
    index = int(m[2])
    node_origin, rel_origin = mapped.node_origin, mapped.rel_origin
    if m[1] == "nodes":
        entity = node_origin[index] if index < len(node_origin) else None
        field = "schema" if exc.field == "label" else exc.field
    else:
        entity = rel_origin[index] if index < len(rel_origin) else None
        field = exc.field
        if entity is not None and exc.field in ("from", "to"):
            schema = entity.proxy.schema.name
            if schema in M.LINKS_BY_SCHEMA:
                link = M.LINKS_BY_SCHEMA[schema][0]  # one schema's mappings share their end properties
                field = f"properties.{link.source if exc.field == 'from' else link.target}"
            else:
                rel = mapped.case.relationships[index]
                ref = next(r for r in M.NODE_BY_SCHEMA[schema].references if r.rel_type == rel.type_name)
                field = f"properties.{ref.ftm}"
    if entity is None:
        return exc
    return CaseFileError(path, exc.problem, entity.record, field)
