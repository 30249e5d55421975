"""``repgraph demo``: the real dataset, loaded fresh, and the headline answers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from .. import queries as Q
from .. import service as S
from ..config import get_settings
from ..ingest import CaseFileError, ingest_case_file
from .users import access_for, record_write
from ..ontology import fold
from ..schema import schema_statements
from ..seed import GUILT_BY_ASSOCIATION_QUOTE, REPORT_SOURCE_ID, seed_files
from ..store import StoreError
from ..store.embedded import EmbeddedStore
from . import app
from ..disclosure import DEFAULT_VIEWER, Viewer, disclose
from .common import answer, console, current_viewer, err_console, print_error, print_file_error
from .render import render_exile, render_with_incidents
from ..wording import counted

DEFAULT_VIEW = Path("visualizations/demo.html")
#: The defender whose neighbourhood the demo draws.
DEMO_EGO_ID = "person-yendri-velasquez"


def write_demo_views(store, whole_path: Path, title: str, viewer: Viewer = DEFAULT_VIEWER) -> list[Path]:
    """The demo's views, beside ``whole_path``, as ``viewer`` may see them: the whole graph,
    exile flows, one defender's neighbourhood and the chain of command of the first
    incident with a named perpetrator."""
    from ..viz import build_chain, build_ego, build_exile, build_whole, write_view

    folder = whole_path.parent
    written = [write_view(build_whole(store, title=title, viewer=viewer), whole_path),
               write_view(build_exile(store, viewer=viewer), folder / "exile.html")]
    try:
        written.append(write_view(build_ego(store, DEMO_EGO_ID, depth=2, viewer=viewer), folder / f"ego-{DEMO_EGO_ID}.html"))
    except S.NotFound:
        pass
    cases = disclose(S.officials_cases(store), viewer, store)
    if cases:
        incident = min(c.incident.id for c in cases)
        written.append(write_view(build_chain(store, incident, viewer=viewer), folder / f"chain-{incident}.html"))
    return written


def _seed_source_ids(files) -> set[str]:
    from ..ingest import load_case_file

    return {n.id for f in files for n in load_case_file(f).nodes if n.label == "Source"}


def _fresh_store(db: Path, files) -> EmbeddedStore:
    """Empty the demo store, but never a store holding data from other sources."""
    store = EmbeddedStore(db)
    existing = S.stats(store)
    if existing.node_total:
        foreign = {r["id"] for r in store.read(Q.SOURCE_IDS)} - _seed_source_ids(files)
        if foreign:
            store.close()
            print_error(
                f"{db} holds data from other sources ({', '.join(sorted(foreign))}); "
                f"the demo will not replace it. Run it on another file: {_command_name()} demo --db demo.db"
            )
            raise typer.Exit(1)
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        store = EmbeddedStore(db)
    return store


def _command_name() -> str:
    """How the user can call repgraph again: the path of this executable when it is not on PATH
    (``make demo`` runs .venv/bin/repgraph)."""
    import shutil
    import sys

    exe = Path(sys.argv[0])
    if exe.name == "repgraph" and shutil.which("repgraph") != str(exe.resolve()):
        try:
            return str(exe.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(exe)
    return "repgraph"


@app.command()
def demo(
    db: Annotated[Path | None, typer.Option("--db", help="Embedded store to (re)create; default $REPGRAPH_DB or ./repgraph.db")] = None,
    view: Annotated[Path, typer.Option("--view", help="Where to write the interactive graph")] = DEFAULT_VIEW,
) -> None:
    """Load the real seed dataset into a fresh embedded store and print the headline answers."""
    db = db or get_settings().db
    files = seed_files()
    try:
        store = _fresh_store(db, files)
    except StoreError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    with store:
        store.apply_schema(schema_statements())
        for f in files:
            try:
                r = ingest_case_file(store, f)
            except CaseFileError as exc:
                print_error(exc)
                raise typer.Exit(2) from None
            console.print(f"loaded {escape(f.name)}: {counted(r.nodes, 'node')}, {counted(r.relationships, 'relationship')}")
            with access_for(db, store_must_exist=False) as access:
                record_write(access, "demo", detail=f"{f}: {counted(r.nodes, 'node')}, {counted(r.relationships, 'relationship')}")
        st = S.stats(store)
        console.print(f"store {escape(str(db))}: {counted(st.node_total, 'node')}, {counted(st.relationship_total, 'relationship')}\n")

        console.rule("Exile: where the named defenders went")
        flows = answer(S.exile_flows(store, "country", current_viewer()), store)
        render_exile(flows, verbose=True)

        console.rule("Guilt by association")
        gba = answer(S.guilt_by_association(store), store)
        if gba:
            from .render import render_result

            render_result("guilt-by-association", gba, verbose=True)
        else:
            report = S.each(store, Q.SOURCE, [REPORT_SOURCE_ID])
            title = report[0]["title"] if report else "the report"
            console.print(Panel(
                Text(f"“{GUILT_BY_ASSOCIATION_QUOTE}”\n— {title}"),
                title="The report names no family member, so none is shown; in its own words:",
            ))

        console.rule("Laws and operations used against defenders")
        render_with_incidents("laws", answer(S.laws(store), store), verbose=True)
        render_with_incidents("operations", answer(S.operations(store), store), verbose=True)

        cases = answer(S.officials_cases(store), store)
        if not cases:
            console.print("officials-cases: no source in the dataset names the perpetrator of a documented incident.")

        console.print()
        try:
            written = write_demo_views(store, view, "repgraph demo: " + ", ".join(f.stem for f in files), current_viewer())
        except OSError as exc:
            print_file_error(exc, view)
            raise typer.Exit(1) from None
        for out in written:
            console.print(Text(f"interactive graph: {out}"), soft_wrap=True)
        exe = _command_name()
        # commands are printed whole (soft wrap): a line broken mid-command cannot be pasted
        console.print(Text(f"next: {exe} query search --param q=velasquez --db {db}"), soft_wrap=True)
        console.print(Text(f"      {exe} serve --db {db}"), soft_wrap=True)


__all__ = ["demo", "fold"]
