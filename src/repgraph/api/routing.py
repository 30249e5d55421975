"""The disclosure seam: every route's answer passes through :func:`disclose` exactly once.

Routers are built with ``route_class=DisclosedRoute``. At registration the route wraps
its endpoint: the wrapper asks for the viewer (:data:`~repgraph.api.deps.ViewerDep`),
calls the handler and returns ``disclose(answer, viewer)``, which FastAPI then validates
against the ``response_model`` and serialises. Handlers never call ``disclose``; roles
and the redaction of protected persons change :func:`~repgraph.api.deps.get_viewer` and
:func:`~repgraph.disclosure.disclose`, not the routes.
"""

from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ..disclosure import disclose
from ..service import NotFound
from .deps import ViewerDep
from .schemas import ErrorOut

VIEWER_PARAM = "_viewer"
STORE_PARAM = "_store"

#: Parameters naming an element (these, and any ``*_id``): an id the viewer may not see is
#: answered exactly as an unknown id (a protected person is never found by their id): the
#: handler runs with an id no element has in its place, and its error names the id given,
#: so the status and wording never tell a hidden element from a missing one.
ID_PARAMS = ("entity_id", "incident_id", "operation_id", "law_id", "source", "target", "root", "defender_id",
             "official_id")


class _LazyStore:
    """The request's store, opened only if disclosure needs it (a route without a store,
    or an admin with no listener, never opens it)."""

    def __init__(self, request: Request):
        self._request = request

    def get(self):
        return self._request.app.state.stores.get()


def _unseen_ids(kwargs: dict[str, Any], viewer, store: _LazyStore) -> dict[str, str]:
    """``{parameter: id}`` of the id parameters naming an element ``viewer`` may not name
    (hidden, a protected person, or an id that names one). An opaque id the viewer was
    shown for an element whose id names a protected person is replaced in ``kwargs`` by
    the real id (they navigate by the id they were shown)."""
    from ..disclosure import Role
    from ..redaction import redactor

    if Role(viewer.role) is Role.admin:
        return {}
    ids = {k: v for k, v in kwargs.items() if (k in ID_PARAMS or k.endswith("_id")) and isinstance(v, str)}
    if not ids:
        return {}
    red = redactor(store.get(), viewer)
    unseen = {k: v for k, v in ids.items() if red.refuses(v)}
    resolved = set()
    for k, v in ids.items():
        real = red.resolve(v)
        if real != v:
            kwargs[k] = real
            resolved.add(real)
    if resolved:  # the handler's own checks accept the real ids this request named by opaque ids
        from ..redaction import resolved_ids

        resolved_ids(frozenset(resolved))
    if unseen:  # a probe of protected ids: audited, answered as unknown
        from ..disclosure import refused

        refused(viewer, unseen.values())
    return unseen


def _unknown_ids(unseen: dict[str, str]) -> dict[str, str]:
    """An id no element has, per hidden parameter (random: never in a store)."""
    return {k: f"unknown-{secrets.token_hex(12)}" for k in unseen}


def _as_unknown(exc: Exception, swap: dict[str, str], unseen: dict[str, str]) -> Exception:
    """The handler's error for the unknown ids, worded with the ids the caller gave."""
    if not isinstance(exc, (NotFound, ValueError)):
        return exc
    msg = str(exc)
    for k, sentinel in swap.items():
        msg = msg.replace(sentinel, unseen[k])
    return type(exc)(msg)


def _hidden_answer(unseen: dict[str, str]) -> NotFound:
    """Fail closed: the handler answered for an unknown id; a hidden one is never answered."""
    return NotFound(f"no entity with id {next(iter(unseen.values()))!r}")


def _disclosed(answer: Any, viewer, store: _LazyStore) -> Any:
    # A ready-made Response (an HTML view) was rendered from models its route already
    # disclosed for the viewer (it asks for ViewerDep itself); bytes are not redacted here.
    if isinstance(answer, Response):
        return answer
    from ..disclosure import Role, _listeners

    full = Role(viewer.role) is Role.admin and not _listeners
    return disclose(answer, viewer) if full else disclose(answer, viewer, store.get())


def _answer_now(route: APIRoute | None, answer: Any) -> Any:
    """The finished answer of a plain ``def`` route, made in its worker thread: the
    disclosed ``answer`` validated against the route's ``response_model`` and serialised
    to JSON exactly as FastAPI does it (``field.validate``, ``field.serialize_json`` with
    the route's include/exclude settings), then the request's ``read`` audit entry written
    (:func:`~repgraph.api.security.record_reads_now`; if it cannot be written, the answer
    is withheld: 503). FastAPI passes a Response through untouched.

    Why here: FastAPI runs a plain ``def`` route in one worker thread, validates its
    answer in a second, and the audit entry took a third; each hop costs a thread
    handover and a wake-up of the event loop (0.1 ms or more each, more on a busy
    machine). A route with its own response class (the HTML views return Responses) or
    no response model is left to FastAPI, its audit entry still written here."""
    from ..access import AccessError
    from .security import WITHHELD, log, record_reads_now

    if isinstance(answer, Response):
        status = answer.status_code
    elif route is None or route.response_field is None or not isinstance(route.response_class, DefaultPlaceholder):
        status = (route.status_code if route is not None else None) or 200
    else:
        field = route.response_field
        value, errors = field.validate(answer, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=answer)
        content = field.serialize_json(
            value, include=route.response_model_include, exclude=route.response_model_exclude,
            by_alias=route.response_model_by_alias, exclude_unset=route.response_model_exclude_unset,
            exclude_defaults=route.response_model_exclude_defaults, exclude_none=route.response_model_exclude_none)
        status = route.status_code or 200
        answer = Response(content=content, status_code=status, media_type="application/json")
    try:
        record_reads_now(status)
    except AccessError as exc:
        log.error("audit log not written, answer withheld: %s", exc)
        return JSONResponse({"detail": WITHHELD}, status_code=503)
    return answer


def disclosing(endpoint: Callable[..., Any], route: dict[str, APIRoute] | None = None) -> Callable[..., Any]:
    """``endpoint`` with its answer passed through ``disclose(answer, viewer)``.

    A plain ``def`` endpoint becomes an ``async`` one that runs the handler, the
    disclosure, the answer's validation and serialisation and its audit entry in one
    worker thread (:func:`_answer_now`; ``route["route"]``, set once the route is built,
    gives the response model)."""
    try:
        sig = inspect.signature(endpoint, eval_str=True)
    except NameError:  # annotations naming local imports: FastAPI resolves what it can itself
        sig = inspect.signature(endpoint)
    viewer = inspect.Parameter(VIEWER_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=ViewerDep)
    # FastAPI injects one Request: reuse the endpoint's own Request parameter if it has one
    own = next((p.name for p in sig.parameters.values() if p.annotation is Request), None)
    extra = [viewer] if own else [viewer, inspect.Parameter(STORE_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=Request)]

    def _take(kwargs):
        request = kwargs[own] if own else kwargs.pop(STORE_PARAM)
        return kwargs.pop(VIEWER_PARAM), _LazyStore(request)

    if inspect.iscoroutinefunction(endpoint):
        @functools.wraps(endpoint)
        async def wrapper(*args, **kwargs):
            who, where = _take(kwargs)
            unseen = _unseen_ids(kwargs, who, where)
            if unseen:  # answered exactly as the handler answers an unknown id (no oracle)
                swap = _unknown_ids(unseen)
                try:
                    await endpoint(*args, **{**kwargs, **swap})
                except Exception as exc:
                    raise _as_unknown(exc, swap, unseen) from None
                raise _hidden_answer(unseen)
            return _disclosed(await endpoint(*args, **kwargs), who, where)
    else:
        def work(args, kwargs):
            who, where = _take(kwargs)
            unseen = _unseen_ids(kwargs, who, where)
            if unseen:  # answered exactly as the handler answers an unknown id (no oracle)
                swap = _unknown_ids(unseen)
                try:
                    endpoint(*args, **{**kwargs, **swap})
                except Exception as exc:
                    raise _as_unknown(exc, swap, unseen) from None
                raise _hidden_answer(unseen)
            return _answer_now((route or {}).get("route"), _disclosed(endpoint(*args, **kwargs), who, where))

        @functools.wraps(endpoint)
        async def wrapper(*args, **kwargs):
            return await run_in_threadpool(work, args, kwargs)  # one worker thread hop for all of it

    wrapper.__signature__ = sig.replace(parameters=[*sig.parameters.values(), *extra])
    wrapper.__disclosed__ = True
    return wrapper


class DisclosedRoute(APIRoute):
    """An APIRoute whose endpoint answers through :func:`disclosing`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any):
        built: dict[str, APIRoute] = {}
        super().__init__(path, disclosing(endpoint, built), **kwargs)
        built["route"] = self  # the wrapper finds the response model here


#: Error responses every data route documents (422 is FastAPI's own).
# Errors are JSON even on routes that answer HTML (the views): say so explicitly, or
# FastAPI documents them with the route's own media type.
_JSON = {"content": {"application/json": {}}}
STORE_DOWN = {503: {"model": ErrorOut, "description": "The store cannot be reached, or the request's time budget was spent or its client left (the reason is in `detail`).", **_JSON}}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No element with that id (named in `detail`).", **_JSON}}


def router(prefix: str, tag: str) -> APIRouter:
    """A router of disclosed routes, documenting the 503 every route may answer."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=DisclosedRoute, responses=STORE_DOWN)
