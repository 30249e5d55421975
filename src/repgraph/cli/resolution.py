"""Entity resolution reviewed by a person: ``dedupe``, ``merge``, ``merge --not``, ``unmerge``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from .. import resolution as R
from . import app
from ..disclosure import Role
from ..redaction import redactor
from .render import print_table
from .users import access_for, record_write
from .common import (
    DbOption, FormatOption, OutputFormat, answer, console, current_viewer, err_console, print_error, print_json, store_for,
)

ByOption = Annotated[str | None, typer.Option("--by", help="Who decides (default: $REPGRAPH_USER or the login name).")]


def _by(by: str | None) -> str | None:
    return by or os.environ.get("REPGRAPH_USER")


def visible_candidates(store, found: list) -> list:
    """The pairs the command's viewer may review: a pair with an id they may not name (a
    protected person, a hidden element, an id naming one) is left out whole, since even a
    pseudonym beside a public record would say "this public person is that protected one"."""
    viewer = current_viewer()
    if Role(viewer.role) is Role.admin:
        return found
    red = redactor(store, viewer)
    return [c for c in found if not (red.refuses(c.a.id) or red.refuses(c.b.id))]


@app.command()
def dedupe(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Candidate pairs of ids that may be one person or organization, best first, with a
    score (0..1) and the reasons (name forms, shared identifiers, birth dates, shared
    links). Pairs already judged are left out. Nothing is joined: record a decision with
    ``repgraph merge A B --reason ...`` or ``repgraph merge --not A B``."""
    with store_for(db) as store:
        found = answer(visible_candidates(store, R.dedupe(store)), store)
    if fmt is OutputFormat.json:
        print_json(found)
        return
    t = Table(title=f"{len(found)} candidate pairs (review; nothing is joined by a score)")
    t.add_column("a", no_wrap=True)  # ids are never split: too narrow a terminal gets blocks
    t.add_column("name of a", overflow="fold")
    t.add_column("b", no_wrap=True)
    t.add_column("name of b", overflow="fold")
    t.add_column("score")
    t.add_column("reasons", overflow="fold")
    for c in found:
        reasons = "\n".join([*c.reasons, *([f"CONFLICT: {c.conflict}"] if c.conflict else [])])
        t.add_row(Text(c.a.id), Text(c.a.name or ""), Text(c.b.id), Text(c.b.name or ""), Text(f"{c.score:.2f}"), Text(reasons))
    print_table(t)


@app.command()
def merge(
    a: Annotated[str, typer.Argument(help="An id.")],
    b: Annotated[str, typer.Argument(help="Another id.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required for a merge).")] = None,
    not_: Annotated[bool, typer.Option("--not", help="Record that A and B are different entities.")] = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record a judgement on two ids: the same entity (``--reason`` required) or, with
    ``--not``, different (the pair is not proposed again). Who, when and why are kept in
    the store. A merge makes one entity of the two (id: the one that sorts first; both
    ids find it, with all statements of both). Exit 2 (nothing recorded) for an unknown id, a Person with an
    Organization, or a conflict with earlier judgements."""
    if not not_ and not reason:
        print_error("merge needs --reason TEXT (why A and B are one entity)")
        raise typer.Exit(2)
    with store_for(db) as store, access_for(db) as access:
        try:
            j = R.merge_not(store, a, b, reason, _by(by)) if not_ else R.merge(store, a, b, reason, _by(by))
        except R.JudgementError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        record_write(access, "merge --not" if not_ else "merge", [a, b], f"{j.verdict}: {reason or ''}".rstrip(": "))
        canonical = R.canonical(store, j.a) if j.verdict == "same" else None
    console.print(Text(f"recorded: {j.a} and {j.b} are {'the same entity' if j.verdict == 'same' else 'different'} "
                       f"(by {j.by}, {j.at}{', ' + j.reason if j.reason else ''})"))
    if canonical:
        console.print(Text(f"one entity now: {canonical} (either id finds it; `repgraph unmerge {j.a} {j.b}` reverses)"))


@app.command()
def unmerge(
    a: Annotated[str, typer.Argument(help="An id.")],
    b: Annotated[str, typer.Argument(help="The id it was merged with.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Reverse a merge: records that A and B are different (the merge stays in the
    judgement's history), so the pair is not proposed again, and splits the entity back
    into what the ids' statements say. Exit 2 if they were not merged."""
    with store_for(db) as store, access_for(db) as access:
        try:
            j = R.unmerge(store, a, b, reason, _by(by))
        except R.JudgementError as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        record_write(access, "unmerge", [a, b], reason)
    console.print(Text(f"recorded: {j.a} and {j.b} are different (by {j.by}, {j.at}); the merge is in the history; "
                       "they are separate entities again"))


def warn_duplicates(store, ids: set[str], limit: int = 20) -> None:
    """Print (stderr) a warning naming likely duplicates of ``ids``; never an error."""
    if not ids:
        return
    found = R.dedupe(store, only=ids)
    for c in found[:limit]:
        err_console.print(Text(f"warning: {c.a.id} ({c.a.name}) and {c.b.id} ({c.b.name}) may be one "
                               f"{(c.a.label or 'entity').lower()} (score {c.score:.2f}: {'; '.join(c.reasons)})"))
    if len(found) > limit:
        err_console.print(f"warning: {len(found) - limit} more candidate pairs")
    if found:
        err_console.print("review with `repgraph dedupe`; record with `repgraph merge A B --reason ...` or `repgraph merge --not A B`")
