"""``repgraph import-neo4j``: first load of large sources with ``neo4j-admin database import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..config import get_settings
from ..ingest import CaseFileError
from ..ingest.offline import OfflineImportError, import_neo4j
from ..store import StoreError, open_store
from . import app
from .common import console, err_console, print_error
from .users import access_for, record_ingest


@app.command("import-neo4j")
def import_neo4j_command(
    paths: Annotated[list[Path], typer.Argument(help="Case files (.yaml/.yml/.json) or folders of them.")],
    neo4j_home: Annotated[Path, typer.Option("--neo4j-home", envvar="NEO4J_HOME",
                                             help="Home of the (stopped) Neo4j server: bin/, conf/, data/.")],
    neo4j_admin: Annotated[Path | None, typer.Option(
        "--neo4j-admin", help="neo4j-admin to run (default NEO4J_HOME/bin/neo4j-admin).")] = None,
    database: Annotated[str, typer.Option("--database", help="Database to replace.")] = "neo4j",
    overwrite_destination: Annotated[bool, typer.Option(
        "--overwrite-destination",
        help="Delete the database's existing files first (neo4j-admin's option). Without it neo4j-admin "
             "refuses a database that exists, as a started server's default database does.")] = False,
    start: Annotated[bool, typer.Option(
        "--start/--no-start",
        help="After the import start the server with NEO4J_HOME/bin/neo4j start (--no-start: you start it, "
             "e.g. with systemctl, and the command waits for it). Then empty lists are restored, the schema "
             "(constraints, indexes, full-text index) created and every index awaited online.")] = True,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for the server to answer after the import.")] = 600.0,
    csv_dir: Annotated[Path | None, typer.Option(
        "--csv-dir", help="Write (and keep) the CSV files here (default: a temporary folder, removed).")] = None,
) -> None:
    """First load into an EMPTY Neo4j database with neo4j-admin (no Cypher writes).

    Validates every file exactly as `repgraph ingest` does (a bad file: FILE, record and field, exit 2, nothing imported), projects them as `ingest` would into an empty store, writes neo4j-admin CSV files and runs `neo4j-admin database import full`; then starts the server, restores empty lists, creates the schema and waits for every index.

    GIVES UP, against `repgraph ingest`: it is for a FIRST load only and REPLACES the whole database (whatever it held is gone, with --overwrite-destination); the server MUST BE STOPPED while it runs (`neo4j stop`); it is all-or-nothing for the whole import, not per file. Later case files go through the transactional `repgraph ingest`. The server is reached afterwards through NEO4J_URI/_USER/_PASSWORD.
    """  # noqa: E501 (one line per paragraph: the help wraps it)
    settings = get_settings()

    def opener():
        return open_store(settings.model_copy(update={"backend": "neo4j", "neo4j_database": database}))

    audited: list[tuple[Path, object, object]] = []

    def progress(path, case, result):
        audited.append((path, _Ids(case), result))
        console.print(f"[green]ok[/] {escape(str(path))}: {result.nodes} nodes, {result.relationships} relationships "
                      f"({escape(result.dataset)})")

    try:
        report = import_neo4j(paths, neo4j_home, opener, database=database, neo4j_admin=neo4j_admin,
                              overwrite=overwrite_destination, start=start, wait=wait, csv_dir=csv_dir,
                              progress=progress, on_step=lambda s: err_console.print(f"{s} ..."))
    except CaseFileError as exc:
        print_error(exc)
        err_console.print("nothing was imported")
        raise typer.Exit(2) from None
    except (OfflineImportError, StoreError) as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    with access_for(None, store_must_exist=False) as access:
        for path, ids, result in audited:
            record_ingest(access, path, ids, result)
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
    console.print(f"imported into {escape(database)} at {escape(str(neo4j_home))}: {report.nodes} nodes, "
                  f"{report.relationships} relationships, {report.datasets} dataset records ({timing})")


class _Ids:
    """The ids :func:`record_ingest` audits of a case, without keeping the case."""

    def __init__(self, case):
        self.nodes = [_Id(n.id) for n in case.nodes]
        self.relationships = [_Id(r.id) for r in case.relationships]


class _Id:
    def __init__(self, ident: str):
        self.id = ident
