"""API envelopes around the result models of :mod:`repgraph.models`: pages, health, errors.

Only shapes the HTTP API adds live here; the answers themselves are the shared result
models, so the CLI, views and exports describe the same things the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from ..models import EntityDetail, ExileFlows, GuiltByAssociation

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list answer; ``total`` counts every item the caller may see, not just
    this page."""

    total: int
    limit: int
    offset: int
    items: list[T]

    @classmethod
    def of(cls, items: list[T], limit: int, offset: int, *, visible: Callable[[list[T]], list[T]]) -> "Page[T]":
        """The page of ``visible(items)``: the items the caller may see
        (:func:`repgraph.paging.visible_items`), counted and paged after the hidden ones
        are taken out. ``visible`` is required: a page of store data never counts what
        its caller may not see."""
        shown = visible(items)
        return cls(total=len(shown), limit=limit, offset=offset, items=shown[offset:offset + limit])


class GuiltByAssociationPage(Page[GuiltByAssociation]):
    """Guilt-by-association entries; an empty answer says why in ``note``."""

    note: str | None = Field(default=None, description="Why no entry was found (null when there are entries)")


class EntityOut(EntityDetail):
    """One entity; ``relationships`` is one page (ordered by type, direction, other id)."""

    relationships_total: int
    limit: int
    offset: int


class ExileFlowsOut(ExileFlows):
    """Exile flows; every group with one page of its persons (``persons_limit``,
    ``persons_offset``; a group's ``count`` counts them all), ``statistics`` in full,
    ``records`` one page of them (``records_total``, ``limit``, ``offset``)."""

    records_total: int
    limit: int
    offset: int
    persons_limit: int
    persons_offset: int


class Health(BaseModel):
    """Public status: the store answers. No counts (they are at ``/stats/counts``)."""

    status: Literal["ok"] = "ok"
    backend: Literal["embedded", "neo4j"]


class StoreCounts(BaseModel):
    """How much is in the store: numbers only, protected elements included (never a name)."""

    backend: Literal["embedded", "neo4j"]
    nodes: dict[str, int] = Field(description="Node count per label")
    relationships: dict[str, int] = Field(description="Relationship count per type")
    node_total: int
    relationship_total: int


class ErrorOut(BaseModel):
    """Why the request failed, for people (404: the unknown id; 503: the store's reason)."""

    detail: str
