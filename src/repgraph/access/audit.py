"""The audit log: who saw protected elements, who wrote, whose key changed, who was refused.

Entries are appended to the ``audit`` table of the access file (:mod:`.db`), which refuses
updates and deletes. One entry: ``at`` (UTC, ISO 8601), ``user`` and ``role``, ``action``
(``read`` | ``write`` | ``key`` | ``denied``), ``target`` (``GET /entities/x`` or a
command such as ``ingest``), ``status`` (HTTP status, for requests), ``ids`` (the
restricted or confidential element ids shown, or the ids written) and ``detail``.

Reads: :func:`repgraph.disclosure.disclose` tells its listeners which protected ids a
viewer was shown; :func:`collect` (the listener) adds them to the request's
:class:`AuditContext` (a context variable the API sets per request), and the API writes
one entry per request before the answer leaves. The CLI sets an :class:`AuditContext`
with ``immediate=True`` for each command that opens a store (:mod:`repgraph.cli.common`):
there each disclosure that showed protected ids not yet recorded for the command appends
an entry at once, before the answer is printed. An id the caller may not see, asked for
on the API (answered 404 like an unknown id), is noted in ``probed`` and recorded as a
``denied`` entry with the ids asked. Writes: commands call :func:`record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..disclosure import Viewer, add_listener, add_refusal_listener
from .db import AccessDB

ACTIONS = ("read", "write", "key", "denied")


@dataclass
class AuditContext:
    """What one request (or CLI command) has shown so far: set by the API per request and by
    the CLI per command, filled by :func:`collect`. ``probed``: protected ids the caller
    asked for and was answered as unknown. ``immediate``: record each new disclosure at once
    (the CLI) as ``user`` (default: the viewer's name)."""

    db: AccessDB
    target: str
    viewer: Viewer | None = None
    ids: set[str] = field(default_factory=set)
    probed: set[str] = field(default_factory=set)
    immediate: bool = False
    user: str | None = None


current: ContextVar[AuditContext | None] = ContextVar("repgraph_audit", default=None)


def collect(viewer: Viewer, protected_ids: Iterable[str]) -> None:
    """Disclosure listener: note the protected ids shown in the current request (if any);
    in an ``immediate`` context (the CLI), append an entry for the ids not yet recorded
    (AccessError when it cannot be written: the caller withholds the answer)."""
    ctx = current.get()
    if ctx is None:
        return
    new = set(protected_ids) - ctx.ids
    if ctx.immediate and new:
        record(ctx.db, user=ctx.user or viewer.name, role=viewer.role.value, action="read", target=ctx.target, ids=new)
    ctx.viewer = ctx.viewer or viewer
    ctx.ids.update(new)


def probed(viewer: Viewer, ids: Iterable[str]) -> None:
    """Refusal listener: the current request or command asked for ids the caller may not
    see (answered as unknown). The API records them as one ``denied`` entry per request;
    an ``immediate`` context (the CLI) appends the entry at once."""
    ctx = current.get()
    if ctx is None:
        return
    new = set(ids) - ctx.probed
    ctx.probed.update(new)
    if ctx.immediate and new:
        record(ctx.db, user=ctx.user or viewer.name, role=viewer.role.value, action="denied", target=ctx.target,
               ids=new, detail="asked for ids above the caller's clearance; answered as unknown")


add_refusal_listener(probed)


add_listener(collect)


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry: who (``user``, ``role``), when (``at``, UTC ISO 8601), what
    (``action``: read | write | key | denied; ``target``: route or command; ``status``),
    which element ids. Also the API's answer shape (``GET /audit``)."""

    seq: int
    at: str
    user: str
    role: str | None
    action: str
    target: str
    status: int | None
    ids: list[str]
    detail: str | None


def record(db: AccessDB, *, user: str, action: str, target: str, role: str | None = None,
           ids: Iterable[str] = (), status: int | None = None, detail: str | None = None) -> None:
    """Append one entry (AccessError when the file cannot be written).

    ``action`` is one of :data:`ACTIONS`; ``target`` the route (``GET /path``) or command
    (``ingest``, ``retract``, ``merge``, ``users add``); ``ids`` the elements concerned.
    """
    if action not in ACTIONS:
        raise ValueError(f"action: one of {', '.join(ACTIONS)}")
    db.execute("INSERT INTO audit(at, user, role, action, target, status, ids, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (datetime.now(UTC).isoformat(timespec="milliseconds"), user, role, action, target, status,
                json.dumps(sorted(set(ids)), ensure_ascii=False), detail))


def _where(since: date | datetime | None, user: str | None) -> tuple[str, list]:
    sql, params = " WHERE 1=1", []
    if since is not None:
        moment = since if isinstance(since, datetime) else datetime(since.year, since.month, since.day, tzinfo=UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        sql += " AND at >= ?"
        params.append(moment.astimezone(UTC).isoformat(timespec="milliseconds"))
    if user is not None:
        sql += " AND user = ?"
        params.append(user)
    return sql, params


def count(db: AccessDB, since: date | datetime | None = None, user: str | None = None) -> int:
    """How many entries :func:`entries` would list without ``limit``."""
    where, params = _where(since, user)
    return db.execute("SELECT count(*) AS n FROM audit" + where, tuple(params))[0]["n"]


def entries(db: AccessDB, since: date | datetime | None = None, user: str | None = None,
            limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
    """Entries oldest first, from ``since`` (a date means its start, UTC; a naive moment is
    UTC) and of ``user``; ``limit``/``offset`` page through them."""
    where, params = _where(since, user)
    sql = "SELECT * FROM audit" + where + " ORDER BY seq LIMIT ? OFFSET ?"
    params += [-1 if limit is None else int(limit), int(offset)]
    return [AuditEntry(r["seq"], r["at"], r["user"], r["role"], r["action"], r["target"], r["status"],
                       json.loads(r["ids"]), r["detail"]) for r in db.execute(sql, tuple(params))]
