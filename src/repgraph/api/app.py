"""The application factory."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..access import AccessDB, Pseudonyms, access_db_path
from ..config import Settings, get_settings
from ..private_files import exposure_warnings
from ..store import GraphStore
from . import bounded, errors
from .deps import StoreProvider
from .head import HeadAsGet
from .routes import accountability, analytics, audit, entities, graph, health, incidents, queries, stats, viz
from .security import AccessMiddleware, SecurityHeadersMiddleware, document_security

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("repgraph.api")

DESCRIPTION = """
Sourced facts on state repression networks: who was targeted, by whom, under which law,
who commanded whom at the time, where defenders fled. Every answer carries its citations
(source title, verbatim quote, page). Lists are paginated (`limit`, `offset`, `total`)
in a stable order. Every route but `/health` needs an API key
(`Authorization: Bearer KEY`, from `repgraph users add`): 401 without a valid key, 403
for a role below the route's. Errors: 404 names the unknown id, 422 the bad parameter,
503 gives the reason the store cannot be reached or the work was stopped.
"""


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def create_app(settings: Settings | None = None, store: GraphStore | None = None, *,
               access: AccessDB | Path | str | None = None, open_access: bool = False,
               warn_exposed: bool = True) -> FastAPI:
    """The API over ``store`` if given (left open for its owner), else over the store the
    ``settings`` (default: the environment) configure, opened on first use.

    ``access``: the users-and-audit file (default: :func:`repgraph.access.access_db_path`
    of the settings; required with an explicit ``store``); it also holds the store's
    pseudonym registry (:mod:`repgraph.access.pseudonyms`), so every worker process and
    every restart over it shows a viewer the same opaque ids and pseudonym numbers. ``open_access``: requests
    without a key are the local ``viewer`` (``repgraph serve --open``). An embedded store
    or access file that every account of the machine can read is logged as a warning
    (``repgraph.api``; :func:`repgraph.private_files.exposure_warnings`), unless
    ``warn_exposed`` is False (``repgraph serve`` prints it once itself, as every command
    does, rather than once per worker process).
    """
    if settings is None:
        try:
            settings = get_settings()
        except ValueError:
            if store is None:
                raise
            settings = Settings(REPGRAPH_BACKEND="embedded")  # the store is given: only access settings matter
    if access is None:
        if store is not None and settings.access_db is None:
            raise ValueError("create_app(store=...) needs access= (the users-and-audit file)")
        access = access_db_path(settings)
    access_db = access if isinstance(access, AccessDB) else AccessDB(access)
    provider = StoreProvider(settings, store, pseudonyms=Pseudonyms(access_db))
    store_path = None
    if store is not None:
        store_path = store.location if store.backend == "embedded" else None
    elif settings.backend == "embedded":
        store_path = settings.db
    for line in exposure_warnings(store_path, access_db.path) if warn_exposed else ():
        log.warning("%s", line)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        provider.close()

    app = FastAPI(title="repgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.stores = provider
    app.state.access = access_db
    app.state.open_access = open_access
    errors.install(app)
    bounded.install(app, settings.request_budget)
    app.add_middleware(HeadAsGet)  # HEAD on every GET route (monitors probe /health with HEAD)
    for module in (health, entities, queries, incidents, stats, graph, viz, analytics, audit):
        app.include_router(module.router)
    app.include_router(accountability.queries)
    app.include_router(accountability.persons)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs():
        """Swagger UI from vendored assets (nothing loaded from a CDN)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="repgraph API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
                                   swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False})

    document_security(app)
    # Outermost last: hosts are checked first, then headers are added to every answer
    # (also the 401s), then CORS (if configured) answers preflights, then keys are checked.
    app.add_middleware(AccessMiddleware, access=access_db, open_access=open_access, budget_seconds=settings.request_budget)
    origins = _split(settings.cors_origins)
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"],
                           allow_headers=["Authorization"], allow_credentials=False)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=_split(settings.allowed_hosts))
    return app
