"""Result models: the shapes of every answer that leaves repgraph.

The API's response models, the CLI's JSON output, the views and the exports all use
these, and all pass through :func:`repgraph.disclosure.disclose` on the way out.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class CitationOut(BaseModel):
    """Why we believe a fact: the source, its title, the verbatim quote, the page."""

    source: str
    source_title: str | None = None
    quote: str
    page: str | None = None


class EntityRef(BaseModel):
    id: str
    label: str | None = None
    name: str | None = None
    confidentiality: str | None = None


class VictimRef(EntityRef):
    """A victim of an incident: the person, and the confidentiality of the targeting itself
    (a relative targeted because of a defender is protected even when the incident is not)."""

    link_confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the TARGETED link)")
    citations: list[CitationOut] = Field(default_factory=list, description="The targeting's citations.")


class IncidentRef(BaseModel):
    id: str
    name: str | None = None
    type: str | None = None
    date: str | None = None
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")
    citations: list[CitationOut] = Field(default_factory=list)


class SearchHit(EntityRef):
    aliases: list[str] = Field(default_factory=list)
    rank: int = Field(description="0 exact name or alias, 1 a word of a name starts with the query, 2 other match")
    citations: list[CitationOut] = Field(default_factory=list, description="Why the entity is in the graph: source, quote, page.")


class SearchPage(BaseModel):
    query: str
    total: int
    limit: int
    offset: int
    items: list[SearchHit]


class StatedValues(BaseModel):
    """What one dataset (one case file) states about an element: its values, in case-file
    form, and the citations it gives for them."""

    dataset: str
    title: str | None = Field(default=None, description="the dataset's title")
    values: dict[str, Any] = Field(default_factory=dict)
    citations: list[CitationOut] = Field(default_factory=list)


class DatasetValue(BaseModel):
    dataset: str
    value: Any


class ValueConflict(BaseModel):
    """Datasets disagree on a single-valued property: every value with its dataset; the
    one shown is the earliest-ingested dataset's."""

    property: str
    shown: Any
    values: list[DatasetValue]


class AliasOut(BaseModel):
    name: str
    type: str = Field(description="alias | nickname | spelling | former_name")
    datasets: list[str] = Field(default_factory=list, description="the datasets stating this name")


class RelationshipOut(BaseModel):
    id: str | None = None
    type: str
    direction: Literal["out", "in"]
    other: EntityRef
    properties: dict[str, Any] = Field(default_factory=dict)
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the link)")
    datasets: list[str] = Field(default_factory=list, description="the datasets stating this relationship")
    conflicts: list[ValueConflict] = Field(default_factory=list)


class EntityDetail(BaseModel):
    """One entity as the graph shows it (``properties``: the projection of every dataset's
    statements), and where each value comes from: ``provenance`` maps each property to the
    datasets stating the value shown, ``statements`` lists what each dataset states with
    its citations, ``conflicts`` the single-valued properties datasets disagree on."""

    id: str
    label: str
    name: str | None = None
    properties: dict[str, Any]
    citations: list[CitationOut] = Field(default_factory=list)
    relationships: list[RelationshipOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")
    aliases: list[AliasOut] = Field(default_factory=list)
    datasets: list[str] = Field(default_factory=list, description="datasets stating this entity, earliest ingested first")
    provenance: dict[str, list[str]] = Field(default_factory=dict, description="property -> datasets stating the value shown")
    statements: list[StatedValues] = Field(default_factory=list)
    conflicts: list[ValueConflict] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list, description="the other ids merged into this entity "
                                 "(repgraph merge); looking any of them up answers this entity")


class GuiltByAssociation(BaseModel):
    """A relative targeted through a defender's work (sippenhaft)."""

    relative: EntityRef
    defender: EntityRef
    relation: str | None = None
    incidents: list[IncidentRef]
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="the highest level of the family link and the targeting")


class OfficialCase(BaseModel):
    perpetrator: EntityRef
    role: str = Field(description="direct | ordered | participated | command")
    confidence: float | None = Field(default=None, description="0..1: the curator's confidence in this link (below 1: alleged, reported)")
    incident: IncidentRef
    victims: list[VictimRef]
    via_organization: str | None = Field(default=None, description="with role command: the organization headed")
    via_position: str | None = None
    certainty: Literal["held", "may_have_held"] | None = Field(
        default=None, description="with role command: held (the known dates cover the incident) or may_have_held (a start or end is unknown)")
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the link)")


class ChainLink(BaseModel):
    """One element of a responsibility chain.

    ``level`` 0 are the incident's perpetrators; level n+1 is what level n reports to.
    ``kind``: perpetrator | position | organization | holder (a person holding the
    position, or heading the organization, at the incident's date). ``role``: a
    perpetrator's role; ``held`` (a perpetrator's post, a superior post's holder),
    ``command`` (an organization's head), ``reports_to`` (a superior), ``head_post`` (the post
    an organization's head holds, shown when the chain climbs above it).
    """

    level: int
    kind: Literal["perpetrator", "position", "organization", "holder"]
    entity: EntityRef
    role: str | None = None
    below: str | None = Field(default=None, description="id of the element this one commands or holds")
    valid_from: str | None = None
    valid_to: str | None = None
    certainty: Literal["held", "may_have_held"] | None = Field(
        default=None, description="position and holder links: held over the incident's whole date range as the "
                                  "sources date the post, or may have held (start or end not known)")
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the link)")
    relationship_id: str | None = Field(default=None, description="Id of the stored relationship this link stands for "
                                                                 "(a holder's: its HOLDS of the post; a command link's: "
                                                                 "the HOLDS of the organization's head post)")


class ResponsibilityChain(BaseModel):
    incident: IncidentRef
    date_from: str | None
    date_to: str | None
    victims: list[VictimRef]
    links: list[ChainLink]
    note: str | None = None


class ExileRecord(BaseModel):
    id: str | None = Field(default=None, description="The EXILED_TO relationship's id (two records of one person to one country differ by it)")
    person: EntityRef
    country: EntityRef
    date: str | None = None
    half_year: str | None = None
    route: str | None = None
    via: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the link)")


class ExileGroup(BaseModel):
    key: str
    count: int
    persons: list[EntityRef]


class StatisticOut(BaseModel):
    id: str
    name: str | None = None
    measure: str | None = None
    value: float
    unit: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    place: str | None = None
    qualifier: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")


class ExileFlows(BaseModel):
    """Exile flows from individual records, and the sourced statistics beside them."""

    by: Literal["country", "period", "route"]
    groups: list[ExileGroup]
    records: list[ExileRecord]
    statistics: list[StatisticOut]


class WithIncidents(BaseModel):
    """A law or an operation with the incidents linked to it."""

    id: str
    name: str | None = None
    incidents: list[IncidentRef]
    citations: list[CitationOut] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")


class GraphNode(BaseModel):
    id: str
    label: str | None = None
    name: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")
    citations: list[CitationOut] = Field(default_factory=list)


class GraphEdge(BaseModel):
    id: str | None = None
    source: str
    target: str
    type: str
    properties: dict[str, Any] = Field(default_factory=dict)
    confidentiality: str | None = Field(default=None, description="public | restricted | confidential")
    citations: list[CitationOut] = Field(default_factory=list)


class Subgraph(BaseModel):
    """Nodes and edges for any front end; ``truncated`` when the cap cut it."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False
    omitted_nodes: int = 0


class ListedEntity(EntityRef):
    """One node of a list by label (``repgraph list``)."""

    type: str | None = None
    date: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class EntityList(BaseModel):
    """One page of the nodes of one label, in id order; ``total`` counts them all."""

    label: str
    total: int
    limit: int
    offset: int
    items: list[ListedEntity]


class StoreStats(BaseModel):
    backend: str
    location: str
    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


class DedupeCandidate(BaseModel):
    """Two ids that may be one person or organization: for a person to review."""

    a: EntityRef
    b: EntityRef
    score: float = Field(description="0..1, see repgraph.matching")
    reasons: list[str]
    conflict: str | None = Field(default=None, description="set when a candidate matches two ids judged different: review, never join")


class JudgementOut(BaseModel):
    """A person's recorded decision on a pair of ids: the same entity, or different."""

    a: str
    b: str
    verdict: Literal["same", "different"]
    reason: str | None = None
    by: str
    at: str
    history: list[dict[str, Any]] = Field(default_factory=list, description="earlier judgements on the pair, oldest first")
