"""Datasets and their statements: ``show``, ``datasets``, ``retract``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import queries as Q
from .. import service as S
from ..disclosure import Role, disclose
from ..ingest.datasets import DatasetError, dataset_record, retract as retract_dataset
from ..models import EntityDetail
from . import app
from .common import (
    DbOption, FormatOption, OutputFormat, answer, console, current_viewer, input_id, print_error, print_json, store_for,
)
from ..wording import counted


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(v if isinstance(v, str) else v.get("name", str(v)) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)


def render_entity(detail: EntityDetail) -> None:
    """An entity page as tables: properties with the datasets stating each value, aliases,
    conflicts, each dataset's statement with its citations, relationships."""
    detail = disclose(detail)
    merged = f" (merged: also {', '.join(detail.referents)})" if detail.referents else ""
    t = Table(title=f"{detail.label} {detail.id}: {detail.name}{merged}")
    for col in ("property", "value", "stated by"):
        t.add_column(col, overflow="fold")
    for key, value in sorted(detail.properties.items()):
        if key in ("id", "aliases", "aliasTypes", "datasets"):
            continue
        t.add_row(Text(key), Text(_value(value)), Text(", ".join(detail.provenance.get(key, []))))
    console.print(t)
    if detail.aliases:
        a = Table(title="aliases")
        for col in ("name", "type", "stated by"):
            a.add_column(col, overflow="fold")
        for alias in detail.aliases:
            a.add_row(Text(alias.name), Text(alias.type), Text(", ".join(alias.datasets)))
        console.print(a)
    if detail.conflicts:
        c = Table(title="conflicts (the earliest-ingested dataset's value is shown)")
        for col in ("property", "shown", "values by dataset"):
            c.add_column(col, overflow="fold")
        for conflict in detail.conflicts:
            c.add_row(Text(conflict.property), Text(_value(conflict.shown)),
                      Text("; ".join(f"{v.dataset}: {_value(v.value)}" for v in conflict.values)))
        console.print(c)
    s = Table(title="statements by dataset (earliest ingested first)")
    for col in ("dataset", "values", "citations"):
        s.add_column(col, overflow="fold")
    for st in detail.statements:
        values = "\n".join(f"{k}: {_value(v)}" for k, v in st.values.items())
        cites = "\n".join(f"“{c.quote}” [{c.source}{', ' + c.page if c.page else ''}]" for c in st.citations)
        s.add_row(Text(f"{st.dataset}\n{st.title or ''}"), Text(values), Text(cites))
    console.print(s)
    if detail.relationships:
        r = Table(title=f"relationships ({len(detail.relationships)})")
        for col in ("type", "dir", "other", "stated by", "citations"):
            r.add_column(col, overflow="fold")
        for rel in detail.relationships:
            r.add_row(Text(rel.type), Text(rel.direction), Text(f"{rel.other.name} ({rel.other.id})"),
                      Text(", ".join(rel.datasets)), Text("\n".join(f"“{c.quote}” [{c.source}]" for c in rel.citations[:3])))
        console.print(r)


@app.command()
def show(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="The entity's id.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """One entity: properties with the datasets stating each value, typed aliases,
    conflicts between datasets, each dataset's statement with its citations, and
    relationships (the same data as the API's ``/entities/{id}``), as the ``--as`` role
    may see it. Exit 2 if unknown (or hidden from that role)."""
    with store_for(db) as store:
        try:
            from ..redaction import require_visible

            entity_id = input_id(store, entity_id)  # an opaque id the viewer was shown: the element's own
            require_visible(store, current_viewer(), entity_id)  # hidden, protected, or an id naming one: unknown
            detail = answer(S.entity(store, entity_id, viewer=current_viewer()), store)
        except S.NotFound as exc:
            print_error(exc)
            raise typer.Exit(2) from None
    if fmt is OutputFormat.json:
        print_json(detail)
    else:
        render_entity(detail)


@app.command()
def datasets(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """The datasets in the store, in ingest order (the earliest wins a conflict): name,
    title, file, first and last ingested, how many nodes and relationships each states.
    With ``--as viewer`` or ``--as analyst``, names, titles and file paths that name a
    person protected from that role are masked, as on entity pages."""
    with store_for(db) as store:
        rows = []
        for row in store.read(Q.DATASETS):
            record = dataset_record(store, row["name"]) or {}
            rows.append({
                "name": row["name"], "title": row.get("title"), "path": row.get("path"),
                "first_ingested": record.get("firstIngested"), "last_ingested": record.get("lastIngested"),
                "nodes": len(record.get("nodeIds") or []), "relationships": len(json.loads(record.get("rels") or "[]")),
            })
        viewer = current_viewer()
        if Role(viewer.role) is not Role.admin:  # a dataset or its file may be named after a protected person
            from ..redaction import redactor

            red = redactor(store, viewer)
            for r in rows:
                r.update({k: red.mask(r[k]) for k in ("name", "title", "path") if r[k]})
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    from .render import print_table

    t = Table(title="datasets (earliest ingested first)")
    # the name is the id `retract` takes, the file a path to copy, the times are single
    # words: none of them is ever split across lines
    t.add_column("name", no_wrap=True)
    t.add_column("title", overflow="fold")
    for col in ("file", "first ingested", "last ingested", "nodes", "relationships"):
        t.add_column(col, no_wrap=True)
    for r in rows:
        t.add_row(*(Text(str(r[k] if r[k] is not None else "")) for k in
                    ("name", "title", "path", "first_ingested", "last_ingested", "nodes", "relationships")))
    print_table(t)


@app.command()
def retract(
    dataset: Annotated[str, typer.Argument(help="The dataset name (a case file's dataset.name; see `repgraph datasets`).")],
    db: DbOption = None,
) -> None:
    """Remove every statement of one dataset, all-or-nothing: nodes and relationships no
    other dataset states are deleted, the others are re-projected from the remaining
    statements. Confidentiality levels are never lowered. Exit 2 (nothing changed) for an
    unknown dataset or when another dataset's relationship still uses a node only this one
    states."""
    from .users import access_for, record_write

    with store_for(db) as store, access_for(db) as access:
        try:
            change = retract_dataset(store, dataset)
        except DatasetError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        record_write(access, "retract", [*change.nodes_removed, *change.relationships_removed], f"dataset {dataset}")
    console.print(
        f"retracted {escape(dataset)}: {counted(len(change.nodes_removed), 'node')} and {counted(len(change.relationships_removed), 'relationship')} removed, "
        f"{counted(change.nodes_written, 'node')} and {counted(change.relationships_written, 'relationship')} re-projected"
    )
