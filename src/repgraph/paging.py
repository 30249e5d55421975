"""Pages of the caller's graph: a list answer is paged and counted after what the caller
may not see is taken out, so ``total`` equals the number of items they can page through
and never hints at a hidden element (the entity page's ``relationships_total``, search's
``total`` and ``list``'s ``total`` work the same way, in their own queries)."""

from __future__ import annotations

from typing import TypeVar

from .disclosure import Role, Viewer

T = TypeVar("T")


def visible_items(store, viewer: Viewer, items: list[T]) -> list[T]:
    """The items of ``items`` (result models read from ``store``) that
    :func:`repgraph.disclosure.disclose` would show ``viewer``, in order; unchanged (the
    same models: the exit still redacts them) for an admin or a store with nothing above
    the viewer's clearance."""
    if Role(viewer.role) is Role.admin:
        return items
    from .redaction import HIDE, redactor

    red = redactor(store, viewer)
    if not red.active:
        return items
    return [item for item in items if red.redact(item, set()) is not HIDE]


def visible_page(store, viewer: Viewer, items: list[T], limit: int, offset: int) -> tuple[int, list[T]]:
    """``(total, page)``: how many of ``items`` ``viewer`` may see, and the page
    ``offset``..``offset + limit`` of those."""
    shown = visible_items(store, viewer, items)
    return len(shown), shown[offset:offset + limit]
