"""Result models of the accountability questions (and parts of the dossier)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..models import CitationOut, EntityRef, IncidentRef


class SourceRef(BaseModel):
    """A source cited, with its publisher (independence is counted by publisher)."""

    id: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


class SanctionOut(BaseModel):
    """One sanction over time. ``listed_qualifier`` ``at_least``: in force since that date
    or earlier. ``status``: active | lifted | expired. ``listed_citations`` and
    ``end_citations`` support the two end-points (empty: the general ``citations`` do)."""

    id: str
    name: str | None = None
    target: EntityRef | None = None
    authority: str
    authority_name: str | None = None
    programme: str | None = None
    legal_basis: str | None = None
    list_id: str | None = None
    listed_date: str | None = None
    listed_qualifier: str | None = None
    end_date: str | None = None
    status: str | None = None
    reason: str | None = None
    confidentiality: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)
    listed_citations: list[CitationOut] = Field(default_factory=list)
    end_citations: list[CitationOut] = Field(default_factory=list)


class SanctionedEntity(BaseModel):
    """A person or organization with the sanctions in force on the date asked."""

    entity: EntityRef
    sanctions: list[SanctionOut]
    confidentiality: str | None = Field(default=None, description="the least strict of its sanctions' levels (each the "
                                        "strictest of the sanction's and its SANCTIONED link's): hidden with all of them")


class SanctionedAsOf(BaseModel):
    date: str
    authority: str | None = None
    items: list[SanctionedEntity]


class SanctionsGap(BaseModel):
    """Sanctioned by ``by`` on ``date`` and not by ``not_by`` (the advocacy gap list,
    ``items``); ``unknown``: sanctioned by ``by``, with a ``not_by`` sanction whose dates
    cannot tell whether it was in force on ``date`` (each entry lists both)."""

    date: str
    by: str
    not_by: str
    items: list[SanctionedEntity]
    unknown: list[SanctionedEntity] = Field(default_factory=list)


class RelativeOrAssociate(BaseModel):
    """A relative or associate of a sanctioned or accused person (OpenSanctions' RCA).
    Not an accusation: being related to someone says nothing of what one did."""

    person: EntityRef = Field(description="the sanctioned or accused person")
    why: list[str] = Field(description="sanctioned | accused | proceeding: why the person is on the list")
    type: Literal["FAMILY_OF", "ASSOCIATE_OF"]
    relation: str | None = Field(default=None, description="what `other` is to `person`, where the source says")
    relation_of: Literal["other_to_person", "person_to_other"] = "other_to_person"
    other: EntityRef
    other_roles: list[str] = Field(default_factory=list)
    confidence: float | None = None
    confidentiality: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class ExculpatoryItem(BaseModel):
    """Something that speaks against an allegation or a designation: recorded
    (an Exculpation or Proceeding node that WEAKENS it) or ``derived`` by repgraph (a post
    that ended before, or began after, the incident)."""

    kind: str
    id: str | None = None
    label: str | None = None
    name: str | None = None
    date: str | None = None
    description: str | None = None
    weakens: EntityRef
    perpetrator: str | None = Field(default=None, description="with an incident: whose link it weakens (null: the whole allegation)")
    derived: bool = False
    confidentiality: str | None = None
    citations: list[CitationOut] = Field(default_factory=list)


class EvidenceStrength(BaseModel):
    """How well one allegation (an incident tied to one perpetrator) is supported.

    ``independent_sources``: distinct publishers (a source without a publisher counts as
    its own); ``lowest``/``highest_confidence`` over the links that make the allegation;
    ``flags``: single_source, low_confidence (highest below 0.5), contested (exculpatory
    information recorded), derived (command responsibility: capped at the allegation)."""

    incident: IncidentRef
    perpetrator: EntityRef
    roles: list[str]
    links: int
    sources: list[SourceRef]
    independent_sources: int
    lowest_confidence: float | None
    highest_confidence: float | None
    single_source: bool
    flags: list[str]
    citations: list[CitationOut] = Field(default_factory=list)
    exculpatory: list[ExculpatoryItem] = Field(default_factory=list)
    confidentiality: str | None = Field(default=None, description="the strictest level of the links that make the allegation")


class CommandLink(BaseModel):
    """An incident of the commanded unit during (or possibly during) the post.

    ``certainty``: ``held`` when the tenure's known dates cover the incident's whole date,
    ``may_have_held`` when a start or end is unknown or qualified. ``evidence`` is the
    allegation against the unit with its confidences capped at the tenure's confidence: a
    derived link never reads stronger than the allegation it rests on."""

    incident: IncidentRef
    certainty: Literal["held", "may_have_held"]
    statement: str
    evidence: EvidenceStrength


class CommandPost(BaseModel):
    position: EntityRef
    organization: EntityRef
    valid_from: str | None = None
    valid_to: str | None = None
    tenure: str | None = None
    as_of: str | None = None
    confidence: float | None = None
    confidentiality: str | None = Field(default=None, description="the level of the HOLDS link (the post itself): "
                                                                  "a caller below it does not see the post")
    citations: list[CitationOut] = Field(default_factory=list)
    links: list[CommandLink] = Field(default_factory=list)
    excluded: list[ExculpatoryItem] = Field(default_factory=list, description="incidents of the unit outside the tenure")
    undated: list[IncidentRef] = Field(default_factory=list, description="incidents of the unit without a date: not judged")


class CommandResponsibility(BaseModel):
    person: EntityRef
    posts: list[CommandPost]
