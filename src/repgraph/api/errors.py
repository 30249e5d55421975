"""Exceptions of the core mapped to HTTP answers, in one place.

- :class:`repgraph.service.NotFound` -> 404, the message names the id;
- ``ValueError`` from the service -> 422 in FastAPI's validation shape, ``loc`` naming
  the parameter (service messages start with it: ``"depth: between 1 and 3"``);
- :class:`repgraph.store.StoreError` -> 503 with the store's readable reason;
- :class:`repgraph.access.AccessError` (the access file, e.g. its pseudonym registry,
  cannot be read or written) -> 503, the answer withheld (the reason is logged, not sent:
  it names a server path);
- FastAPI's own 422 (bad parameters) keeps its shape, but every echoed value is cut to
  :data:`ECHO_LIMIT` characters (a 100,000-character id must not come back whole).
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from ..access import AccessError
from ..service import NotFound
from ..store import StoreError

log = logging.getLogger("repgraph.api")

_PARAM_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*): ")


async def not_found(request: Request, exc: NotFound) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=404)


async def bad_value(request: Request, exc: ValueError) -> JSONResponse:
    if isinstance(exc, ValidationError):  # a model failed to build: our bug, not the caller's
        raise exc
    match = _PARAM_PREFIX.match(str(exc))
    name = match.group(1) if match else None
    where = "path" if name in request.path_params else "query"
    loc = [where, name] if name else [where]
    msg = str(exc)[match.end():] if match else str(exc)
    return JSONResponse({"detail": [{"type": "value_error", "loc": loc, "msg": msg}]}, status_code=422)


async def store_down(request: Request, exc: StoreError) -> JSONResponse:
    log.warning("store error on %s: %s", request.url.path, exc)
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def access_down(request: Request, exc: AccessError) -> JSONResponse:
    log.error("access file error on %s, answer withheld: %s", request.url.path, exc)
    return JSONResponse({"detail": "the access file cannot be read or written; the answer is withheld"}, status_code=503)


#: Longest piece of the caller's input echoed in an error.
ECHO_LIMIT = 100


def _cut(value):
    if isinstance(value, str):
        return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + f"... ({len(value)} characters)"
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cut(v) for v in value[:20]]
    return value


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 body, with echoed input (``input``, ``msg``, ``ctx``) cut short."""
    return JSONResponse({"detail": _cut(jsonable_encoder(exc.errors()))}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(ValueError, bad_value)
    app.add_exception_handler(StoreError, store_down)
    app.add_exception_handler(AccessError, access_down)
