"""Exceptions of the core mapped to HTTP answers, in one place.

- :class:`repgraph.service.NotFound` -> 404, the message names the id;
- ``ValueError`` from the service -> 422 in FastAPI's validation shape, ``loc`` naming
  the parameter (service messages start with it: ``"depth: between 1 and 3"``);
- :class:`repgraph.store.StoreError` -> 503 with the store's readable reason.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

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


def install(app: FastAPI) -> None:
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(ValueError, bad_value)
    app.add_exception_handler(StoreError, store_down)
