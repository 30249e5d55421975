"""Core commands: ingest, query, schema, stats."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .. import accountability as A
from .. import service as S
from ..ingest import CaseFileError, load_case_file
from ..ingest.bulk import BulkNeo4j, parsed_ahead
from ..ingest.writer import element_count, expand_paths, write_case
from .. import queries as Q
from ..ontology import IncidentType, case_file_json_schema
from ..queries import NAMED_QUERIES
from ..schema import schema_statements
from . import app
from .common import (
    DbOption, FormatOption, OutputFormat, answer, console, current_viewer, input_id, err_console, print_error, print_json, store_for,
    terminal_text,
)
from .resolution import warn_duplicates
from ..wording import counted

#: Files with more elements than this get a progress bar.
PROGRESS_THRESHOLD = 500


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Case files (.yaml/.yml/.json) or folders of them.")],
    db: DbOption = None,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="Neo4j, large sources: commit every 10,000 rows and parse the next file while writing "
                       "(faster; a store failure mid-file leaves part of that file written: re-run to finish).")] = False,
) -> None:
    """Validate and write case files: idempotent, all-or-nothing per file.

    On bad input prints FILE, record and field and writes nothing of that file (exit 2).
    ``--bulk`` (Neo4j) gives up all-or-nothing per file for throughput; see
    :mod:`repgraph.ingest.bulk`.
    """
    from ..ingest.writer import stated_ids
    from .users import access_for, record_ingest

    try:  # read before the store is opened: a bad first file (or an empty folder) creates no store, no access file
        files = expand_paths(paths)
        first = load_case_file(files[0]) if files else None
    except CaseFileError as exc:
        print_error(exc)
        err_console.print("nothing was written from that file")
        raise typer.Exit(2) from None
    with store_for(db, create=True) as store, access_for(db, store_must_exist=False) as access:
        store.apply_schema(schema_statements())
        written: set[str] = set()
        added_nodes = added_relationships = 0
        bulk_mode = bulk and store.backend == "neo4j"
        head = [(files[0], first)] if files else []
        rest = parsed_ahead(files[1:]) if bulk_mode else ((p, None) for p in files[1:])
        parsed = itertools.chain(head, rest)
        writer = BulkNeo4j(store) if bulk_mode else store
        for path, case in parsed:
            try:
                if isinstance(case, CaseFileError):
                    raise case
                case = case or load_case_file(path)
                total = element_count(case)
                if total > PROGRESS_THRESHOLD:
                    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=err_console) as bar:
                        task = bar.add_task(f"ingest {path.name}", total=total)
                        result = write_case(writer, case, path, lambda n: bar.advance(task, n))
                else:
                    result = write_case(writer, case, path)
            except CaseFileError as exc:
                print_error(exc)
                err_console.print("nothing was written from that file")
                raise typer.Exit(2) from None
            record_ingest(access, path, stated_ids(case), result)
            console.print(f"[green]ok[/] {escape(str(path))}: {counted(result.nodes, 'node')}, "
                          f"{counted(result.relationships, 'relationship')} ({escape(result.dataset)})")
            added_nodes += result.nodes_created
            added_relationships += result.relationships_created
            written.update(n.id for n in case.nodes if n.label in ("Person", "Organization"))
            if result.removed_nodes or result.removed_relationships:
                removed = [*result.removed_nodes, *result.removed_relationships]
                console.print(Text(f"   no longer stated by any dataset, removed: {', '.join(removed)}"))
        warn_duplicates(store, written)
        after = S.stats(store)
        # "+N": what this run created (counted in its own transactions), not the change in
        # the totals, which includes what concurrent ingests wrote meanwhile.
        console.print(
            f"store {escape(str(after.location))} ({after.backend}): {counted(after.node_total, 'node')} ({added_nodes:+d}), "
            f"{counted(after.relationship_total, 'relationship')} ({added_relationships:+d})"
        )


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of the case-file format (generated from the ontology)."""
    text = json.dumps(case_file_json_schema(), indent=2, ensure_ascii=False)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {escape(str(output))}")
    else:
        typer.echo(text)


@app.command()
def stats(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Node counts per label and relationship counts per type."""
    with store_for(db) as store:
        result = answer(S.stats(store), store)
    if fmt is OutputFormat.json:
        print_json(result)
        return
    table = Table(title=f"{result.location} ({result.backend})")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in result.nodes.items():
        table.add_row("node", label, str(n))
    for rel, n in result.relationships.items():
        table.add_row("relationship", rel, str(n))
    table.add_row("", "[b]total nodes[/]", str(result.node_total))
    table.add_row("", "[b]total relationships[/]", str(result.relationship_total))
    console.print(table)


def _parse_params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{item!r}: expected key=value", param_hint="--param")
        key = key.strip().replace("-", "_")
        if key in out:
            raise typer.BadParameter(f"{key} given twice", param_hint="--param")
        out[key] = terminal_text(value)
    return out


def _required(params: dict[str, str], key: str, query: str) -> str:
    if not params.get(key):
        raise ValueError(f"{query} needs --param {key}=...")
    return params[key]


#: The issue-11 questions, answered by repgraph.accountability (string params as given).
ACCOUNTABILITY_QUERIES = {
    "sanctioned-as-of": lambda st, p: A.sanctioned_as_of(st, _required(p, "date", "sanctioned-as-of"), p.get("authority")),
    "sanctions-gap": lambda st, p: A.sanctions_gap(st, _required(p, "by", "sanctions-gap"), _required(p, "not_by", "sanctions-gap"),
                                                   p.get("date"), current_viewer()),
    "relatives-and-associates": lambda st, p: A.relatives_and_associates(st, p.get("person_id"), current_viewer()),
    "command-responsibility": lambda st, p: A.command_responsibility(st, _required(p, "person_id", "command-responsibility")),
    "evidence-strength": lambda st, p: A.evidence_strength(st, p.get("incident_id"), p.get("perpetrator_id")),
}


#: Named-query parameters that name an entity by id.
ID_PARAMS = ("defender_id", "official_id", "incident_id", "person_id", "perpetrator_id")


def run_named_query(store, name: str, params: dict[str, str]):
    """Answer a named query (see :data:`repgraph.queries.NAMED_QUERIES`) with string params,
    for the command's viewer (``--as``)."""
    from ..merging import canonical
    from ..redaction import require_visible

    viewer = current_viewer()
    # a merged-away id answers its merged entity, as on the API and in `show`
    # an opaque id the viewer was shown (an element whose id names a protected person): its own id
    params = {k: input_id(store, v) if k in ID_PARAMS else v for k, v in params.items()}
    params = {k: canonical(store, v) if k in ID_PARAMS and v is not None else v for k, v in params.items()}
    require_visible(store, viewer, *(params.get(k) for k in ID_PARAMS))
    spec = NAMED_QUERIES[name]
    unknown = set(params) - set(spec.params)
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(sorted(unknown))} for {name}; known: {', '.join(spec.params) or 'none'}")
    # the same checks as the API: a typo must not answer "nothing found"
    for key in ID_PARAMS:
        if params.get(key) is not None and not S.each(store, Q.ENTITY, [params[key]]):
            raise S.NotFound(f"{key}: no entity with id {params[key]!r}")
    if params.get("incident_type") is not None and params["incident_type"] not in IncidentType.__members__:
        raise ValueError(f"incident_type: one of {', '.join(IncidentType.__members__)}")
    if name == "guilt-by-association":
        return S.guilt_by_association(store, params.get("defender_id"))
    if name == "officials-cases":
        return S.officials_cases(store, params.get("official_id"), params.get("incident_type"))
    if name == "responsibility-chain":
        if "incident_id" not in params:
            raise ValueError("responsibility-chain needs --param incident_id=ID")
        return S.responsibility_chain(store, params["incident_id"])
    if name == "exile-flows":
        return S.exile_flows(store, params.get("by", "country"), viewer)
    if name == "search":
        if "q" not in params:
            raise ValueError("search needs --param q=TEXT")
        try:
            limit, offset = int(params.get("limit", 20)), int(params.get("offset", 0))
        except ValueError:
            raise ValueError("limit and offset are whole numbers") from None
        if not (1 <= limit <= 1000 and offset >= 0):
            raise ValueError("limit: 1 to 1000; offset: 0 or more")
        return S.search(store, params["q"], params.get("type"), limit, offset, viewer=viewer)
    if name in ACCOUNTABILITY_QUERIES:
        return ACCOUNTABILITY_QUERIES[name](store, params)
    if name == "laws":
        return S.laws(store)
    if name == "operations":
        return S.operations(store)
    raise ValueError(f"no handler for {name}")  # pragma: no cover - registry and handlers agree (tested)


def _queries_help() -> str:
    """Each named query with its parameters, for ``query --help`` (one paragraph each)."""
    lines = []
    for q in NAMED_QUERIES.values():
        params = "; ".join(f"{k}: {v}" for k, v in q.params.items()) or "no parameters"
        lines.append(f"{q.name}: {q.summary} Parameters: {params}.")
    return "\n\n".join(lines)


@app.command(epilog="Queries and their -p parameters:\n\n" + _queries_help()
             + "\n\nExample: repgraph query search -p q=velasquez -p type=Person")
def query(
    name: Annotated[str, typer.Argument(help="One of: " + ", ".join(NAMED_QUERIES))],
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value, repeatable (see the list below)")] = [],  # noqa: B006
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Tables: the verbatim quote of every citation.")] = False,
) -> None:
    """Run a named query. Parameters as --param key=value."""
    if name not in NAMED_QUERIES:
        print_error(f"unknown query {name!r}; known: {', '.join(NAMED_QUERIES)}")
        raise typer.Exit(2)
    params = _parse_params(param)
    with store_for(db) as store:
        try:
            result = answer(run_named_query(store, name, params), store)
        except (ValueError, S.NotFound) as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        note = None
        if name == "guilt-by-association" and not result:
            from ..empty_answers import guilt_by_association_note

            note = guilt_by_association_note(store, params.get("defender_id"), current_viewer())
    if fmt is OutputFormat.json:
        print_json(result)
        if note:  # stdout stays the answer's JSON; the reason goes beside it
            err_console.print(f"note: {note}", markup=False)
    else:
        from .render import render_result

        render_result(name, result, verbose=verbose, note=note)


@app.command("list")
def list_(
    label: Annotated[str, typer.Argument(help="A node label: Incident, Person, Organization, Law, Operation, ...")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Page size.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many (id order).")] = 0,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Tables: the verbatim quote of every citation.")] = False,
) -> None:
    """List the nodes of one label, without a search word, in id order, one page at a time,
    as the ``--as`` role may see them (hidden nodes neither listed nor counted; persons
    shown under a pseudonym last, never placed by their real ids)."""
    from ..listing import list_entities

    with store_for(db) as store:
        try:
            page = answer(list_entities(store, label, limit, offset, current_viewer()), store)
        except ValueError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
    if fmt is OutputFormat.json:
        return print_json(page)
    from .render import render_list

    render_list(page, verbose)
