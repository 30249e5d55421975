"""One entry point for the three formats of a dossier."""

from __future__ import annotations

from .document import build_document
from .model import Dossier
from .render_html import render_html
from .render_md import render_markdown

#: Formats and their media types.
FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "json": "application/json"}


def render(dossier: Dossier, fmt: str, full_clearance: bool = True) -> str:
    """``dossier`` (already disclosed for its reader) as ``md``, ``html`` or ``json``
    text. ``full_clearance``: whether the reader sees everything (an admin); below it, an
    empty part reads "none you may see", never "not named". Raises ValueError on another format."""
    if fmt == "json":
        return dossier.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return render_markdown(build_document(dossier, full_clearance))
    if fmt == "html":
        return render_html(build_document(dossier, full_clearance))
    raise ValueError(f"format: one of {', '.join(FORMATS)}")
