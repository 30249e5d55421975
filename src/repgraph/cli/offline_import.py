"""``repgraph import-neo4j``: first load of large sources with ``neo4j-admin database import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..config import get_settings
from ..ingest import CaseFileError
from ..ingest.offline import OfflineImportError, import_neo4j, load_prepared, prepare_import, read_prepared
from ..store import StoreError, open_store
from . import app
from .common import console, err_console, print_error
from .users import access_for, record_ingest


@app.command("import-neo4j")
def import_neo4j_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Case files (.yaml/.yml/.json) or folders of them (not with --prepared).")] = None,
    neo4j_home: Annotated[Path | None, typer.Option(
        "--neo4j-home", envvar="NEO4J_HOME", help="Home of the (stopped) Neo4j server: bin/, conf/, data/.")] = None,
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
             "e.g. with systemctl, and the command waits for it). Then the schema (constraints, indexes, "
             "full-text index) is created and every index awaited online.")] = True,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for the server to answer after the import.")] = 600.0,
    csv_dir: Annotated[Path | None, typer.Option(
        "--csv-dir", help="Write (and keep) the CSV files in this new or empty folder (default: a temporary "
                          "folder, removed).")] = None,
    prepare: Annotated[Path | None, typer.Option(
        "--prepare", help="Only validate FILES and write the import into this new or empty folder (CSV and a "
                          "manifest); Neo4j is not touched and may keep serving. Load it later with --prepared.")] = None,
    prepared: Annotated[Path | None, typer.Option(
        "--prepared", help="Load an import written by --prepare (no FILES): the server is down only for "
                           "neo4j-admin, its start and the indexes.")] = None,
) -> None:
    """First load into an EMPTY Neo4j database with neo4j-admin (no Cypher writes).

    Validates every file exactly as `repgraph ingest` does (a bad file: FILE, record and field, exit 2, nothing imported), projects them as `ingest` would into an empty store, writes neo4j-admin CSV files and runs `neo4j-admin database import full`; then starts the server, creates the schema and waits for every index.

    In two steps, so that the server keeps serving while the files are validated: `import-neo4j FILES --prepare DIR` (server running), then `neo4j stop` and `import-neo4j --prepared DIR --neo4j-home H --overwrite-destination`. DIR holds every name, protected persons' included, readable by its owner only: delete it once loaded.

    GIVES UP, against `repgraph ingest`: it is for a FIRST load only and REPLACES the whole database (whatever it held is gone, with --overwrite-destination); the server MUST BE STOPPED while it loads; it is all-or-nothing for the whole import, not per file. Later case files go through the transactional `repgraph ingest`. The server is reached afterwards through NEO4J_URI/_USER/_PASSWORD.
    """  # noqa: E501 (one line per paragraph: the help wraps it)
    if prepared is not None and (paths or prepare is not None or csv_dir is not None):
        print_error(ValueError("--prepared loads a prepared import: give no FILES, --prepare or --csv-dir with it"))
        raise typer.Exit(2)
    if prepared is None and not paths:
        print_error(ValueError("give case FILES (or --prepared DIR)"))
        raise typer.Exit(2)
    if prepare is not None and csv_dir is not None:
        print_error(ValueError("--prepare DIR already keeps the CSV files: drop --csv-dir"))
        raise typer.Exit(2)
    if prepare is None and neo4j_home is None:
        print_error(ValueError("--neo4j-home (or NEO4J_HOME) is needed to load: the home of the stopped server"))
        raise typer.Exit(2)
    settings = get_settings()

    def opener():
        return open_store(settings.model_copy(update={"backend": "neo4j", "neo4j_database": database}))

    def progress(path, case, result):
        console.print(f"[green]ok[/] {escape(str(path))}: {result.nodes} nodes, {result.relationships} relationships "
                      f"({escape(result.dataset)})")

    def step(s):
        err_console.print(f"{s} ...")

    if prepare is not None:  # nothing reaches Neo4j: nothing to audit
        try:
            ready = prepare_import(paths, prepare, progress=progress, on_step=step)
        except CaseFileError as exc:
            print_error(exc)
            err_console.print("nothing was prepared")
            raise typer.Exit(2) from None
        except OfflineImportError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in ready.seconds.items())
        console.print(f"prepared in {escape(str(prepare))}: {ready.nodes} nodes, {ready.relationships} relationships, "
                      f"{ready.datasets} dataset records ({timing}); once the server is stopped, load it with "
                      f"'repgraph import-neo4j --prepared {escape(str(prepare))} --neo4j-home HOME --overwrite-destination'")
        return
    # the audit log opens first: an unwritable one stops the command before the database is
    # replaced; each file is audited as soon as neo4j-admin has replaced it, so a failure of
    # the start or the schema afterwards still leaves the record of what was loaded
    with access_for(None, store_must_exist=False, warn=True) as access:
        def audit(ready):
            for result, ids in zip(ready.results, ready.ids):
                record_ingest(access, Path(result.path), ids, result)

        try:
            if prepared is not None:
                report = load_prepared(read_prepared(prepared), neo4j_home, opener, database=database,
                                       neo4j_admin=neo4j_admin, overwrite=overwrite_destination, start=start,
                                       wait=wait, on_step=step, on_imported=audit)
            else:
                report = import_neo4j(paths, neo4j_home, opener, database=database, neo4j_admin=neo4j_admin,
                                      overwrite=overwrite_destination, start=start, wait=wait, csv_dir=csv_dir,
                                      progress=progress, on_step=step, on_imported=audit)
        except CaseFileError as exc:
            print_error(exc)
            err_console.print("nothing was imported")
            raise typer.Exit(2) from None
        except (OfflineImportError, StoreError) as exc:
            print_error(exc)
            raise typer.Exit(1) from None
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
    console.print(f"imported into {escape(database)} at {escape(str(neo4j_home))}: {report.nodes} nodes, "
                  f"{report.relationships} relationships, {report.datasets} dataset records ({timing})")

