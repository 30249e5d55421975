"""``/health``: is the store answering, which backend, how much is in it."""

from __future__ import annotations

from ... import service as S
from ..deps import StoreDep
from ..routing import router as make_router
from ..schemas import Health

router = make_router("", "health")


@router.get("/health", response_model=Health, summary="Service status, backend and counts per label and type")
def health(store: StoreDep) -> Health:
    """Node counts per label and relationship counts per type; 503 when the store cannot be reached."""
    st = S.stats(store)
    return Health(backend=st.backend, nodes=st.nodes, relationships=st.relationships,
                  node_total=st.node_total, relationship_total=st.relationship_total)
