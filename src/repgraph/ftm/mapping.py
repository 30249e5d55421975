"""The one table between FollowTheMoney (FtM) and the repgraph ontology.

Both directions read only this module: :mod:`.importer` (FtM entities -> a case file) and
:mod:`.exporter` (the graph -> FtM entities). It says

* which FtM schema becomes which node label (:data:`NODES`), and which interval schema
  becomes which relationship type (:data:`LINKS`), property by property;
* which FtM entity properties become relationships of their node (``Position:organization``
  -> ``IN``, ``Sanction:entity`` -> ``SANCTIONED``: :attr:`NodeMapping.references`);
* how a person's roles and an organization's kind are read from (and written to) FtM
  ``classification``, ``topics`` and the schema (:func:`person_roles`, :func:`organization_kind`);
* how FtM ids and repgraph ids correspond (:func:`repgraph_id`, :func:`ftm_id`).

FtM names follow the library's YAML schemata (``followthemoney/schema/*.yaml``); repgraph
fields are the case-file names (camelCase aliases of :mod:`repgraph.ontology`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from ..ontology import OrganizationKind, PersonRole

# --------------------------------------------------------------------------- ids

#: Prefix of repgraph ids made from FtM ids that are already safe.
FTM_PREFIX = "ftm-"
#: Prefix of repgraph ids made (with a hash) from FtM ids that are not.
HASHED_PREFIX = "ftmx-"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
MAX_ID = 200


def _hashed(text: str, prefix: str = HASHED_PREFIX) -> str:
    slug = re.sub(r"[^A-Za-z0-9._\-]+", "-", text).strip("-._")[:60] or "x"
    return f"{prefix}{slug}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


def repgraph_id(ftm: str) -> str:
    """The stable repgraph id of an FtM id: ``ftm-<id>`` when the id fits the ontology's
    ``Id`` pattern, else ``ftmx-<slug>-<sha1[:16]>`` (injective: the two forms never meet).

    ``repgraph_id("NK-a1b2")`` -> ``"ftm-NK-a1b2"``; ``repgraph_id("a b")`` ->
    ``"ftmx-a-b-<hash>"``. The same FtM id always gives the same repgraph id, so an
    import is idempotent.
    """
    if _SAFE.match(ftm) and len(FTM_PREFIX) + len(ftm) <= MAX_ID:
        return FTM_PREFIX + ftm
    return _hashed(ftm)


def ftm_id(node_id: str) -> str:
    """The FtM id an exported node gets: the original FtM id for nodes imported from FtM
    (``ftm-X`` -> ``X``), the repgraph id itself otherwise. So export -> import -> export
    gives the same FtM ids (hashed ``ftmx-`` ids excepted: their original is not kept)."""
    return node_id[len(FTM_PREFIX):] if node_id.startswith(FTM_PREFIX) else node_id


def link_id(rel_type: str, source: str, target: str, ftm: str | None) -> str:
    """The repgraph id of a relationship made from an FtM interval entity ``ftm``
    (``TYPE:from:to:ftm-<id>``, so two Occupancies of one post by one person stay two), or
    ``TYPE:from:to`` for a relationship made from an entity property (``ftm`` None)."""
    base = f"{rel_type}:{source}:{target}"
    if ftm is None:
        return base
    suffix = repgraph_id(ftm)
    if len(base) + 1 + len(suffix) > MAX_ID:
        suffix = _hashed(ftm, "h-")[-18:]
    return f"{base}:{suffix}"


def link_ftm_id(rel_id: str, rel_type: str, source: str, target: str) -> str:
    """The FtM id an exported relationship gets: the original FtM interval id for
    relationships imported from FtM, the repgraph relationship id otherwise."""
    prefix = f"{rel_type}:{source}:{target}:"
    if rel_id.startswith(prefix) and rel_id[len(prefix):].startswith(FTM_PREFIX):
        return rel_id[len(prefix) + len(FTM_PREFIX):]
    return rel_id


def source_id(dataset: str) -> str:
    """The repgraph id of the Source node standing for an FtM dataset: ``src-ftm-<name>``."""
    if _SAFE.match(dataset) and len(dataset) <= 150:
        return f"src-ftm-{dataset}"
    return _hashed(dataset, "src-ftm-")


# --------------------------------------------------------------------------- properties

#: How values convert: ``text`` (first value; more are kept in notes), ``names`` (other
#: names: a list of ``{name, type}``, see :data:`NAME_TYPE_BY_PROP`), ``date`` (a partial
#: ISO date; a time of day is dropped), ``country`` (ISO 3166-1 alpha-2, upper case in
#: repgraph, lower case in FtM), ``number`` (a decimal).
Kind = Literal["text", "names", "date", "country", "number"]


@dataclass(frozen=True)
class Prop:
    """One FtM property <-> one repgraph field. Several FtM properties may feed one
    field on import (the first listed with ``export`` is the one written on export)."""

    ftm: str
    field: str
    kind: Kind = "text"
    export: bool = True


@dataclass(frozen=True)
class Reference:
    """An FtM entity property naming other entities, stored as relationships of the node:
    ``(node)-[rel_type]->(each referenced entity)``."""

    ftm: str
    rel_type: str


@dataclass(frozen=True)
class NodeMapping:
    """FtM schemata <-> one node label. ``schemata[0]`` is the default export schema."""

    label: str
    schemata: tuple[str, ...]
    props: tuple[Prop, ...]
    references: tuple[Reference, ...] = ()

    def schema_props(self, schema: str) -> set[str]:
        """The FtM properties of ``schema`` (a shortcut for the exporter)."""
        from followthemoney import model

        return set(model[schema].properties)


@dataclass(frozen=True)
class LinkMapping:
    """One FtM interval schema <-> one relationship type. ``source``/``target`` are the FtM
    properties naming the relationship's ``from`` and ``to`` ends. ``source_labels``: the
    repgraph labels of ``from`` this mapping is for (FtM ``Membership`` of a person is
    ``MEMBER_OF``, of an organization ``PART_OF``)."""

    rel_type: str
    schema: str
    source: str
    target: str
    props: tuple[Prop, ...] = field(default=())
    source_labels: tuple[str, ...] = ("Person", "Organization")


#: Other names: the FtM name property <-> the repgraph alias type (``spelling`` is written
#: as ``alias``: FtM has no word for it).
NAME_TYPE_BY_PROP: dict[str, str] = {"alias": "alias", "previousName": "former_name", "weakAlias": "nickname"}
PROP_BY_NAME_TYPE: dict[str, str] = {"alias": "alias", "spelling": "alias", "former_name": "previousName",
                                     "nickname": "weakAlias"}

_NAMES = (Prop("name", "name"), *(Prop(ftm, "aliases", "names") for ftm in NAME_TYPE_BY_PROP))
_DESCRIPTION = (Prop("description", "description"), Prop("summary", "description", export=False),
                Prop("notes", "notes"))
_INTERVAL = (Prop("startDate", "startDate", "date"), Prop("endDate", "endDate", "date"))

NODES: tuple[NodeMapping, ...] = (
    NodeMapping("Person", ("Person",), (
        *_NAMES, *_DESCRIPTION,
        Prop("birthDate", "birthDate", "date"),
        Prop("nationality", "nationality", "country"), Prop("citizenship", "nationality", "country", export=False),
        Prop("gender", "gender"),
    )),
    NodeMapping("Organization", ("Organization", "PublicBody", "Company"), (
        *_NAMES, *_DESCRIPTION,
        Prop("abbreviation", "acronym"),
        Prop("country", "country", "country"), Prop("jurisdiction", "country", "country", export=False),
        Prop("mainCountry", "country", "country", export=False),
    )),
    NodeMapping("Position", ("Position",), (
        *_NAMES, Prop("notes", "notes"), Prop("description", "notes", export=False), Prop("summary", "notes", export=False),
        Prop("inceptionDate", "startDate", "date"), Prop("dissolutionDate", "endDate", "date"),
    ), references=(Reference("organization", "IN"),)),
    NodeMapping("Incident", ("Event",), (
        *_NAMES, Prop("description", "description"), Prop("summary", "description", export=False), Prop("notes", "notes"),
        Prop("date", "date", "date"), Prop("startDate", "date", "date", export=False), Prop("endDate", "dateEnd", "date"),
    )),
    # authority, program (programme and legal basis) and status are read and written by
    # the importer and exporter themselves (see SANCTION_STATUS).
    NodeMapping("Sanction", ("Sanction",), (
        Prop("summary", "name"), Prop("reason", "reason"), Prop("authorityId", "listId"),
        Prop("startDate", "listedDate", "date"), Prop("listingDate", "listedDate", "date", export=False),
        Prop("endDate", "endDate", "date"),
        Prop("description", "notes"),
    ), references=(Reference("entity", "SANCTIONED"),)),
    # A source (report, article, official document): FtM `proof` of what cites it. Exported
    # as Article (Document requires a fileName a web page has not); `keywords` carries the
    # source type. Sources standing for FtM datasets travel as `datasets`, not as documents.
    NodeMapping("Source", ("Article", "Document", "Pages", "PlainText", "HyperText"), (
        *_NAMES, Prop("title", "title"), Prop("publisher", "publisher"), Prop("sourceUrl", "url"),
        Prop("publishedAt", "date", "date"), Prop("date", "date", "date", export=False),
        Prop("fileName", "localRef"), Prop("notes", "notes"), Prop("description", "notes", export=False),
    )),
)

#: A start "since at least" (repgraph ``startQualifier``/``listedQualifier: at_least``) is
#: written as FtM ``date`` ("a date associated with the interval that is not explicitly its
#: start"), never as ``startDate``; an FtM ``date`` with no ``startDate`` is read back so.
AT_LEAST_PROP = "date"

_TENURE = (*_INTERVAL,)  # plus FtM `status` <-> current / former, `date` <-> at_least

LINKS: tuple[LinkMapping, ...] = (
    LinkMapping("HOLDS", "Occupancy", "holder", "post", _TENURE),
    LinkMapping("MEMBER_OF", "Membership", "member", "organization", (Prop("role", "role"), *_TENURE), ("Person",)),
    LinkMapping("PART_OF", "Membership", "member", "organization", _INTERVAL, ("Organization",)),
    # FtM: `relationship` is what `relative` is to `person` ("mother"); repgraph: `relation`
    # is what the from-person is to the to-person. So relative -> person. Associate alike.
    LinkMapping("FAMILY_OF", "Family", "relative", "person", (Prop("relationship", "relation"),)),
    LinkMapping("ASSOCIATE_OF", "Associate", "associate", "person", (Prop("relationship", "relation"), *_INTERVAL)),
    LinkMapping("ACTING_FOR", "Representation", "agent", "client", _INTERVAL),
    LinkMapping("OWNS", "Ownership", "owner", "asset", (Prop("percentage", "percentage", "number"), *_INTERVAL)),
    LinkMapping("CONTROLS", "Directorship", "director", "organization", (Prop("role", "role"), *_INTERVAL)),
)

NODE_BY_SCHEMA: dict[str, NodeMapping] = {s: m for m in NODES for s in m.schemata}
NODE_BY_LABEL: dict[str, NodeMapping] = {m.label: m for m in NODES}
LINKS_BY_SCHEMA: dict[str, tuple[LinkMapping, ...]] = {
    s: tuple(m for m in LINKS if m.schema == s) for s in dict.fromkeys(m.schema for m in LINKS)
}
LINK_BY_TYPE: dict[str, LinkMapping] = {m.rel_type: m for m in LINKS}
#: Relationship types exported as a property of their source node (Position.organization, ...).
REFERENCE_BY_TYPE: dict[str, tuple[NodeMapping, Reference]] = {
    r.rel_type: (m, r) for m in NODES for r in m.references
}


def link_for(schema: str, source_label: str | None) -> LinkMapping:
    """The mapping of an FtM interval entity whose source end has ``source_label`` (None:
    not known from the file, the first mapping is taken)."""
    options = LINKS_BY_SCHEMA[schema]
    return next((m for m in options if source_label in m.source_labels), options[0])


#: Identity documents (FtM ``Identification``, ``Passport``) become ``identifiers`` of
#: their holder, a Person in the same file: ``{scheme, value}``.
IDENTIFICATION_SCHEMATA = ("Identification", "Passport")
#: FtM Person properties that are identifiers, and their scheme.
IDENTIFIER_PROPS: dict[str, str] = {"passportNumber": "passport", "idNumber": "other"}

#: FtM schemata an import understands (others are counted and left out).
IMPORTED_SCHEMATA = frozenset(NODE_BY_SCHEMA) | frozenset(LINKS_BY_SCHEMA) | frozenset(IDENTIFICATION_SCHEMATA)

def identification_scheme(schema: str, types: list[str]) -> str:
    """The repgraph identifier scheme of an FtM identity document: a ``type`` that is a
    scheme (what a repgraph export writes), else ``passport`` for a Passport or a type
    saying passport, ``cedula`` for a type saying cédula, else ``other``."""
    from ..ontology import IdentifierScheme, fold

    for t in types:
        if t in IdentifierScheme.__members__:
            return t
    folded = " ".join(fold(t) for t in types)
    if schema == "Passport" or "passport" in folded or "pasaporte" in folded:
        return IdentifierScheme.passport.value
    if "cedula" in folded:
        return IdentifierScheme.cedula.value
    return IdentifierScheme.other.value


#: Sanctioning bodies as OpenSanctions' FtM data names them (folded substrings), read
#: before the ontology's own aliases (:data:`repgraph.ontology.AUTHORITY_ALIASES`).
AUTHORITY_BY_NAME: tuple[tuple[str, str], ...] = (
    ("office of foreign assets control", "us_ofac"), ("department of the treasury", "us_ofac"),
    ("office of financial sanctions implementation", "uk"), ("foreign, commonwealth", "uk"),
    ("council of the european union", "eu"), ("european commission", "eu"),
    ("global affairs canada", "canada"), ("state secretariat for economic affairs", "switzerland"),
    ("security council", "un"),
)


def sanction_authority(values: list[str]) -> tuple[str | None, str | None]:
    """(vocabulary code, the body's own name) from FtM ``Sanction:authority`` values: a
    value that is a code (what a repgraph export writes) or a name listed in
    :data:`AUTHORITY_BY_NAME`; otherwise the code is None and the ontology maps the name."""
    from ..ontology import SanctionAuthority, fold

    code = next((v for v in values if v in SanctionAuthority.__members__), None)
    name = next((v for v in values if v not in SanctionAuthority.__members__), None)
    if code is None and name is not None:
        folded = fold(name)
        code = next((c for key, c in AUTHORITY_BY_NAME if key in folded), None)
    return code, name


#: The source type of an imported FtM document that states none in ``keywords``.
DEFAULT_SOURCE_TYPE = "report"


#: FtM ``status`` of a Sanction (free text: Active, Inactive, Expired, ...) -> repgraph status.
SANCTION_STATUS: dict[str, str] = {
    "active": "active", "current": "active", "in force": "active",
    "lifted": "lifted", "inactive": "lifted", "delisted": "lifted", "revoked": "lifted", "removed": "lifted",
    "expired": "expired", "lapsed": "expired",
}

# --------------------------------------------------------------------------- roles and kinds

#: FtM topics (``followthemoney/types/topic.py``) that state a person's role.
ROLE_BY_TOPIC: dict[str, PersonRole] = {
    "role.journo": PersonRole.journalist,
    "role.lawyer": PersonRole.lawyer,
    "role.act": PersonRole.activist,
    "pol.union": PersonRole.trade_unionist,
    "role.rca": PersonRole.associate,
    **{t: PersonRole.official for t in (
        "role.pep", "role.pep.frmr", "role.pep.intl", "role.pep.natl", "role.pol", "role.judge", "role.civil",
        "role.diplo", "role.spy", "gov.head", "gov.security", "mil",
    )},
}
#: The topic written on export for a role (none for roles FtM has no word for).
TOPIC_BY_ROLE: dict[str, str] = {
    PersonRole.journalist: "role.journo", PersonRole.lawyer: "role.lawyer", PersonRole.activist: "role.act",
    PersonRole.defender: "role.act", PersonRole.trade_unionist: "pol.union",
}

#: FtM topics that state an organization's kind, most specific first.
KIND_BY_TOPIC: dict[str, OrganizationKind] = {
    "gov.security": OrganizationKind.state_security,
    "mil": OrganizationKind.military,
    "gov.judicial": OrganizationKind.court,
    "gov.legislative": OrganizationKind.legislature,
    "gov.igo": OrganizationKind.international_body,
    "gov.executive": OrganizationKind.ministry,
    **{t: OrganizationKind.government for t in ("gov", "gov.national", "gov.state", "gov.muni", "gov.admin", "gov.head")},
}
TOPIC_BY_KIND: dict[str, str] = {
    OrganizationKind.state_security: "gov.security", OrganizationKind.police: "gov.security",
    OrganizationKind.military: "mil", OrganizationKind.court: "gov.judicial", OrganizationKind.prosecutor: "gov.judicial",
    OrganizationKind.legislature: "gov.legislative", OrganizationKind.international_body: "gov.igo",
    OrganizationKind.ministry: "gov.executive", OrganizationKind.government: "gov",
}
#: Kinds exported as FtM ``PublicBody`` (a ministry, department or state body).
PUBLIC_BODY_KINDS = frozenset({
    OrganizationKind.state_security, OrganizationKind.police, OrganizationKind.military, OrganizationKind.court,
    OrganizationKind.prosecutor, OrganizationKind.ministry, OrganizationKind.legislature, OrganizationKind.government,
})
#: The kind an FtM schema states by itself.
KIND_BY_SCHEMA: dict[str, OrganizationKind] = {"PublicBody": OrganizationKind.government,
                                                "Company": OrganizationKind.company}


def person_roles(classification: list[str], topics: list[str], holds_post: bool = False,
                 is_relative: bool = False, is_associate: bool = False) -> list[str]:
    """A person's repgraph roles from what the FtM data states, in this order:

    1. ``classification`` values that are repgraph roles (what a repgraph export writes);
    2. role topics (:data:`ROLE_BY_TOPIC`: ``role.pep`` -> official, ``role.journo`` -> journalist, ...);
    3. the file's links: holding a post (``Occupancy``) -> official; being the ``relative``
       in a ``Family`` -> family_member (protected: restricted by default); being the
       ``associate`` in an ``Associate`` -> associate;
    4. else ``designee`` (neutral: named, function unknown).
    """
    roles = [c for c in classification if c in PersonRole.__members__]
    if roles:
        return sorted(set(roles), key=roles.index)
    found = [ROLE_BY_TOPIC[t].value for t in topics if t in ROLE_BY_TOPIC]
    if holds_post:
        found.append(PersonRole.official.value)
    if is_relative:
        found.append(PersonRole.family_member.value)
    if is_associate:
        found.append(PersonRole.associate.value)
    return sorted(set(found), key=found.index) or [PersonRole.designee.value]


def organization_kind(schema: str, classification: list[str], topics: list[str]) -> str | None:
    """An organization's repgraph kind: a ``classification`` value that is a kind, else the
    first kind topic (:data:`KIND_BY_TOPIC`), else the schema's own (``PublicBody`` ->
    government, ``Company`` -> company). None when nothing states one."""
    for value in classification:
        if value in OrganizationKind.__members__:
            return value
    for topic in topics:
        if topic in KIND_BY_TOPIC:
            return KIND_BY_TOPIC[topic].value
    kind = KIND_BY_SCHEMA.get(schema)
    return kind.value if kind else None


def organization_schema(kind: str) -> str:
    """The FtM schema an organization of ``kind`` is exported as."""
    if kind in PUBLIC_BODY_KINDS:
        return "PublicBody"
    if kind == OrganizationKind.company:
        return "Company"
    return "Organization"


#: The FtM ``Position:keywords`` value that marks a post commanding its organization
#: (repgraph ``isHead``; FtM has no property for it).
HEAD_KEYWORD = "head"


def ftm_date(value: str) -> str:
    """An FtM date (``YYYY[-MM[-DD[THH:MM[:SS]]]]``) as a repgraph partial date (the day part)."""
    return value[:10]
