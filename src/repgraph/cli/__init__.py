"""The ``repgraph`` command line (typer/rich). Commands live in small modules here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="repgraph",
    help="A knowledge graph of state repression networks: sourced facts, queried in Cypher.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from . import core, demo, ftm, serve, users, viz  # noqa: E402,F401  (commands register themselves on `app`)
