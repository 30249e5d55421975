"""The repgraph ontology: the single source of truth for the graph's shape.

Every node label, relationship type, property and controlled vocabulary is declared
here as a pydantic v2 model. Everything else derives from it:

* the case-file format and its JSON Schema (``repgraph schema``, :func:`case_file_json_schema`),
* ``graph/schema.cypher`` (:mod:`repgraph.schema`),
* the rows the ingest writes (:meth:`NodeBase.to_properties`),
* the API's and the views' styles.

Naming follows Neo4j conventions: labels ``PascalCase`` singular, relationship types
``UPPER_SNAKE_CASE`` verbs, properties ``camelCase`` (the Python attributes are
snake_case with camelCase aliases; case files may use either).

Vocabulary follows human-rights documentation usage (HURIDOCS events, UN and IACHR):
victim (``TARGETED``), perpetrator (``PERPETRATED_BY``), incident, command responsibility
(``Position`` / ``HOLDS`` / ``REPORTS_TO``), forced exile (``EXILED_TO``).
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Union

from normality import normalize
from rigour.text import ascii_text
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

# --------------------------------------------------------------------------- vocabularies


class Confidentiality(StrEnum):
    """Who may see an element: ``public`` to anyone, ``restricted`` to cleared users,
    ``confidential`` to the case team only."""

    public = "public"
    restricted = "restricted"
    confidential = "confidential"


class PersonRole(StrEnum):
    defender = "defender"
    journalist = "journalist"
    lawyer = "lawyer"
    trade_unionist = "trade_unionist"
    activist = "activist"
    family_member = "family_member"
    official = "official"
    witness = "witness"
    #: named on a sanctions list or in an accusation, function unknown (neutral: says no more)
    designee = "designee"
    #: business partner, front man, associate of an official (RCA)
    associate = "associate"


#: Roles whose holders are protected by default (design.md: family members and witnesses).
PROTECTED_ROLES = frozenset({PersonRole.family_member, PersonRole.witness})


class OrganizationKind(StrEnum):
    ngo = "ngo"
    state_security = "state_security"
    police = "police"
    military = "military"
    court = "court"
    prosecutor = "prosecutor"
    ministry = "ministry"
    legislature = "legislature"
    media = "media"
    international_body = "international_body"
    protection_program = "protection_program"
    government = "government"
    company = "company"


class IncidentType(StrEnum):
    """Acts, in HURIDOCS/UN/IACHR terms."""

    arbitrary_detention = "arbitrary_detention"
    enforced_disappearance = "enforced_disappearance"
    torture = "torture"
    raid = "raid"
    threat = "threat"
    surveillance = "surveillance"
    judicial_harassment = "judicial_harassment"
    smear_campaign = "smear_campaign"
    passport_annulment = "passport_annulment"
    passport_confiscation = "passport_confiscation"
    account_freeze = "account_freeze"
    forced_exile = "forced_exile"
    stigmatization = "stigmatization"
    blacklisting = "blacklisting"
    interrogation = "interrogation"
    workplace_reprisal = "workplace_reprisal"
    killing = "killing"
    bribery = "bribery"
    embezzlement = "embezzlement"
    money_laundering = "money_laundering"
    censorship = "censorship"
    obstruction_of_aid = "obstruction_of_aid"
    other = "other"


class SourceKind(StrEnum):
    report = "report"
    interview = "interview"
    media = "media"
    official_document = "official_document"
    international_body = "international_body"
    dataset = "dataset"  # a compiled dataset, e.g. an FtM dataset of OpenSanctions or Aleph


class TargetBasis(StrEnum):
    """Why a victim was targeted: their own work, or guilt by association (sippenhaft)."""

    own_work = "own_work"
    guilt_by_association = "guilt_by_association"


class PerpetratorRole(StrEnum):
    direct = "direct"
    ordered = "ordered"
    participated = "participated"


class SanctionAuthority(StrEnum):
    """Who imposed a sanction (``authorityName`` gives the body's own name as written)."""

    us_ofac = "us_ofac"
    eu = "eu"
    uk = "uk"
    canada = "canada"
    un = "un"
    switzerland = "switzerland"
    other = "other"


#: Free-text authorities of older case files, read into the vocabulary (folded, substring;
#: the first key found wins, so the more specific "hm treasury" comes before "treasury").
AUTHORITY_ALIASES: tuple[tuple[str, SanctionAuthority], ...] = (
    ("hm treasury", SanctionAuthority.uk), ("ofsi", SanctionAuthority.uk),
    ("ofac", SanctionAuthority.us_ofac), ("treasury", SanctionAuthority.us_ofac),
    ("united states", SanctionAuthority.us_ofac), ("european union", SanctionAuthority.eu),
    ("canada", SanctionAuthority.canada), ("united kingdom", SanctionAuthority.uk),
    ("united nations", SanctionAuthority.un), ("security council", SanctionAuthority.un),
    ("switzerland", SanctionAuthority.switzerland), ("seco", SanctionAuthority.switzerland),
)


class SanctionStatus(StrEnum):
    """``active`` in force; ``lifted`` ended by a decision (delisting); ``expired`` ended
    by lapse of time."""

    active = "active"
    lifted = "lifted"
    expired = "expired"


class DateQualifier(StrEnum):
    """How a start date is meant: ``exact``, or ``at_least`` ("since at least 2016":
    it began then or earlier)."""

    exact = "exact"
    at_least = "at_least"


class ProceedingKind(StrEnum):
    """Judicial and quasi-judicial proceedings (UN/IACHR usage)."""

    investigation = "investigation"
    indictment = "indictment"
    arrest_warrant = "arrest_warrant"
    conviction = "conviction"
    acquittal = "acquittal"
    dismissal = "dismissal"
    un_finding = "un_finding"
    iachr_finding = "iachr_finding"
    icc_proceeding = "icc_proceeding"
    other = "other"


class ExculpatoryKind(StrEnum):
    """What speaks against an allegation or a designation."""

    denial = "denial"
    acquittal = "acquittal"
    delisting = "delisting"
    post_ended_before_incident = "post_ended_before_incident"
    post_began_after_incident = "post_began_after_incident"
    public_break = "public_break"
    retraction = "retraction"
    other = "other"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


#: Longest name and longest quote accepted (a 20 MB name made every answer that
#: mentions it 20 MB).
MAX_NAME = 500
MAX_TEXT = 20_000

# --------------------------------------------------------------------------- partial dates

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bounds(value: str) -> tuple[str, str, DatePrecision]:
    """Earliest and latest ISO day covered by a partial ISO date, and its precision.

    ``"2024"`` -> ``("2024-01-01", "2024-12-31", year)``; ``"2024-02"`` ->
    ``("2024-02-01", "2024-02-29", month)``; ``"2024-08-03"`` -> the day twice.

    Raises ValueError for anything but ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a
    real calendar date.
    """
    m = _PARTIAL_DATE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = int(m[1]), m[2], m[3]
    if mo is None:
        return f"{y:04d}-01-01", f"{y:04d}-12-31", DatePrecision.year
    month = int(mo)
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r}: month {month} does not exist")
    last = calendar.monthrange(y, month)[1]
    if d is None:
        return f"{y:04d}-{month:02d}-01", f"{y:04d}-{month:02d}-{last:02d}", DatePrecision.month
    day = date(y, month, int(d))  # raises ValueError on 2024-02-30
    return day.isoformat(), day.isoformat(), DatePrecision.day


def _date_to_text(value: Any) -> Any:
    """YAML reads ``2024-08-03`` as a date and ``2024`` as an int: accept both as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_date_to_text),
    AfterValidator(lambda v: (date_bounds(v), v)[1]),
    Field(
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="ISO date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD",
        examples=["2024-08-03", "2024-08", "2024"],
    ),
]

# --------------------------------------------------------------------------- base models


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        use_enum_values=True,
        str_strip_whitespace=True,
    )


Id = Annotated[
    str,
    Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$", description="stable string id"),
]


class Citation(Model):
    """One piece of support for an element: a source, the supporting quote, the page."""

    source: Id = Field(description="id of a Source node")
    quote: str = Field(min_length=1, max_length=MAX_TEXT, description="verbatim supporting text")
    page: str | None = Field(default=None, description="page or section, where known")


Confidence = Annotated[float, Field(ge=0.0, le=1.0, description="0..1, the curator's confidence")]


class Element(Model):
    """What every node and relationship carries: confidence, confidentiality, citations."""

    confidence: Confidence = 1.0
    confidentiality: Confidentiality | None = Field(
        default=None,
        description="public | restricted | confidential; family members and witnesses default to restricted, others to public",
    )
    citations: list[Citation] = Field(default_factory=list)
    notes: str | None = None

    #: Further citation lists (e.g. a sanction's ``listedCitations``), stored as JSON
    #: like ``citations`` and counted in ``sourceIds``.
    extra_citation_fields: ClassVar[tuple[str, ...]] = ()

    def citation_lists(self) -> dict[str, list[Citation]]:
        """Every citation list by its case-file field name: ``citations`` and the extra ones."""
        out = {"citations": self.citations}
        for name in self.extra_citation_fields:
            out[to_camel(name)] = getattr(self, name)
        return out

    #: properties computed for the store, not written in case files
    def derived_properties(self) -> dict[str, Any]:
        return {}

    def default_confidentiality(self) -> Confidentiality:
        return Confidentiality.public

    @model_validator(mode="after")
    def _fill_confidentiality(self):
        if self.confidentiality is None:
            self.confidentiality = self.default_confidentiality().value
        return self

    @model_validator(mode="after")
    def _derived_properties_are_valid(self):
        # Date ranges (end before start) are checked here, at validation, so a bad file
        # is refused with its record named instead of failing half-way through a write.
        self.derived_properties()
        return self

    def to_properties(self) -> dict[str, Any]:
        """Flat, Neo4j-storable properties (camelCase; lists of primitives only).

        Citations become ``citations`` (a JSON string: Neo4j stores no lists of maps)
        and ``sourceIds`` (a list, for queries). ``None`` values and empty lists are
        dropped: an absent list reads as empty everywhere (readers use ``or []``), and
        ``neo4j-admin database import`` cannot store an empty array (neo4j/neo4j#13566),
        so both ingest paths store the same properties without a pass restoring them.
        Stores written before this keep their ``[]`` values, which read the same; the next
        write of an element drops them (``SET n = $props``).
        """
        return {k: v for k, v in self._properties().items() if v != []}

    def _properties(self) -> dict[str, Any]:
        """:meth:`to_properties` before empty lists are dropped (subclasses extend this)."""
        exclude = {"citations", "node_label", "rel_type", "from_", "to", *self.extra_citation_fields}
        data = self.model_dump(by_alias=True, exclude=exclude, exclude_none=True)
        lists = self.citation_lists()
        for key, cites in lists.items():
            if cites or key == "citations":
                data[key] = json.dumps([c.model_dump(exclude_none=True) for c in cites], ensure_ascii=False)
        data["sourceIds"] = sorted({c.source for cites in lists.values() for c in cites})
        data.update(self.derived_properties())
        return data


class NameType(StrEnum):
    """What another name of a node is: ``alias`` (any other name), ``nickname``,
    ``spelling`` (the same name written otherwise), ``former_name``."""

    alias = "alias"
    nickname = "nickname"
    spelling = "spelling"
    former_name = "former_name"


class TypedName(Model):
    """Another name with its type: ``{name: "Nico", type: nickname}``."""

    name: str = Field(min_length=1, max_length=MAX_NAME)
    type: NameType = NameType.alias


class NodeBase(Element):
    """A node: a stable string ``id`` and a ``name``; aliases feed search.

    ``aliases`` items are plain strings (type ``alias``) or ``{name, type}``; stored as
    ``aliases`` (the names) and ``aliasTypes`` (their types, same order)."""

    label: ClassVar[str]
    id: Id
    name: str = Field(min_length=1, max_length=MAX_NAME)
    aliases: list[Annotated[str, Field(min_length=1, max_length=MAX_NAME)] | TypedName] = Field(
        default_factory=list, max_length=100,
        description="other names: a string, or {name, type} with type alias | nickname | spelling | former_name",
    )

    @property
    def alias_names(self) -> list[str]:
        return [a if isinstance(a, str) else a.name for a in self.aliases]

    @property
    def alias_types(self) -> list[str]:
        return ["alias" if isinstance(a, str) else NameType(a.type).value for a in self.aliases]

    def derived_properties(self) -> dict[str, Any]:
        return {"searchText": search_text([self.name, *self.alias_names])}

    def _properties(self) -> dict[str, Any]:
        data = super()._properties()
        data["aliases"] = self.alias_names
        if self.aliases:
            data["aliasTypes"] = self.alias_types
        return data


def fold(text: str) -> str:
    """Case- and accent-folded form used by search: ``"Velásquez"`` -> ``"velasquez"``.

    Transliterated to ASCII first (rigour's ``ascii_text``), so letters without a Unicode
    decomposition fold too (``Paweł`` -> ``pawel``, ``Søren`` -> ``soren``, ``Straße`` ->
    ``strasse``, Cyrillic and other scripts to Latin); NFD (decomposed) input folds like
    NFC; punctuation becomes a space. ``""`` when nothing is left."""
    return normalize(ascii_text(text), lowercase=True) or ""


def search_words(text: str) -> list[str]:
    """The words search matches on: runs of ``[a-z0-9]`` of :func:`fold` (``"O'Ficticio
    Pérez-Jiménez"`` -> ``["o", "ficticio", "perez", "jimenez"]``). The only user text that
    ever reaches a full-text engine, one quoted prefix term each."""
    return _WORD.findall(fold(text))


_WORD = re.compile(r"[a-z0-9]+")


_QUOTED = re.compile(r'“\s*([^”]{1,60}?)\s*”|"\s*([^"]{1,60}?)\s*"|«\s*([^»]{1,60}?)\s*»|‘\s*([^’]{1,60}?)\s*’')


def nicknames(name: str) -> list[str]:
    """Quoted nicknames in a name: ``Nicolás “Nico” Ejemplo`` -> ``["Nico"]``."""
    return [next(g for g in m if g).strip() for m in _QUOTED.findall(name) if any(m)]


def without_nicknames(name: str) -> str:
    """The name with its quoted nicknames removed: ``Nicolás Ejemplo``."""
    return " ".join(_QUOTED.sub(" ", name).split())


def search_text(names: list[str]) -> str:
    """The folded names a node is found by: each name's :func:`search_words` joined by a
    space, names ``|``-separated and framed (``"|pedro carreno|carreno|"``). Indexed by
    the full-text engines (Neo4j's ``entity_search``, the embedded store's FTS5 table)."""
    return "|" + "|".join(" ".join(search_words(n)) for n in names if n) + "|"


# --------------------------------------------------------------------------- nodes


class IdentifierScheme(StrEnum):
    """Kinds of identifier a person carries: national id (cédula), passport, sanctions-list ids."""

    cedula = "cedula"
    passport = "passport"
    ofac_list_id = "ofac_list_id"
    eu_list_id = "eu_list_id"
    uk_list_id = "uk_list_id"
    ca_list_id = "ca_list_id"
    other = "other"


class Identifier(Model):
    """An identifier with its scheme, e.g. ``{scheme: cedula, value: "V-1234567"}``;
    stored as the string ``scheme:value`` in ``identifiers``. Identifiers feed matching."""

    scheme: IdentifierScheme
    value: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
                     Field(min_length=1, max_length=200)]


def country_code(value: Any) -> Any:
    """ISO 3166-1 alpha-2 code (upper case) of a code or an English/Spanish country name
    (``"ve"``, ``"Venezuela"``, ``"Venezuelan"`` -> ``"VE"``); ValueError if unknown."""
    if not isinstance(value, str) or not value.strip():
        return value
    from rigour.territories import get_territory, lookup_territory

    text = value.strip()
    found = get_territory(text) if len(text) == 2 else lookup_territory(text)
    if found is None or len(found.code) != 2 or not found.is_country:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. VE, CO) nor a country name")
    return found.code.upper()


CountryCode = Annotated[str, BeforeValidator(country_code),
                        Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code (a country name is converted)")]


class Person(NodeBase):
    label: ClassVar[str] = "Person"
    node_label: Literal["Person"] = Field(default="Person", alias="label")
    roles: list[PersonRole] = Field(min_length=1)
    nationality: CountryCode | None = None
    birth_date: PartialDate | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD (precision kept)")
    identifiers: list[Identifier] = Field(default_factory=list, max_length=100)
    gender: str | None = None
    description: str | None = None
    unnamed: bool = Field(default=False, description="an unnamed counterparty: `name` is a description (e.g. 'an unnamed businessman')")

    def default_confidentiality(self) -> Confidentiality:
        if PROTECTED_ROLES.intersection(self.roles):
            return Confidentiality.restricted
        return Confidentiality.public

    def _properties(self) -> dict[str, Any]:
        data = super()._properties()
        # a quoted nickname in the name ("Nicolás “Nico” Ejemplo") is an alias of type nickname
        extra = [n for n in nicknames(self.name) if n not in data["aliases"]]
        if extra:
            data["aliases"] = [*data["aliases"], *extra]
            data["aliasTypes"] = [*data.get("aliasTypes", []), *(["nickname"] * len(extra))]
            data["searchText"] = search_text([self.name, *data["aliases"]])
        if self.identifiers:
            data["identifiers"] = [f"{i.scheme}:{i.value}" for i in self.identifiers]
        else:
            data.pop("identifiers", None)
        if self.birth_date:
            data["birthDatePrecision"] = date_bounds(self.birth_date)[2].value
        return data


class Organization(NodeBase):
    label: ClassVar[str] = "Organization"
    node_label: Literal["Organization"] = Field(default="Organization", alias="label")
    kind: OrganizationKind
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 or name")
    acronym: str | None = None
    description: str | None = None
    unnamed: bool = Field(default=False, description="an unnamed counterparty: `name` is a description (e.g. 'a front company')")


class Position(NodeBase):
    """A post in an organization; held by a person from/to a date (command responsibility)."""

    label: ClassVar[str] = "Position"
    node_label: Literal["Position"] = Field(default="Position", alias="label")
    start_date: PartialDate | None = None
    end_date: PartialDate | None = None
    is_head: bool = Field(default=False, description="the post commands its organization")

    def derived_properties(self) -> dict[str, Any]:
        return {**super().derived_properties(), **validity(self.start_date, self.end_date)}


class Law(NodeBase):
    label: ClassVar[str] = "Law"
    node_label: Literal["Law"] = Field(default="Law", alias="label")
    country: str | None = None
    enacted: PartialDate | None = None
    description: str | None = None


class Operation(NodeBase):
    label: ClassVar[str] = "Operation"
    node_label: Literal["Operation"] = Field(default="Operation", alias="label")
    start_date: PartialDate | None = None
    end_date: PartialDate | None = None
    description: str | None = None

    def derived_properties(self) -> dict[str, Any]:
        return {**super().derived_properties(), **validity(self.start_date, self.end_date)}


class Incident(NodeBase):
    """An act: what was done, when (a date or range, with its precision)."""

    label: ClassVar[str] = "Incident"
    node_label: Literal["Incident"] = Field(default="Incident", alias="label")
    incident_type: IncidentType = Field(alias="type")
    date: PartialDate | None = None
    date_end: PartialDate | None = None
    description: str | None = None

    def derived_properties(self) -> dict[str, Any]:
        props = super().derived_properties()
        if self.date:
            first, last, precision = date_bounds(self.date)
            if self.date_end:
                last = date_bounds(self.date_end)[1]
            props.update(dateFrom=first, dateTo=last, datePrecision=precision.value)
        return props

    @model_validator(mode="after")
    def _range_ordered(self):
        if self.date_end and not self.date:
            raise ValueError("dateEnd needs date")
        if self.date and self.date_end and date_bounds(self.date_end)[1] < date_bounds(self.date)[0]:
            raise ValueError(f"dateEnd {self.date_end} is before date {self.date}")
        return self


class Country(NodeBase):
    label: ClassVar[str] = "Country"
    node_label: Literal["Country"] = Field(default="Country", alias="label")
    code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")


class Place(NodeBase):
    label: ClassVar[str] = "Place"
    node_label: Literal["Place"] = Field(default="Place", alias="label")
    place_type: str | None = Field(default=None, alias="type", description="city, border area, state, ...")


class Source(NodeBase):
    label: ClassVar[str] = "Source"
    node_label: Literal["Source"] = Field(default="Source", alias="label")
    source_type: SourceKind = Field(alias="type")
    title: str
    publisher: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    local_ref: str | None = Field(default=None, description="file name of a local copy")
    licence: str | None = None


class Statistic(NodeBase):
    """A sourced aggregate figure: never expanded into invented individuals."""

    label: ClassVar[str] = "Statistic"
    node_label: Literal["Statistic"] = Field(default="Statistic", alias="label")
    measure: str = Field(description="what is counted, e.g. 'defenders forced to migrate'")
    value: float
    unit: str = Field(default="count", description="count | percent")
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    place: str | None = Field(default=None, description="where the figure applies (free text)")
    qualifier: str | None = Field(default=None, description="'at least', 'about', ...")

    def derived_properties(self) -> dict[str, Any]:
        return {**super().derived_properties(), **validity(self.period_start, self.period_end)}


class Sanction(NodeBase):
    """A sanction over time: who imposed it (``authority``, a vocabulary, plus the body's
    own name), under which programme and legal basis, when it was listed and when it
    ended, and why. Each end-point carries its own citations (``listedCitations``,
    ``endCitations``): a delisting is a statement with its own source.

    Older case files with a free-text ``authority`` and a ``date`` still load: the text
    is mapped to the vocabulary (kept in ``authorityName``) and ``date`` is the listed date.
    """

    label: ClassVar[str] = "Sanction"
    node_label: Literal["Sanction"] = Field(default="Sanction", alias="label")
    extra_citation_fields: ClassVar[tuple[str, ...]] = ("listed_citations", "end_citations")
    authority: SanctionAuthority
    authority_name: str | None = Field(default=None, description="the authority as written, e.g. 'Government of Canada'")
    programme: str | None = Field(default=None, description="e.g. 'Special Economic Measures', 'VENEZUELA-EO13884'")
    legal_basis: str | None = Field(default=None, description="e.g. 'E.O. 13884', 'Council Decision (CFSP) 2017/2074'")
    list_id: str | None = Field(default=None, description="the authority's own entry id, where known")
    listed_date: PartialDate | None = Field(default=None, description="when it took effect")
    listed_qualifier: DateQualifier = Field(default=DateQualifier.exact, description="at_least: in force since that date or earlier")
    end_date: PartialDate | None = Field(default=None, description="when it was lifted or expired")
    status: SanctionStatus | None = Field(default=None, description="active | lifted | expired; default active, or required with endDate")
    reason: str | None = None
    listed_citations: list[Citation] = Field(default_factory=list, description="support for the listing and its date")
    end_citations: list[Citation] = Field(default_factory=list, description="support for the delisting or expiry")

    @model_validator(mode="before")
    @classmethod
    def _older_files(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "date" in data:
            if data.get("listedDate", data.get("listed_date")) is not None:
                raise ValueError("give listedDate or date (older name), not both")
            data["listedDate"] = data.pop("date")
        auth = data.get("authority")
        if isinstance(auth, str) and auth not in SanctionAuthority.__members__:
            folded = fold(auth)
            known = next((a for key, a in AUTHORITY_ALIASES if key in folded), SanctionAuthority.other)
            data["authority"] = known.value
            data.setdefault("authorityName", auth)
        return data

    @model_validator(mode="after")
    def _status_matches_end(self):
        if self.status is None:
            if self.end_date:
                raise ValueError("endDate needs status lifted or expired")
            self.status = SanctionStatus.active.value
        elif self.status == SanctionStatus.active and self.end_date:
            raise ValueError("an active sanction has no endDate (give status lifted or expired)")
        if self.end_citations and self.status == SanctionStatus.active:
            raise ValueError("endCitations support an end: give status lifted or expired")
        return self

    def derived_properties(self) -> dict[str, Any]:
        """``validFrom``/``validTo`` (widest bounds) and, for "in force on a date",
        ``listedBy`` (latest day the listed date allows) and ``endedFrom`` (earliest day
        the end date allows)."""
        props = {**super().derived_properties(), **validity(self.listed_date, self.end_date)}
        if self.listed_date:
            props["listedBy"] = date_bounds(self.listed_date)[1]
        if self.end_date:
            props["endedFrom"] = date_bounds(self.end_date)[0]
        return props


class Proceeding(NodeBase):
    """A judicial or quasi-judicial proceeding (indictment, conviction, acquittal, UN or
    IACHR finding): linked to the persons, organizations and incidents it concerns
    (``CONCERNS``). An acquittal or dismissal can also ``WEAKENS`` an allegation."""

    label: ClassVar[str] = "Proceeding"
    node_label: Literal["Proceeding"] = Field(default="Proceeding", alias="label")
    kind: ProceedingKind
    date: PartialDate | None = None
    body: str | None = Field(default=None, description="court, prosecutor or international body, as written")
    jurisdiction: str | None = Field(default=None, description="ISO 3166-1 alpha-2, or an international jurisdiction")
    case_number: str | None = None
    outcome: str | None = None
    description: str | None = None

    def derived_properties(self) -> dict[str, Any]:
        props = super().derived_properties()
        if self.date:
            first, last, precision = date_bounds(self.date)
            props.update(dateFrom=first, dateTo=last, datePrecision=precision.value)
        return props


class Exculpation(NodeBase):
    """Information that speaks against an allegation or a designation (a denial, an
    acquittal, a delisting, a post that ended before the incident, a public break with the
    government), with its own source; it ``WEAKENS`` what it contradicts."""

    label: ClassVar[str] = "Exculpation"
    node_label: Literal["Exculpation"] = Field(default="Exculpation", alias="label")
    kind: ExculpatoryKind
    date: PartialDate | None = None
    description: str | None = None


def validity(start: str | None, end: str | None) -> dict[str, str]:
    """``validFrom``/``validTo`` as full ISO days from partial start/end dates."""
    out: dict[str, str] = {}
    if start:
        out["validFrom"] = date_bounds(start)[0]
    if end:
        out["validTo"] = date_bounds(end)[1]
    if start and end and out["validTo"] < out["validFrom"]:
        raise ValueError(f"end {end} is before start {start}")
    return out


NODE_MODELS: dict[str, type[NodeBase]] = {
    m.label: m
    for m in (Person, Organization, Position, Law, Operation, Incident, Country, Place, Source, Statistic, Sanction,
              Proceeding, Exculpation)
}

AnyNode = Annotated[
    Union[Person, Organization, Position, Law, Operation, Incident, Country, Place, Source, Statistic, Sanction,
          Proceeding, Exculpation],
    Field(discriminator="node_label"),
]

# --------------------------------------------------------------------------- relationships


class RelationshipBase(Element):
    """A relationship: ``from`` and ``to`` node ids; ``id`` defaults to TYPE:from:to."""

    type_name: ClassVar[str]
    sources: ClassVar[tuple[str, ...]]
    targets: ClassVar[tuple[str, ...]]
    #: where not every source label goes with every target label: the allowed (from, to) pairs
    pairs: ClassVar[tuple[tuple[str, str], ...] | None] = None
    id: Id | None = None
    from_: Id = Field(alias="from")
    to: Id

    @model_validator(mode="after")
    def _default_id(self):
        if self.from_ == self.to:
            # no relationship of the ontology relates a thing to itself; a typo in an id
            # would otherwise draw a loop that every chain and path walks over
            raise ValueError(f"a {self.type_name} links two different nodes; from and to are both {self.to!r}")
        default = f"{self.type_name}:{self.from_}:{self.to}"
        if self.id is not None and self.id == default + ":":
            raise ValueError(f"the suffix after {default}: is empty; give one (e.g. {default}:2019) or drop the id")
        if self.id is None:
            self.id = default
        elif self.id != default and not self.id.startswith(default + ":"):
            # An id names one relationship between these two ends; an arbitrary id could be
            # reused in another file for other ends and leave two relationships with one id.
            raise ValueError(f"a {self.type_name} id is TYPE:from:to, optionally with a suffix "
                             f"(e.g. {default}:2019); got {self.id!r}")
        return self


class Tenure(Model):
    """When a post or membership was held, as precisely as the source says it.

    ``startQualifier: at_least`` is "since at least" (began then or earlier); ``current``
    is "still holds" (as of ``asOf``, the source's date); ``endUnknown`` is "start known,
    end unknown" (not the same as still holding); ``former`` is "former, dates unknown".
    Command responsibility over an open or unknown end says "may have held", never "held".
    """

    start_date: PartialDate | None = None
    start_qualifier: DateQualifier = DateQualifier.exact
    end_date: PartialDate | None = None
    end_unknown: bool = Field(default=False, description="the end is not known (not: still holds)")
    current: bool = Field(default=False, description="still held as of asOf (the source's date)")
    as_of: PartialDate | None = Field(default=None, description="with current: the date the source says it was held")
    former: bool = Field(default=False, description="held in the past, dates unknown")

    @model_validator(mode="after")
    def _tenure_consistent(self):
        if self.current and (self.end_date or self.end_unknown or self.former):
            raise ValueError("current (still holds) excludes endDate, endUnknown and former")
        if self.end_unknown and self.end_date:
            raise ValueError("endUnknown and endDate contradict each other")
        if self.as_of and not self.current:
            raise ValueError("asOf dates a current post: give current: true")
        return self

    def tenure(self) -> str:
        """``ended`` | ``current`` | ``former`` | ``end_unknown`` | ``unstated``."""
        if self.end_date:
            return "ended"
        if self.current:
            return "current"
        if self.former:
            return "former"
        return "end_unknown" if self.end_unknown else "unstated"

    def derived_properties(self) -> dict[str, Any]:
        props: dict[str, Any] = {**validity(self.start_date, self.end_date), "tenure": self.tenure()}
        if self.as_of:
            props["asOfDate"] = date_bounds(self.as_of)[1]
        return props


class FamilyOf(RelationshipBase):
    """Person -> Person: ``relation`` is what the source person is to the target
    (e.g. ``mother`` of the defender).

    Restricted by default, whoever the ends are: a relative is protected unless the
    curator marks the link ``public`` because a public source states it about a public
    official (the relatives-and-associates query then shows it to every caller)."""

    type_name: ClassVar[str] = "FAMILY_OF"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Person",)
    rel_type: Literal["FAMILY_OF"] = Field(default="FAMILY_OF", alias="type")
    relation: str = Field(min_length=1)

    def default_confidentiality(self) -> Confidentiality:
        return Confidentiality.restricted


class Targeted(RelationshipBase):
    """Incident -> Person (the victim)."""

    type_name: ClassVar[str] = "TARGETED"
    sources: ClassVar[tuple[str, ...]] = ("Incident",)
    targets: ClassVar[tuple[str, ...]] = ("Person",)
    rel_type: Literal["TARGETED"] = Field(default="TARGETED", alias="type")
    basis: TargetBasis = TargetBasis.own_work
    because_of: Id | None = Field(
        default=None, description="with guilt_by_association: id of the relative whose work was punished"
    )

    @model_validator(mode="after")
    def _because_of_needs_association(self):
        if self.because_of and self.basis != TargetBasis.guilt_by_association:
            raise ValueError("becauseOf is only meaningful with basis guilt_by_association")
        return self

    def default_confidentiality(self) -> Confidentiality:
        # Targeting a relative for a defender's work reveals the relative: protected by default.
        if self.basis == TargetBasis.guilt_by_association:
            return Confidentiality.restricted
        return Confidentiality.public


class PerpetratedBy(RelationshipBase):
    """Incident -> Person | Organization (the alleged perpetrator)."""

    type_name: ClassVar[str] = "PERPETRATED_BY"
    sources: ClassVar[tuple[str, ...]] = ("Incident",)
    targets: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    rel_type: Literal["PERPETRATED_BY"] = Field(default="PERPETRATED_BY", alias="type")
    role: PerpetratorRole = PerpetratorRole.direct


class Holds(Tenure, RelationshipBase):
    """Person -> Position, over a :class:`Tenure` (dates with their qualifiers)."""

    type_name: ClassVar[str] = "HOLDS"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Position",)
    rel_type: Literal["HOLDS"] = Field(default="HOLDS", alias="type")


class In(RelationshipBase):
    type_name: ClassVar[str] = "IN"
    sources: ClassVar[tuple[str, ...]] = ("Position",)
    targets: ClassVar[tuple[str, ...]] = ("Organization",)
    rel_type: Literal["IN"] = Field(default="IN", alias="type")


class ReportsTo(RelationshipBase):
    """Position -> Position, or Organization -> Organization: the chain of command."""

    type_name: ClassVar[str] = "REPORTS_TO"
    sources: ClassVar[tuple[str, ...]] = ("Position", "Organization")
    targets: ClassVar[tuple[str, ...]] = ("Position", "Organization")
    rel_type: Literal["REPORTS_TO"] = Field(default="REPORTS_TO", alias="type")
    start_date: PartialDate | None = None
    end_date: PartialDate | None = None

    def derived_properties(self) -> dict[str, Any]:
        return validity(self.start_date, self.end_date)


class MemberOf(Tenure, RelationshipBase):
    """Person -> Organization, over a :class:`Tenure`."""

    type_name: ClassVar[str] = "MEMBER_OF"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Organization",)
    rel_type: Literal["MEMBER_OF"] = Field(default="MEMBER_OF", alias="type")
    role: str | None = Field(default=None, description="e.g. director, member, spokesperson")


class AppliedLaw(RelationshipBase):
    type_name: ClassVar[str] = "APPLIED_LAW"
    sources: ClassVar[tuple[str, ...]] = ("Incident",)
    targets: ClassVar[tuple[str, ...]] = ("Law",)
    rel_type: Literal["APPLIED_LAW"] = Field(default="APPLIED_LAW", alias="type")


class PartOf(RelationshipBase):
    """Incident -> Operation (an act within an operation), or Organization ->
    Organization (a unit within a larger body: structure, not command, which is
    ``REPORTS_TO``). Only these two pairs."""

    type_name: ClassVar[str] = "PART_OF"
    sources: ClassVar[tuple[str, ...]] = ("Incident", "Organization")
    targets: ClassVar[tuple[str, ...]] = ("Operation", "Organization")
    pairs: ClassVar[tuple[tuple[str, str], ...] | None] = (("Incident", "Operation"), ("Organization", "Organization"))
    rel_type: Literal["PART_OF"] = Field(default="PART_OF", alias="type")
    start_date: PartialDate | None = None
    end_date: PartialDate | None = None

    def derived_properties(self) -> dict[str, Any]:
        return validity(self.start_date, self.end_date)


class OccurredIn(RelationshipBase):
    type_name: ClassVar[str] = "OCCURRED_IN"
    sources: ClassVar[tuple[str, ...]] = ("Incident",)
    targets: ClassVar[tuple[str, ...]] = ("Place", "Country")
    rel_type: Literal["OCCURRED_IN"] = Field(default="OCCURRED_IN", alias="type")


class LocatedIn(RelationshipBase):
    type_name: ClassVar[str] = "LOCATED_IN"
    sources: ClassVar[tuple[str, ...]] = ("Place",)
    targets: ClassVar[tuple[str, ...]] = ("Country",)
    rel_type: Literal["LOCATED_IN"] = Field(default="LOCATED_IN", alias="type")


class ExiledTo(RelationshipBase):
    """Person -> Country (host country), with the date and the route where known."""

    type_name: ClassVar[str] = "EXILED_TO"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Country",)
    rel_type: Literal["EXILED_TO"] = Field(default="EXILED_TO", alias="type")
    date: PartialDate | None = None
    route: str | None = Field(default=None, description="e.g. 'irregular crossing', 'air'")
    via: str | None = Field(default=None, description="id of a border Place crossed, where known")
    protection_requested: bool | None = None

    def derived_properties(self) -> dict[str, Any]:
        if not self.date:
            return {}
        first, last, precision = date_bounds(self.date)
        half = "H1" if first[5:7] <= "06" and last[5:7] <= "06" else ("H2" if first[5:7] >= "07" else None)
        props = {"dateFrom": first, "dateTo": last, "datePrecision": precision.value}
        if half and first[:4] == last[:4]:
            props["halfYear"] = f"{first[:4]}-{half}"
        return props


class Sanctioned(RelationshipBase):
    type_name: ClassVar[str] = "SANCTIONED"
    sources: ClassVar[tuple[str, ...]] = ("Sanction",)
    targets: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    rel_type: Literal["SANCTIONED"] = Field(default="SANCTIONED", alias="type")


class _Dated(Model):
    start_date: PartialDate | None = None
    start_qualifier: DateQualifier = DateQualifier.exact
    end_date: PartialDate | None = None

    def derived_properties(self) -> dict[str, Any]:
        return validity(self.start_date, self.end_date)


class AssociateOf(_Dated, RelationshipBase):
    """Person -> Person: a business partner, front man, close associate (OpenSanctions'
    "RCA"). ``relation`` is what the source person is to the target. Restricted by
    default like ``FAMILY_OF``; ``public`` when a public source states it."""

    type_name: ClassVar[str] = "ASSOCIATE_OF"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Person",)
    rel_type: Literal["ASSOCIATE_OF"] = Field(default="ASSOCIATE_OF", alias="type")
    relation: str | None = Field(default=None, description="e.g. 'business partner', 'front man'")

    def default_confidentiality(self) -> Confidentiality:
        return Confidentiality.restricted


class ActingFor(_Dated, RelationshipBase):
    """Person | Organization -> Person | Organization: acted for or on behalf of
    (the wording of sanctions designations)."""

    type_name: ClassVar[str] = "ACTING_FOR"
    sources: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    targets: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    rel_type: Literal["ACTING_FOR"] = Field(default="ACTING_FOR", alias="type")


class AppointedBy(RelationshipBase):
    """Person -> Person: appointed by that official, to ``position`` where known."""

    type_name: ClassVar[str] = "APPOINTED_BY"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Person",)
    rel_type: Literal["APPOINTED_BY"] = Field(default="APPOINTED_BY", alias="type")
    position: Id | None = Field(default=None, description="id of the Position appointed to")
    date: PartialDate | None = None


class RemovedBy(RelationshipBase):
    """Person -> Person: removed from a post by that official."""

    type_name: ClassVar[str] = "REMOVED_BY"
    sources: ClassVar[tuple[str, ...]] = ("Person",)
    targets: ClassVar[tuple[str, ...]] = ("Person",)
    rel_type: Literal["REMOVED_BY"] = Field(default="REMOVED_BY", alias="type")
    position: Id | None = Field(default=None, description="id of the Position removed from")
    date: PartialDate | None = None


class Owns(_Dated, RelationshipBase):
    """Person | Organization -> Organization (usually a company): ownership, with the
    share where known."""

    type_name: ClassVar[str] = "OWNS"
    sources: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    targets: ClassVar[tuple[str, ...]] = ("Organization",)
    rel_type: Literal["OWNS"] = Field(default="OWNS", alias="type")
    percentage: float | None = Field(default=None, ge=0, le=100, description="share owned, in percent")


class Controls(_Dated, RelationshipBase):
    """Person | Organization -> Organization: control without (known) ownership
    (director, beneficial owner, front)."""

    type_name: ClassVar[str] = "CONTROLS"
    sources: ClassVar[tuple[str, ...]] = ("Person", "Organization")
    targets: ClassVar[tuple[str, ...]] = ("Organization",)
    rel_type: Literal["CONTROLS"] = Field(default="CONTROLS", alias="type")
    role: str | None = Field(default=None, description="e.g. director, beneficial owner")


class Concerns(RelationshipBase):
    """Proceeding -> Person | Organization | Incident: whom and what a proceeding is about
    (``role``: accused, defendant, victim, respondent state ...)."""

    type_name: ClassVar[str] = "CONCERNS"
    sources: ClassVar[tuple[str, ...]] = ("Proceeding",)
    targets: ClassVar[tuple[str, ...]] = ("Person", "Organization", "Incident")
    rel_type: Literal["CONCERNS"] = Field(default="CONCERNS", alias="type")
    role: str | None = Field(default=None, description="accused, defendant, victim, ...")


class Weakens(RelationshipBase):
    """Exculpation | Proceeding -> Incident | Person | Sanction: speaks against an
    allegation (the incident, and with ``perpetrator`` one person's link to it) or a
    designation."""

    type_name: ClassVar[str] = "WEAKENS"
    sources: ClassVar[tuple[str, ...]] = ("Exculpation", "Proceeding")
    targets: ClassVar[tuple[str, ...]] = ("Incident", "Person", "Organization", "Sanction")
    rel_type: Literal["WEAKENS"] = Field(default="WEAKENS", alias="type")
    perpetrator: Id | None = Field(default=None, description="with an Incident: the person or organization whose link it weakens")


class DocumentedIn(RelationshipBase):
    """Incident | Statistic -> Source. Also derived by the ingest from citations."""

    type_name: ClassVar[str] = "DOCUMENTED_IN"
    sources: ClassVar[tuple[str, ...]] = ("Incident", "Statistic", "Operation", "Law")
    targets: ClassVar[tuple[str, ...]] = ("Source",)
    rel_type: Literal["DOCUMENTED_IN"] = Field(default="DOCUMENTED_IN", alias="type")


REL_MODELS: dict[str, type[RelationshipBase]] = {
    m.type_name: m
    for m in (
        FamilyOf, Targeted, PerpetratedBy, Holds, In, ReportsTo, MemberOf, AppliedLaw,
        PartOf, OccurredIn, LocatedIn, ExiledTo, Sanctioned, DocumentedIn,
        AssociateOf, ActingFor, AppointedBy, RemovedBy, Owns, Controls, Concerns, Weakens,
    )
}

AnyRelationship = Annotated[
    Union[
        FamilyOf, Targeted, PerpetratedBy, Holds, In, ReportsTo, MemberOf, AppliedLaw,
        PartOf, OccurredIn, LocatedIn, ExiledTo, Sanctioned, DocumentedIn,
        AssociateOf, ActingFor, AppointedBy, RemovedBy, Owns, Controls, Concerns, Weakens,
    ],
    Field(discriminator="rel_type"),
]

#: Node labels whose elements must carry at least one citation (a claim, not a reference entity).
CLAIM_LABELS = frozenset({"Incident", "Statistic", "Sanction", "Proceeding", "Exculpation"})

#: Relationship types that must carry a citation: an uncited PERPETRATED_BY accuses
#: someone on no evidence.
CLAIM_REASONS = {
    "PERPETRATED_BY": "it names a perpetrator",
    "ASSOCIATE_OF": "it ties a person to another",
    "ACTING_FOR": "it says whom a person acts for",
    "CONCERNS": "it names a party to a proceeding",
    "WEAKENS": "it says what speaks against an allegation",
}
CLAIM_TYPES = frozenset(CLAIM_REASONS)

# --------------------------------------------------------------------------- case file


#: The dataset name reserved for properties of elements written before statements existed
#: (:data:`repgraph.statements.LEGACY`): no case file may take it.
LEGACY_DATASET = "legacy"


class DatasetInfo(Model):
    """The dataset a case file is: its ``name`` owns every statement the file makes.

    A second file with another name adds its statements about the same ids (names and
    aliases, citations, roles, identifiers accumulate; on other properties the
    earliest-ingested dataset's value is shown and a disagreement is kept as a conflict).
    Re-ingesting a file with the same name replaces that dataset's statements: what it no
    longer says disappears. ``repgraph retract NAME`` removes them."""

    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_\-]*$",
                      description="owns the file's statements: re-ingesting a file with this name replaces them")
    title: str
    description: str | None = None
    synthetic: bool = Field(default=False, description="true for test/benchmark data with fake names")

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, name: str) -> str:
        # the statements of elements written before datasets existed are read as this
        # dataset's, and rank before every other: a file of that name would win every
        # conflict however late it was ingested (repgraph.statements)
        if name == LEGACY_DATASET:
            raise ValueError(f"{LEGACY_DATASET!r} is reserved for statements older than datasets; choose another name")
        return name


class CaseFile(Model):
    """A case file: nodes and relationships, every fact with its citation.

    YAML or JSON. Nodes are told apart by ``label``, relationships by ``type``.
    Relationships may refer to nodes of this file or already in the store.
    """

    dataset: DatasetInfo
    nodes: list[AnyNode] = Field(default_factory=list)
    relationships: list[AnyRelationship] = Field(default_factory=list)

    @model_validator(mode="after")
    def _claims_are_cited(self):
        for i, node in enumerate(self.nodes):
            if node.label in CLAIM_LABELS and not node.citations:
                raise ValueError(f"nodes[{i}] ({node.label} {node.id}): every {node.label} needs at least one citation")
        for i, rel in enumerate(self.relationships):
            if rel.type_name in CLAIM_TYPES and not rel.citations:
                raise ValueError(f"relationships[{i}] ({rel.id}): every {rel.type_name} needs at least one citation "
                                 f"({CLAIM_REASONS[rel.type_name]})")
        return self


def case_file_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the case-file format, generated from :class:`CaseFile`."""
    schema = CaseFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "repgraph case file"
    return schema


#: Bookkeeping labels (not entities, not in case files): a ``Dataset`` node per ingested
#: case file (id ``dataset:<name>``: which ids it states, its path, when ingested) and a
#: ``Judgement`` node per reviewed pair of ids (entity resolution), and one ``WriteLock`` node
#: that concurrent writers lock in turn (Neo4j). See repgraph.statements.
BOOKKEEPING_LABELS = ("Dataset", "Judgement", "WriteLock")

# What the full-text index covers: ``searchText``, every name and alias of a node folded
# (:func:`search_text`). Indexing ``name`` and ``aliases`` as well doubled the index's
# share of a node write (measured: 50 µs of ~160 µs server CPU per node) for words it
# already holds.
FULLTEXT_PROPERTIES = ("searchText",)
