"""``repgraph serve``: the HTTP API (see repgraph.api)."""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer

from . import app
from .common import DbOption, err_console, print_error


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the query API (OpenAPI at /openapi.json, interactive docs at /docs)."""
    import uvicorn
    from pydantic import ValidationError

    from ..api import create_app
    from ..config import get_settings
    from ..store import StoreError, StoreMissing, open_store

    try:
        settings = get_settings(db=db)
    except ValidationError as exc:
        reasons = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        print_error(f"configuration: {reasons}")
        raise typer.Exit(1) from None
    if settings.backend == "embedded":
        # A mistyped --db is an error now, not an API answering "nothing found" (Neo4j may
        # be down at start: the API then answers 503 until it is back).
        try:
            open_store(settings).close()
        except StoreMissing as exc:
            print_error(exc)
            raise typer.Exit(2) from None
        except StoreError as exc:
            print_error(exc)
            raise typer.Exit(1) from None
    try:
        sock = listen_socket(host, port)  # before announcing anything: a busy port fails here
    except OSError as exc:
        print_error(f"cannot listen on {host}:{port}: {exc.strerror or exc}"
                    + (" (another server is using that port; choose another with --port)"
                       if exc.errno == errno.EADDRINUSE else ""))
        raise typer.Exit(1) from None
    where = settings.neo4j_uri if settings.backend == "neo4j" else settings.db
    bound = sock.getsockname()[1]
    err_console.print(f"repgraph API on http://{host}:{bound} ({settings.backend}: {where}); docs at /docs")
    uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=bound)).run(sockets=[sock])


def listen_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (port 0: a free one), as uvicorn would bind it.
    Raises OSError (e.g. EADDRINUSE) when it cannot be bound."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
