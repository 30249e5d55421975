"""``/health``: is the store answering, and which backend. Public: it reveals no counts
(those are at ``/stats/counts``, behind a key)."""

from __future__ import annotations

from fastapi import APIRouter

from ... import queries as Q
from ..deps import StoreDep
from ..routing import STORE_DOWN
from ..schemas import Health

router = APIRouter(tags=["health"], responses=STORE_DOWN)


@router.get("/health", response_model=Health, summary="Service status and backend (no key needed, no counts)")
def health(store: StoreDep) -> Health:
    """``ok`` when the store answers a trivial query; 503 with the reason when it cannot be reached."""
    store.read(Q.PING, {})
    return Health(backend=store.backend)
