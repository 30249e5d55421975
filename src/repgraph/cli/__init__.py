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

from .common import AsOption, set_viewer  # noqa: E402


@app.callback()
def _main(as_role: AsOption = None) -> None:
    """A knowledge graph of state repression networks: sourced facts, queried in Cypher.

    Global option ``--as ROLE`` (before the command: ``repgraph --as viewer query search
    -p q=...``) shows what that role would see: the same redaction the API applies.
    """
    set_viewer(as_role)


from . import core, demo, ftm, serve, viz  # noqa: E402,F401  (commands register themselves on `app`)
