"""``/entities``: search, and one entity with its relationships and their citations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from ... import service as S
from ...models import SearchPage
from ...ontology import search_words
from ..deps import EntityId, Limit, NodeLabel, Offset, StoreDep, ViewerDep
from ..routing import NOT_FOUND
from ..routing import router as make_router
from ..schemas import EntityOut

router = make_router("/entities", "entities")


@router.get("", response_model=SearchPage, summary="Search entities by name or alias")
def search_entities(
    store: StoreDep,
    viewer: ViewerDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words that must all occur in a name or alias (text without a letter or digit matches nothing); case and accents ignored (`velasquez` finds Velásquez).")],
    type: Annotated[NodeLabel | None, Query(description="Only this node label.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchPage:
    """Ranked: exact name or alias (rank 0), then names starting with the query (1), then
    other matches (2); ties by name and id. Each hit carries its citations; matches and
    ``total`` are those of what the caller may see (protected names never match). Text without
    a letter or digit matches nothing (an empty page, not an error: the schema allows it)."""
    if not search_words(q):
        return SearchPage(query=q, total=0, limit=limit, offset=offset, items=[])
    return S.search(store, q, type, limit, offset, viewer=viewer)


@router.get("/{entity_id}", response_model=EntityOut, responses=NOT_FOUND,
            summary="One entity: properties, citations, relationships and their citations")
def read_entity(store: StoreDep, viewer: ViewerDep, entity_id: EntityId, limit: Limit = 100,
                offset: Offset = 0) -> EntityOut:
    """Relationships are typed, with the other end's id, label and name, ordered by type,
    direction and other id; ``limit``/``offset`` page through them. ``properties`` merge
    every dataset's statements; ``provenance``, ``statements``, ``aliases`` and ``conflicts``
    say which dataset (case file) states which value, with its citations.
    ``relationships_total`` counts what the caller may see."""
    detail = S.entity(store, entity_id, viewer=viewer)
    rels = detail.relationships
    return EntityOut(**{**dict(detail), "relationships": rels[offset:offset + limit]},
                     relationships_total=len(rels), limit=limit, offset=offset)
