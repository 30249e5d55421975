"""Targeted-sanctions dossiers on one person (issue 11): :func:`build_dossier` gives the
:class:`Dossier` model (its JSON form has a published JSON Schema), :func:`render` turns
it into Markdown, HTML (offline, a static SVG figure) or JSON. Callers pass the model
through :func:`repgraph.disclosure.disclose` before rendering."""

from .build import build_dossier
from .model import Dossier, dossier_json_schema
from .render import FORMATS, render

__all__ = ["build_dossier", "Dossier", "dossier_json_schema", "render", "FORMATS"]
