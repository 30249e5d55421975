"""The application factory."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from ..config import Settings, get_settings
from ..store import GraphStore
from . import errors
from .deps import StoreProvider
from .head import HeadAsGet
from .routes import analytics, entities, graph, health, incidents, queries, stats, viz

DESCRIPTION = """
Sourced facts on state repression networks: who was targeted, by whom, under which law,
who commanded whom at the time, where defenders fled. Every answer carries its citations
(source title, verbatim quote, page). Lists are paginated (`limit`, `offset`, `total`)
in a stable order. Errors: 404 names the unknown id, 422 the bad parameter, 503 gives the
reason the store cannot be reached.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` if given (left open for its owner), else over the store the
    ``settings`` (default: the environment) configure, opened on first use."""
    if store is None:
        settings = settings or get_settings()
    provider = StoreProvider(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        provider.close()

    app = FastAPI(title="repgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.stores = provider
    errors.install(app)
    app.add_middleware(HeadAsGet)  # HEAD on every GET route (monitors probe /health with HEAD)
    for module in (health, entities, queries, incidents, stats, graph, viz, analytics):
        app.include_router(module.router)
    return app
