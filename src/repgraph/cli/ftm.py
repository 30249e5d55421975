"""``import-ftm`` and ``export-ftm``: FollowTheMoney entities in and out (see :mod:`repgraph.ftm`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..disclosure import Role, Viewer
from ..ingest import CaseFileError
from ..ontology import Confidentiality
from . import app
from .common import DbOption, console, current_viewer, err_console, print_error, print_file_error, store_for
from ..wording import counted


@app.command("import-ftm")
def import_ftm_command(
    path: Annotated[Path, typer.Argument(help="FtM entities, one JSON object per line (Aleph, OpenSanctions).")],
    dataset: Annotated[str | None, typer.Option(
        help="Name of this import (importing it again replaces what it stated) and dataset of entities "
             "that name none (default: the file's name).")] = None,
    title: Annotated[str | None, typer.Option(help="Title of that dataset's Source node.")] = None,
    confidentiality: Annotated[Confidentiality | None, typer.Option(
        help="Least confidentiality of everything imported (FtM carries none; relatives stay restricted).")] = None,
    judgements: Annotated[Path | None, typer.Option(
        help="Judgements to record after the entities (nomenklatura resolver lines, as export-ftm --judgements "
             "writes them): merged entities are one entity again.")] = None,
    db: DbOption = None,
) -> None:
    """Import FtM entities: a Source per dataset, idempotent, all-or-nothing.

    On bad input prints FILE, line (entity id) and property, writes nothing (exit 2).
    """
    from ..ftm import import_ftm
    from ..schema import schema_statements
    from .users import access_for, record_write

    with store_for(db, create=True) as store, access_for(db, store_must_exist=False) as access:
        store.apply_schema(schema_statements())
        try:
            result = import_ftm(store, path, dataset, title, confidentiality.value if confidentiality else None,
                                judgements)
        except CaseFileError as exc:
            print_error(exc)
            err_console.print("nothing was written from that file")
            raise typer.Exit(2) from None
        record_write(access, "import-ftm", detail=f"{path}: {counted(result.entities, 'FtM entity', 'FtM entities')} -> {counted(result.ingest.nodes, 'node')}, "
                                                  f"{counted(result.ingest.relationships, 'relationship')}")
    skipped = ", ".join(f"{schema} {n}" for schema, n in result.skipped.items())
    ingest = result.ingest
    console.print(f"[green]ok[/] {escape(str(path))}: {counted(result.entities, 'FtM entity', 'FtM entities')} -> {counted(ingest.nodes, 'node')}, "
                  f"{counted(ingest.relationships, 'relationship')} ({escape(ingest.dataset)}; created "
                  f"+{counted(ingest.nodes_created, 'node')}, +{counted(ingest.relationships_created, 'relationship')})")
    if result.judgements:
        console.print(f"recorded {counted(result.judgements, 'judgement')} from {escape(str(judgements))}")
    if skipped or result.skipped_links:
        console.print(f"left out (no repgraph counterpart): {skipped or 'none'}; links to them: {result.skipped_links}")


@app.command("export-ftm")
def export_ftm_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (default -: stdout).")] = Path("-"),
    role: Annotated[Role | None, typer.Option("--as", help="Export what this role may see (viewer: public data only); "
                                                         "default: the global --as, else admin.")] = None,
    dataset: Annotated[str, typer.Option(help="FtM dataset name of the exported entities.")] = "repgraph",
    judgements: Annotated[Path | None, typer.Option(
        help="Also write the recorded judgements (merge, merge --not, unmerge) to this file, as nomenklatura "
             "resolver lines; import-ftm --judgements reads them back.")] = None,
    db: DbOption = None,
) -> None:
    """Write the graph as FtM entities (JSON lines) that `ftm validate` accepts, redacted for --as.
    A merged entity carries its other ids as ``referents``."""
    from ..ftm import export_ftm

    with store_for(db) as store:
        try:
            viewer = Viewer(name="cli", role=role) if role is not None else current_viewer()
            result = export_ftm(store, str(output), viewer, dataset, judgements)
        except OSError as exc:
            print_file_error(exc, output)
            raise typer.Exit(1) from None
    target = err_console if str(output) == "-" else console
    written = ", ".join(f"{schema} {n}" for schema, n in result.entities.items()) or "nothing"
    target.print(f"[green]wrote[/] {escape(str(output))}: {counted(result.total, 'FtM entity', 'FtM entities')} ({written})")
    if judgements is not None:
        target.print(f"[green]wrote[/] {escape(str(judgements))}: {counted(result.judgements, 'judgement')}")
    if result.left_out:
        target.print("left out (no FtM counterpart or an end not exported): "
                     + ", ".join(f"{k} {n}" for k, n in result.left_out.items()))
    for ident, prop, value in result.refused_values:
        target.print(f"[yellow]not expressible in FtM:[/] {escape(f'{ident} {prop} {value!r}')}")
