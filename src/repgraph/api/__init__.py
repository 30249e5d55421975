"""The HTTP API (FastAPI): the investigators' questions over whichever store is configured.

``create_app()`` builds the application; ``repgraph serve`` runs it under uvicorn.
Every answer leaves through :func:`repgraph.disclosure.disclose`, applied once for all
routes by :class:`repgraph.api.routing.DisclosedRoute`.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
