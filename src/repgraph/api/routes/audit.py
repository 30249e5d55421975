"""``/audit``: the audit log, for admins only (``repgraph audit`` shows the same)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from ...access import audit as audit_log
from ...disclosure import Role
from ..deps import IsoMoment, Limit, Offset
from ...access.audit import AuditEntry
from ..schemas import Page
from ..security import require_role

router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Depends(require_role(Role.admin))])


@router.get("", response_model=Page[AuditEntry], summary="The audit log (admin only), oldest first")
def read_audit(
    request: Request,
    since: Annotated[IsoMoment | None, Query(description="From this date (UTC) or moment on.")] = None,
    user: Annotated[str | None, Query(max_length=64, description="Only this user's entries.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[AuditEntry]:
    """Reads that showed restricted or confidential ids, writes, key changes and refusals
    (401/403), from the access file beside the store. 403 for roles below admin."""
    db = request.app.state.access
    found = audit_log.entries(db, since=since, user=user, limit=limit, offset=offset)
    return Page[AuditEntry](total=audit_log.count(db, since=since, user=user), limit=limit, offset=offset,
                               items=found)
