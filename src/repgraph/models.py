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


class IncidentRef(BaseModel):
    id: str
    name: str | None = None
    type: str | None = None
    date: str | None = None
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


class RelationshipOut(BaseModel):
    id: str | None = None
    type: str
    direction: Literal["out", "in"]
    other: EntityRef
    properties: dict[str, Any] = Field(default_factory=dict)
    citations: list[CitationOut] = Field(default_factory=list)


class EntityDetail(BaseModel):
    id: str
    label: str
    name: str | None = None
    properties: dict[str, Any]
    citations: list[CitationOut] = Field(default_factory=list)
    relationships: list[RelationshipOut] = Field(default_factory=list)


class GuiltByAssociation(BaseModel):
    """A relative targeted through a defender's work (sippenhaft)."""

    relative: EntityRef
    defender: EntityRef
    relation: str | None = None
    incidents: list[IncidentRef]
    citations: list[CitationOut] = Field(default_factory=list)


class OfficialCase(BaseModel):
    perpetrator: EntityRef
    role: str = Field(description="direct | ordered | participated | command")
    confidence: float | None = Field(default=None, description="0..1: the curator's confidence in this link (below 1: alleged, reported)")
    incident: IncidentRef
    victims: list[EntityRef]
    via_organization: str | None = Field(default=None, description="with role command: the organization headed")
    via_position: str | None = None
    certainty: Literal["held", "may_have_held"] | None = Field(
        default=None, description="with role command: held (the known dates cover the incident) or may_have_held (a start or end is unknown)")
    citations: list[CitationOut] = Field(default_factory=list)


class ChainLink(BaseModel):
    """One element of a responsibility chain.

    ``level`` 0 are the incident's perpetrators; level n+1 is what level n reports to.
    ``kind``: perpetrator | position | organization | holder (a person holding the
    position, or heading the organization, at the incident's date).
    """

    level: int
    kind: Literal["perpetrator", "position", "organization", "holder"]
    entity: EntityRef
    role: str | None = None
    below: str | None = Field(default=None, description="id of the element this one commands or holds")
    valid_from: str | None = None
    valid_to: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class ResponsibilityChain(BaseModel):
    incident: IncidentRef
    date_from: str | None
    date_to: str | None
    victims: list[EntityRef]
    links: list[ChainLink]
    note: str | None = None


class ExileRecord(BaseModel):
    person: EntityRef
    country: EntityRef
    date: str | None = None
    half_year: str | None = None
    route: str | None = None
    via: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


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


class GraphNode(BaseModel):
    id: str
    label: str | None = None
    name: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    id: str | None = None
    source: str
    target: str
    type: str
    properties: dict[str, Any] = Field(default_factory=dict)


class Subgraph(BaseModel):
    """Nodes and edges for any front end; ``truncated`` when the cap cut it."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False
    omitted_nodes: int = 0


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
