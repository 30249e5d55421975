"""The dossier's shape: a pydantic model, published as JSON Schema
(``repgraph dossier-schema``, ``docs/dossier.schema.json``).

Every fact carries its citations inline (source, title, verbatim quote, page); the
Markdown and HTML renderings turn them into numbered footnotes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..accountability.models import EvidenceStrength, ExculpatoryItem, RelativeOrAssociate, SanctionOut
from ..models import CitationOut, EntityRef, IncidentRef

#: Bumped when the dossier's JSON shape changes incompatibly.
DOSSIER_SCHEMA_VERSION = "1"


class NameEntry(BaseModel):
    """A name of the person, with its type (``primary``, ``alias``, or a type the source
    gives, e.g. ``spelling``, ``nickname``)."""

    type: str
    value: str


class Identity(BaseModel):
    """Who the person is, as far as the sources say. ``other`` holds further stored
    properties (e.g. identifiers, gender) as they are."""

    names: list[NameEntry]
    roles: list[str] = Field(default_factory=list)
    birth_date: str | None = None
    birth_date_precision: str | None = Field(default=None, description="day | month | year")
    nationality: list[str] = Field(default_factory=list)
    identifiers: list[dict[str, Any]] = Field(default_factory=list)
    description: str | None = None
    unnamed: bool = False
    other: dict[str, Any] = Field(default_factory=dict)
    citations: list[CitationOut] = Field(default_factory=list)


class PostEntry(BaseModel):
    """A post held: organization, dates with their precision and qualifiers.

    ``tenure``: ended | current | former | end_unknown | unstated."""

    position: EntityRef
    organization: EntityRef | None = None
    is_head: bool = False
    start_date: str | None = None
    start_qualifier: str | None = None
    end_date: str | None = None
    tenure: str | None = None
    as_of: str | None = None
    dates: str = Field(description="the dates as a reader says them, e.g. 'since at least 2021, end unknown'")
    confidence: float | None = None
    confidentiality: str | None = Field(default=None, description="the level of the HOLDS link: a caller below it "
                                                                  "does not see the post")
    citations: list[CitationOut] = Field(default_factory=list)


class ChainEntry(BaseModel):
    """A superior or subordinate during a post: the unit (position or organization) above
    or below, the link's dates, who held it and when their term overlaps the post."""

    post: str = Field(description="id of the person's position")
    direction: Literal["superior", "subordinate"]
    unit: EntityRef
    link_from: str | None = None
    link_to: str | None = None
    holder: EntityRef | None = None
    holder_from: str | None = None
    holder_to: str | None = None
    overlap_from: str | None = None
    overlap_to: str | None = None
    confidentiality: str | None = Field(default=None, description="the strictest level of the REPORTS_TO link and of "
                                                                  "the holder's HOLDS: a caller below it does not see "
                                                                  "the entry")
    citations: list[CitationOut] = Field(default_factory=list)


class ProceedingOut(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    date: str | None = None
    body: str | None = None
    jurisdiction: str | None = None
    outcome: str | None = None
    role: str | None = Field(default=None, description="the person's (or incident's) part in it, e.g. accused")
    concerns: str = Field(description="id of the person or incident it concerns")
    confidentiality: str | None = Field(default=None, description="the strictest of the proceeding's and its CONCERNS link's")
    citations: list[CitationOut] = Field(default_factory=list)


class LinkedRef(EntityRef):
    """An element an incident reaches through a link that has its own confidentiality (the
    victim's TARGETED, the APPLIED_LAW, OCCURRED_IN, PART_OF): a caller below the link's
    level does not see the element here, as in every other answer."""

    link_confidentiality: str | None = Field(default=None, description="public | restricted | confidential (of the link)")


class AllegationDetail(BaseModel):
    """An incident with what a dossier shows of it."""

    incident: IncidentRef
    description: str | None = None
    places: list[LinkedRef] = Field(default_factory=list)
    victims: list[LinkedRef] = Field(default_factory=list)
    laws: list[LinkedRef] = Field(default_factory=list)
    operations: list[LinkedRef] = Field(default_factory=list)
    proceedings: list[ProceedingOut] = Field(default_factory=list)


class DirectAllegation(AllegationDetail):
    """Perpetrated, ordered or took part: the person is named as perpetrator."""

    roles: list[str]
    evidence: EvidenceStrength


class CommandAllegation(AllegationDetail):
    """Commanded the perpetrating unit at the incident's date (or may have)."""

    position: EntityRef
    organization: EntityRef
    certainty: Literal["held", "may_have_held"]
    statement: str
    evidence: EvidenceStrength
    confidentiality: str | None = Field(default=None, description="the level of the post (HOLDS) it rests on: a "
                                                                  "caller below it does not see the allegation")


class SanctionGapOut(BaseModel):
    """Which authorities have the person under a sanction in force on ``date``, which
    have one whose dates cannot tell (``unknown_by``: no listed date, a lift with no date,
    a date of the same month or year), and which of the vocabulary's authorities do not
    (the advocacy gap)."""

    date: str
    in_force_by: list[str]
    unknown_by: list[str] = Field(default_factory=list)
    not_by: list[str]


class AffiliationOut(BaseModel):
    """ACTING_FOR, APPOINTED_BY, REMOVED_BY, OWNS, CONTROLS, MEMBER_OF of the person."""

    type: str
    direction: Literal["out", "in"]
    other: EntityRef
    confidentiality: str | None = Field(default=None, description="the relationship's level: a caller below it "
                                                                  "does not see the affiliation")
    properties: dict[str, Any] = Field(default_factory=dict)
    citations: list[CitationOut] = Field(default_factory=list)


class FigureNode(BaseModel):
    id: str
    label: str | None = None
    name: str | None = None
    role: Literal["subject", "post", "superior", "subordinate", "holder"]
    confidentiality: str | None = None
    link_confidentiality: str | None = Field(default=None, description="the level of the least confidential post or "
                                                                       "chain link that puts it in the figure")
    layer: int = Field(description="0 top (superiors) .. 2 bottom (subordinates)")


class FigureEdge(BaseModel):
    source: str
    target: str
    type: str
    valid_from: str | None = None
    valid_to: str | None = None
    confidentiality: str | None = Field(default=None, description="the level of the post or chain link drawn")


class ChainFigure(BaseModel):
    """The chain-of-command figure's structure (the md/html renderings draw it as SVG)."""

    nodes: list[FigureNode]
    edges: list[FigureEdge]


class Dossier(BaseModel):
    """A targeted-sanctions dossier on one person, every fact with its citations."""

    schema_version: str = DOSSIER_SCHEMA_VERSION
    generated_at: str
    person: EntityRef
    identity: Identity
    posts: list[PostEntry]
    chain_of_command: list[ChainEntry]
    allegations_direct: list[DirectAllegation]
    allegations_by_command: list[CommandAllegation]
    exculpatory: list[ExculpatoryItem]
    proceedings: list[ProceedingOut]
    sanctions: list[SanctionOut]
    sanctions_gap: SanctionGapOut
    relatives_and_associates: list[RelativeOrAssociate]
    affiliations: list[AffiliationOut]
    figure: ChainFigure
    notes: list[str] = Field(default_factory=list, description="what the dossier could not say, e.g. undated incidents")

    def after_disclosure(self) -> "Dossier":
        """The dossier with its gap worked out again from the sanctions the reader may see
        (called by :func:`repgraph.disclosure.disclose` below full clearance): a listing
        hidden from the reader names no authority in the gap line either."""
        from .build import sanctions_gap_of

        gap = sanctions_gap_of(self.sanctions, self.sanctions_gap.date)
        return self if gap == self.sanctions_gap else self.model_copy(update={"sanctions_gap": gap})


def dossier_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`Dossier`'s JSON form."""
    schema = Dossier.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "repgraph dossier"
    return schema
