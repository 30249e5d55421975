"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Iterator

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from ..config import get_settings
from ..disclosure import DEFAULT_VIEWER, Role, Viewer, disclose
from ..store import GraphStore, StoreError, StoreMissing, open_store

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # error lines stay whole for grep and logs

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Embedded store file (default: $REPGRAPH_DB or ./repgraph.db; NEO4J_URI selects Neo4j instead)."),
]


AsOption = Annotated[
    Role | None,
    typer.Option("--as", help="Show what this role would see: viewer (public data), analyst (public and restricted) "
                              "or admin (everything; the default: the CLI is the admin's tool on their own machine)."),
]

_viewer: list[Viewer] = [DEFAULT_VIEWER]


def set_viewer(role: Role | None) -> None:
    """The viewer of this command line (``--as ROLE``; admin when not given)."""
    if role is None:
        _viewer[0] = DEFAULT_VIEWER
        return
    import getpass

    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment
        user = "local"
    _viewer[0] = Viewer(name=f"cli:{user}", role=Role(role))


def current_viewer() -> Viewer:
    return _viewer[0]


def input_id(store: GraphStore, value: str | None, viewer: Viewer | None = None) -> str | None:
    """An id the command's viewer (or ``viewer``) typed, as the store knows it: an opaque
    id they were shown for an element whose id names a protected person (by this or any
    other command or server over the store's access file) becomes the real id, accepted
    by this command's checks (:func:`repgraph.redaction.require_visible`); any other id,
    and every id for an admin, unchanged."""
    viewer = viewer or current_viewer()
    if value is None or Role(viewer.role) is Role.admin:
        return value
    from ..redaction import redactor, resolved_ids

    real = redactor(store, viewer).resolve(value)
    if real != value:
        resolved_ids(frozenset({real}))
    return real


def answer(value: Any, store: GraphStore) -> Any:
    """``value`` as the command's viewer may see it (the one exit of every CLI answer:
    call it while ``store`` is open)."""
    return disclose(value, current_viewer(), store)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json")]


def terminal_text(value: str) -> str:
    """A command-line value as the user typed it, also under a non-UTF-8 locale.

    With ``LANG=C`` Python decodes arguments as ASCII and keeps other bytes as surrogate
    escapes, so ``q=velásquez`` would search for "vel\\udcc3\\udca1squez" and find nothing.
    The bytes are re-read as UTF-8 when they are UTF-8; otherwise the value is unchanged.
    (Not for file paths: those must stay in the file system's encoding.)
    """
    try:
        return os.fsencode(value).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return value


def print_error(problem: object) -> None:
    """One red ``error:`` line on stderr; the text is data, never rich markup."""
    err_console.print(f"[red]error:[/] {escape(str(problem))}")


def print_file_error(exc: OSError, path: object) -> None:
    """One ``error:`` line naming the file (or folder) that could not be written: the
    OSError's own when it names one (a missing folder, --judgements' file), else ``path``."""
    print_error(f"{exc.filename or path}: {exc.strerror or exc}")


def command_target() -> str:
    """The running command as the audit log names it: ``repgraph`` and the command path
    with its arguments (``repgraph show p-x``, ``repgraph query guilt-by-association``);
    options are left out."""
    try:  # typer >= 0.2x carries its own copy of click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older typer: click itself
        from click import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return "repgraph"
    chain = []
    c = ctx
    while c is not None and c.parent is not None:
        chain.append(c)
        c = c.parent
    words = ["repgraph"]
    for c in reversed(chain):
        words.append(c.info_name or "")
        for param in c.command.params:
            if getattr(param, "param_type_name", None) == "argument":
                value = c.params.get(param.name)
                if value is not None:
                    words.extend(str(v) for v in value) if isinstance(value, (list, tuple)) else words.append(str(value))
    return " ".join(w for w in words if w)


def warn_exposed(settings) -> None:
    """A ``warning:`` line on stderr for each file of the configured embedded store and
    access file that every account of the machine can read (a store made before files
    were created owner-only); see :func:`repgraph.private_files.exposure_warnings`."""
    from ..access import access_db_path

    warn_exposed_files(settings.db if settings.backend == "embedded" else None, access_db_path(settings))


def warn_exposed_files(store_path: Path | str | None, access_path: Path | str | None) -> None:
    """:func:`warn_exposed` for these files (``None``: none): every command that opens a
    store (:func:`store_for`) or an access file (``users``, ``audit``:
    :func:`repgraph.cli.users.access_for`) calls it; each warning is printed once per
    command."""
    from ..private_files import exposure_warnings

    ctx = _click_context()
    shown: set[str] = ctx.meta.setdefault("repgraph.exposure_warnings", set()) if ctx is not None else set()
    for line in exposure_warnings(store_path, access_path):
        if line not in shown:
            shown.add(line)
            err_console.print(f"[yellow]warning:[/] {escape(line)}")


def _click_context():
    try:  # typer >= 0.2x carries its own copy of click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older typer: click itself
        from click import get_current_context

    return get_current_context(silent=True)


@contextmanager
def audited_reads(settings, access=None) -> Iterator[None]:
    """Within the block, every disclosure that shows the command's viewer restricted or
    confidential elements appends a ``read`` entry to the store's audit log at once, before
    the answer is printed (who: the OS user, and the ``--as`` role; what: the command;
    which ids), through the same disclosure listener the API uses. When the log (or the
    pseudonym registry beside it) cannot be written the command prints why and exits 1
    without its answer. ``access``: the :class:`~repgraph.access.AccessDB` to use (default:
    the settings' access file); closed at the end of the block either way."""
    from ..access import AccessDB, AccessError, access_db_path, audit
    from .users import operator

    if access is None:
        access = AccessDB(access_db_path(settings))  # opened (and created) only when a protected read happens
    ctx = audit.AuditContext(db=access, target=command_target(), immediate=True, user=operator())
    token = audit.current.set(ctx)
    try:
        yield
    except AccessError as exc:
        print_error(f"the access file (audit log, pseudonyms) cannot be written; the answer is withheld: {exc}")
        raise typer.Exit(1) from None
    finally:
        audit.current.reset(token)
        access.close()


@contextmanager
def store_for(db: Path | None, create: bool = False) -> Iterator[GraphStore]:
    """Open the configured store; on failure print the reason and exit 1.

    Only commands that write pass ``create=True``: for every other command a store that
    does not exist is an error naming the path (exit 2), and no file is left behind.
    Reads of restricted or confidential elements while the store is open are audited
    (:func:`audited_reads`), and the store's pseudonym registry (in the same access file,
    :mod:`repgraph.access.pseudonyms`) is attached to it, so a ``--as viewer`` command shows
    the opaque ids and pseudonym numbers every other command and server over the store
    shows. The access file is opened (and created) only when something protected is read
    or redacted: an admin's command never creates it.
    """
    try:
        settings = get_settings(db=db)
        warn_exposed(settings)  # before opening: the -wal and -shm this command makes are not named
        store = open_store(settings, create=create)
    except StoreMissing as exc:
        print_error(exc)
        raise typer.Exit(2) from None
    except (StoreError, ValueError) as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    from ..access import AccessDB, Pseudonyms, access_db_path
    from ..redaction import attach, own_ids_scope

    access = AccessDB(access_db_path(settings))  # lazy: no file until a statement runs
    attach(store, Pseudonyms(access))
    try:
        with audited_reads(settings, access), own_ids_scope():
            yield store
    except StoreError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    finally:
        store.close()


def to_jsonable(value: Any) -> Any:
    """Result models (already passed through :func:`answer`) as JSON-ready data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))
