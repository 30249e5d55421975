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
from ..disclosure import disclose
from ..store import GraphStore, StoreError, StoreMissing, open_store

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # error lines stay whole for grep and logs

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Embedded store file (default: $REPGRAPH_DB or ./repgraph.db; NEO4J_URI selects Neo4j instead)."),
]


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


@contextmanager
def store_for(db: Path | None, create: bool = False) -> Iterator[GraphStore]:
    """Open the configured store; on failure print the reason and exit 1.

    Only commands that write pass ``create=True``: for every other command a store that
    does not exist is an error naming the path (exit 2), and no file is left behind.
    """
    try:
        store = open_store(get_settings(db=db), create=create)
    except StoreMissing as exc:
        print_error(exc)
        raise typer.Exit(2) from None
    except (StoreError, ValueError) as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    try:
        yield store
    except StoreError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    finally:
        store.close()


def to_jsonable(value: Any) -> Any:
    """Result models (after disclosure) as JSON-ready data."""
    value = disclose(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    typer.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))
