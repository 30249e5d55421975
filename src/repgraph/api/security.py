"""Who is asking, and what every answer carries: keys, roles, audit, headers, hosts.

:class:`AccessMiddleware` wraps the whole application (so routes mounted outside the
routers are covered too): every path except :data:`PUBLIC_PATHS` needs
``Authorization: Bearer <key>``. A missing, empty, malformed, unknown or revoked key is
answered 401 with ``WWW-Authenticate: Bearer`` before any route runs (also for ``HEAD``);
a missing key never falls back to anonymous access, except on a server started with
``repgraph serve --open``, where a request without a key is the local ``viewer``
(public data only). A valid key below a route's role is answered 403 by
:func:`require_role`. Every 401 and 403 is appended to the audit log, and so is every
answer that showed restricted or confidential elements (one entry per request, written
before the answer leaves; if it cannot be written the answer is withheld with a 503), and
so is every request that named an id above the caller's clearance (answered 404 like an
unknown id: a ``denied`` entry with the ids asked).

:class:`SecurityHeadersMiddleware` adds ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer``, ``Cache-Control: no-store`` (vendored docs assets may be
cached) and a Content-Security-Policy with ``frame-ancestors 'none'`` to every answer. An
HTML page gets its own policy: a view's ``<meta>`` policy (scripts by nonce) repeated as
a header, or for the docs page one that allows only the hashes of its inline scripts and
the vendored assets.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
from collections.abc import Callable

import anyio
from fastapi import Depends, HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import budget
from ..access import AccessError, Users, audit
from ..access.users import UNDECIDED
from ..access.db import AccessDB
from ..disclosure import Role, Viewer

log = logging.getLogger("repgraph.api")

#: Paths answered without a key: they reveal no data (a status line, the API's description,
#: the docs page and its vendored assets).
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs"})
STATIC_PREFIX = "/static/"

#: Who a request without a key is on a server started with ``--open``.
OPEN_VIEWER = Viewer(name="local (--open)", role=Role.viewer)

RANK = {Role.viewer: 0, Role.analyst: 1, Role.admin: 2}


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(STATIC_PREFIX)


def _json(status: int, detail: str, headers: dict[str, str] | None = None) -> list[Message]:
    body = json.dumps({"detail": detail}).encode()
    hdrs = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    hdrs += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return [{"type": "http.response.start", "status": status, "headers": hdrs},
            {"type": "http.response.body", "body": body}]


def _target(scope: Scope) -> str:
    return f"{scope['method']} {scope['path']}"


class AccessMiddleware:
    """Authenticates every non-public request and audits denials and protected reads."""

    def __init__(self, app: ASGIApp, access: AccessDB, open_access: bool = False, budget_seconds: float = 20.0):
        self.app = app
        self.budget_seconds = budget_seconds
        self.access = access
        self.users = Users(access)
        self.open_access = open_access

    async def _authenticate(self, scope: Scope) -> Viewer | str:
        """The viewer, or the reason for a 401."""
        header = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                header = value.decode("latin-1")
                break
        if header is None:
            return OPEN_VIEWER if self.open_access else "an API key is required (Authorization: Bearer KEY)"
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return "malformed Authorization header: expected 'Bearer KEY'"
        viewer = self.users.verify_known(token)  # a key seen before: no thread hop
        if viewer is UNDECIDED:  # argon2 (deliberately slow) or a busy file: in a worker thread
            viewer = await anyio.to_thread.run_sync(self.users.verify, token)
        return viewer if viewer is not None else "invalid or revoked API key"

    async def _deny(self, scope: Scope, send: Send, status: int, detail: str, user: str, role: str | None,
                    headers: dict[str, str] | None = None) -> None:
        try:
            await anyio.to_thread.run_sync(lambda: audit.record(
                self.access, user=user, role=role, action="denied", target=_target(scope), status=status, detail=detail))
        except AccessError as exc:
            log.error("audit log not written: %s", exc)
        for message in _json(status, detail, headers):
            await send(message)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        who = await self._authenticate(scope)
        if isinstance(who, str):
            error = ', error="invalid_token"' if "invalid" in who or "malformed" in who else ""
            await self._deny(scope, send, 401, who, "(unauthenticated)", None,
                             {"WWW-Authenticate": f'Bearer realm="repgraph"{error}'})
            return
        scope.setdefault("state", {})["viewer"] = who
        ctx = audit.AuditContext(db=self.access, target=_target(scope), viewer=who)
        token = audit.current.set(ctx)
        # Every request's loops (batched reads, betweenness) stop once its budget is spent.
        budget_token = budget.current.set(budget.Budget(self.budget_seconds))
        withheld = False

        async def send_audited(message: Message) -> None:
            nonlocal withheld
            if withheld:
                return
            if message["type"] == "http.response.start":
                status = message["status"]
                try:
                    if status in (401, 403):
                        detail = "role too low" if status == 403 else None
                        await anyio.to_thread.run_sync(lambda: audit.record(
                            self.access, user=who.name, role=who.role.value, action="denied", target=ctx.target,
                            status=status, detail=detail))
                    if ctx.probed:  # protected ids asked for, answered as unknown (404)
                        probed = sorted(ctx.probed)
                        await anyio.to_thread.run_sync(lambda: audit.record(
                            self.access, user=who.name, role=who.role.value, action="denied", target=ctx.target,
                            status=status, ids=probed, detail="asked for ids above the caller's clearance; answered as unknown"))
                    if ctx.ids and status not in (401, 403):
                        ids = sorted(ctx.ids)
                        await anyio.to_thread.run_sync(lambda: audit.record(
                            self.access, user=who.name, role=who.role.value, action="read", target=ctx.target,
                            status=status, ids=ids))
                except AccessError as exc:
                    log.error("audit log not written, answer withheld: %s", exc)
                    withheld = True
                    for m in _json(503, WITHHELD):
                        await send(m)
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_audited)
        finally:
            budget.current.reset(budget_token)
            audit.current.reset(token)


#: The answer's detail when the audit entry of a read cannot be written.
WITHHELD = "the audit log cannot be written; the answer is withheld"


def record_reads_now(status: int) -> None:
    """Append the current request's ``read`` entry (the restricted or confidential ids its
    answer shows) now, with the answer's ``status``, and mark it written so that
    :class:`AccessMiddleware` does not write it again.

    The API's routes call it from the worker thread that built the answer, right before
    the answer is handed back (:mod:`repgraph.api.routing`): the entry is then written in
    the same thread hop as the answer, not in another hop at ``http.response.start`` (the
    middleware still writes whatever is left, e.g. for the async routes). Raises
    AccessError when the entry cannot be written: the caller withholds the answer."""
    ctx = audit.current.get()
    if ctx is None or ctx.immediate or not ctx.ids or ctx.viewer is None or status in (401, 403):
        return
    ids = sorted(ctx.ids)
    audit.record(ctx.db, user=ctx.viewer.name, role=Role(ctx.viewer.role).value, action="read", target=ctx.target,
                 status=status, ids=ids)
    ctx.ids.clear()


async def get_viewer(request: Request) -> Viewer:
    """The viewer the request's key stands for (set by :class:`AccessMiddleware`).

    Raises 401 if the request did not pass the middleware (never an anonymous fallback).
    ``async``: it only reads the request, and FastAPI runs a plain ``def`` dependency in
    a worker thread (a thread hop, 0.1 ms or more per request, for a dictionary lookup)."""
    viewer = request.scope.get("state", {}).get("viewer")
    if not isinstance(viewer, Viewer):
        raise HTTPException(401, "an API key is required (Authorization: Bearer KEY)",
                            headers={"WWW-Authenticate": 'Bearer realm="repgraph"'})
    return viewer


def require_role(role: Role) -> Callable[[Request], Viewer]:
    """A dependency answering 403 when the caller's role is below ``role``."""

    async def dependency(viewer: Viewer = Depends(get_viewer)) -> Viewer:  # async: no thread hop (see get_viewer)
        if RANK[Role(viewer.role)] < RANK[role]:
            raise HTTPException(403, f"this needs the role {role.value}; {viewer.name} is {Role(viewer.role).value}")
        return viewer

    return dependency


def document_security(app) -> None:
    """Describe the bearer key in the OpenAPI spec: the scheme, and on every operation but
    the public ones, the security requirement and its 401 and 403 answers."""
    from fastapi.openapi.utils import get_openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        spec.setdefault("components", {}).setdefault("securitySchemes", {})["apiKey"] = {
            "type": "http", "scheme": "bearer",
            "description": "An API key from `repgraph users add NAME --role ROLE` (`rg_<id>_<secret>`)."}
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, ops in spec.get("paths", {}).items():
            if is_public(path):
                continue
            for op in ops.values():
                op["security"] = [{"apiKey": []}]
                op["responses"].setdefault("401", {"description": "No valid API key (missing, malformed, unknown or revoked).", "content": error})
                op["responses"].setdefault("403", {"description": "The key's role is below the route's.", "content": error})
        app.openapi_schema = spec
        return spec

    app.openapi = openapi


# --------------------------------------------------------------------------- headers

_META_CSP = re.compile(rb'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.I)
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)

DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def html_policy(body: bytes) -> str:
    """The CSP header of an HTML page: its own ``<meta>`` policy when it has one, else only
    its inline scripts (by hash) and same-origin assets; ``frame-ancestors 'none'`` always."""
    meta = _META_CSP.search(body)
    if meta:
        own = html.unescape(meta.group(1).decode()).strip().rstrip(";")
        return f"{own}; frame-ancestors 'none'"
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                      for s in _INLINE_SCRIPT.findall(body))
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


class SecurityHeadersMiddleware:
    """Adds the security headers to every answer (see the module docstring)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)
        start: Message | None = None
        chunks: list[bytes] = []

        def finish(message: Message, policy: str) -> Message:
            headers = [(k, v) for k, v in message.get("headers", [])
                       if k.lower() not in (b"cache-control", b"content-security-policy")]
            headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                        (b"x-frame-options", b"DENY"),
                        (b"cache-control", b"public, max-age=3600" if static else b"no-store"),
                        (b"content-security-policy", policy.encode())]
            return {**message, "headers": headers}

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                if ctype.startswith(b"text/html"):
                    start = message  # wait for the body: the policy depends on it
                    return
                await send(finish(message, DATA_CSP))
                return
            if start is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                await send(finish(start, html_policy(body)))
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)
