"""``repgraph users add|list|revoke`` (API keys) and ``repgraph audit`` (the audit log).

Both work on the access file beside the store (:func:`repgraph.access.access_db_path`;
``REPGRAPH_ACCESS_DB`` overrides it). Every key change is itself audited.
"""

from __future__ import annotations

import getpass
import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Iterator

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from ..access import AccessDB, AccessError, UserError, Users, access_db_path, audit
from ..config import get_settings
from ..disclosure import Role
from . import app
from .common import (
    DbOption, FormatOption, OutputFormat, console, err_console, print_error, warn_exposed, warn_exposed_files,
)
from .render import print_table
from ..wording import counted

users_app = typer.Typer(help="API users and their keys (viewer: public data; analyst: + restricted; admin: everything).",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


def operator() -> str:
    """Who runs the command (the OS user), for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "cli"


def access_file(db: Path | None, store_must_exist: bool = True, warn: bool = False) -> Path:
    """The access file of the store ``--db`` or the environment configures (exit 1 on bad
    settings). Users and the audit log belong to a store: a missing embedded store is
    refused (exit 2, naming it) as every read command does, and nothing is created.
    ``warn``: print a ``warning:`` for the store or access file if every account of the
    machine can read it (:func:`repgraph.cli.common.warn_exposed`), for the commands that
    open no store (``users``, ``audit``, ``import-neo4j``): the others warn when they open it."""
    try:
        settings = get_settings(db=db)
    except (ValidationError, ValueError) as exc:
        print_error(f"configuration: {exc}")
        raise typer.Exit(1) from None
    if store_must_exist and settings.backend == "embedded" and not Path(settings.db).expanduser().is_file():
        print_error(f"no embedded store at {settings.db}: check the path (--db or $REPGRAPH_DB); "
                    "`repgraph ingest FILES --db PATH` creates one")
        raise typer.Exit(2)
    if warn:
        warn_exposed(settings)
    return access_db_path(settings)


@contextmanager
def access_for(db: Path | None, create: bool = True, store_must_exist: bool = True,
               warn: bool = False) -> Iterator[AccessDB | None]:
    """The access file of the store; with ``create=False`` (commands that only read) None
    when it does not exist yet, so reading never leaves a file behind. Commands that create
    the store (ingest, demo, import-ftm) pass ``store_must_exist=False``; commands that open
    no store pass ``warn=True`` (see :func:`access_file`)."""
    path = access_file(db, store_must_exist, warn)
    if not create and not path.exists():
        err_console.print(f"no access file at {escape(str(path))} yet: no users, nothing audited")
        yield None
        return
    warn_exposed_files(None, path)  # key hashes and who read whom: every command that opens it says so
    access = AccessDB(path)
    try:
        yield access
    except AccessError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    finally:
        access.close()


def record_write(access: AccessDB, command: str, ids=(), detail: str | None = None) -> None:
    """Audit a write command (``ingest``, ``retract``, ``merge``) by the operator: the ids
    written and a readable detail. Open ``access`` with :func:`access_for` *before*
    writing, so an unwritable audit log stops the command before it changes anything."""
    audit.record(access, user=operator(), role=Role.admin.value, action="write", target=command, ids=ids, detail=detail)


def record_ingest(access: AccessDB, path: Path, ids: list[str], result) -> None:
    """Audit one ingested case file: the ids it states (:func:`repgraph.ingest.writer.stated_ids`)."""
    record_write(access, "ingest", ids, f"{path}: {counted(result.nodes, 'node')}, {counted(result.relationships, 'relationship')} ({result.dataset})")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[Role, typer.Option("--role", help="viewer, analyst or admin.")] = Role.viewer,
    db: DbOption = None,
) -> None:
    """Create a user and print their API key once (it is stored only as a hash)."""
    with access_for(db, warn=True) as access:
        try:
            user, key = Users(access).add(name, role)
        except UserError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
        audit.record(access, user=operator(), role=Role.admin.value, action="key", target="users add",
                     detail=f"{user.name} ({user.role.value}, key id {user.key_id})")
        err_console.print(f"user {escape(user.name)} ({user.role.value}) added to {escape(str(access.path))}; "
                          "their key (shown once, send it as 'Authorization: Bearer KEY'):")
    typer.echo(key)


@users_app.command("list")
def users_list(db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Every user: name, role, public key id, created, revoked."""
    with access_for(db, create=False, warn=True) as access:
        users = Users(access).list() if access else []
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([{"name": u.name, "role": u.role.value, "key_id": u.key_id, "created_at": u.created_at,
                                "revoked_at": u.revoked_at} for u in users], indent=2))
        return
    table = Table("name", "role", "key id", "created", "revoked")
    for u in users:
        table.add_row(escape(u.name), u.role.value, u.key_id, u.created_at, u.revoked_at or "")
    console.print(table)


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="The user whose key stops working now.")], db: DbOption = None) -> None:
    """Revoke a user's key (also in a running server, from its next request)."""
    with access_for(db, warn=True) as access:
        try:
            user = Users(access).revoke(name)
        except UserError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
        audit.record(access, user=operator(), role=Role.admin.value, action="key", target="users revoke",
                     detail=f"{user.name} ({user.role.value}, key id {user.key_id})")
    console.print(f"revoked {escape(user.name)} (key id {user.key_id})")


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r}: expected a date or moment, e.g. 2026-11-29 or 2026-11-29T14:00") from None


@app.command("audit")
def audit_show(
    since: Annotated[str | None, typer.Option("--since", help="From this date or moment (UTC), e.g. 2026-11-29.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's entries.")] = None,
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The audit log, oldest first: protected reads, writes, key changes, refusals."""
    moment = _since(since)
    with access_for(db, create=False, warn=True) as access:
        found = audit.entries(access, since=moment, user=user) if access else []
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([vars(e) for e in found], ensure_ascii=False, indent=2))
        return
    table = Table("at (UTC)", "user", "role", "action", "target", "status", "ids", "detail")
    table.columns[0].no_wrap = True
    table.columns[6].no_wrap = True  # ids are never split: too narrow a terminal gets one block per entry
    for e in found:
        ids = ", ".join(e.ids[:3]) + (f" … (+{len(e.ids) - 3}; -f json lists all)" if len(e.ids) > 3 else "")
        table.add_row(e.at[:19], escape(e.user), e.role or "", e.action, escape(e.target), str(e.status or ""),
                      escape(ids), escape(e.detail or ""))
    print_table(table)
    err_console.print(counted(len(found), "entry", "entries"))
