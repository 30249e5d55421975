"""``repgraph dossier`` and ``repgraph dossier-schema``: thin commands over
:mod:`repgraph.dossier`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..disclosure import Role, Viewer, disclose
from ..private_files import write_private_text
from ..redaction import require_visible
from . import app
from .common import DbOption, console, current_viewer, input_id, print_error, print_file_error, store_for

FormatChoice = Annotated[str, typer.Option("--format", "-f", help="md, html or json")]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")]


@app.command()
def dossier(
    person_id: Annotated[str, typer.Argument(help="The person's id, e.g. person-remigio-ceballos-ichaso.")],
    fmt: FormatChoice = "md",
    output: OutputOption = None,
    as_role: Annotated[Role | None, typer.Option("--as", help="Whose clearance the dossier is redacted for "
                                                 "(default: the global --as, else admin).")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date of the sanctions gap (YYYY-MM-DD; default today).")] = None,
    db: DbOption = None,
) -> None:
    """A targeted-sanctions dossier on one person: identity, posts, chain of command,
    allegations (direct and by command) with evidence strength, exculpatory information,
    sanctions by authority and the gap, relatives and associates, a chain-of-command
    figure; every fact footnoted to its source quote. Exit 2 on an unknown id or format."""
    from ..accountability.common import iso_day
    from ..dossier import FORMATS, build_dossier, render
    from ..service import NotFound

    if fmt not in FORMATS:
        print_error(f"--format: one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    with store_for(db) as store:
        try:
            viewer = Viewer(name="cli", role=as_role) if as_role is not None else current_viewer()
            person_id = input_id(store, person_id, viewer)  # an opaque id the viewer was shown
            require_visible(store, viewer, person_id)  # a protected person's dossier: unknown to the role
            built = disclose(build_dossier(store, person_id, iso_day(on, field="--on") if on else None, viewer),
                             viewer, store)
        except (NotFound, ValueError) as exc:
            print_error(exc)
            raise typer.Exit(2) from None
    text = render(built, fmt, full_clearance=Role(viewer.role) is Role.admin)
    if output:
        try:
            write_private_text(output, text)  # protected names for an admin: owner-only
        except OSError as exc:
            print_file_error(exc, output)
            raise typer.Exit(1) from None
        console.print(f"wrote {escape(str(output))} ({fmt})")
    else:
        typer.echo(text, nl=False)


@app.command("dossier-schema")
def dossier_schema(output: OutputOption = None) -> None:
    """Print the JSON Schema of the dossier's JSON form (docs/dossier.schema.json)."""
    from ..dossier import dossier_json_schema

    text = json.dumps(dossier_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {escape(str(output))}")
    else:
        typer.echo(text, nl=False)
