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
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from fastapi.routing import APIRoute

from ..disclosure import disclose
from .deps import ViewerDep
from .schemas import ErrorOut

VIEWER_PARAM = "_viewer"


def _disclosed(answer: Any, viewer) -> Any:
    # A ready-made Response (an HTML view) was rendered from models its route already
    # disclosed for the viewer (it asks for ViewerDep itself); bytes are not redacted here.
    return answer if isinstance(answer, Response) else disclose(answer, viewer)


def disclosing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` with its answer passed through ``disclose(answer, viewer)``."""
    try:
        sig = inspect.signature(endpoint, eval_str=True)
    except NameError:  # annotations naming local imports: FastAPI resolves what it can itself
        sig = inspect.signature(endpoint)
    viewer = inspect.Parameter(VIEWER_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=ViewerDep)

    if inspect.iscoroutinefunction(endpoint):
        @functools.wraps(endpoint)
        async def wrapper(*args, **kwargs):
            who = kwargs.pop(VIEWER_PARAM)
            return _disclosed(await endpoint(*args, **kwargs), who)
    else:
        @functools.wraps(endpoint)
        def wrapper(*args, **kwargs):
            who = kwargs.pop(VIEWER_PARAM)
            return _disclosed(endpoint(*args, **kwargs), who)

    wrapper.__signature__ = sig.replace(parameters=[*sig.parameters.values(), viewer])
    wrapper.__disclosed__ = True
    return wrapper


class DisclosedRoute(APIRoute):
    """An APIRoute whose endpoint answers through :func:`disclosing`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any):
        super().__init__(path, disclosing(endpoint), **kwargs)


#: Error responses every data route documents (422 is FastAPI's own).
# Errors are JSON even on routes that answer HTML (the views): say so explicitly, or
# FastAPI documents them with the route's own media type.
_JSON = {"content": {"application/json": {}}}
STORE_DOWN = {503: {"model": ErrorOut, "description": "The store cannot be reached, or the request's time budget was spent or its client left (the reason is in `detail`).", **_JSON}}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No element with that id (named in `detail`).", **_JSON}}


def router(prefix: str, tag: str) -> APIRouter:
    """A router of disclosed routes, documenting the 503 every route may answer."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=DisclosedRoute, responses=STORE_DOWN)
