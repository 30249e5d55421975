"""``repgraph serve``: the HTTP API (see repgraph.api).

Worker model: uvicorn starts ``--workers`` processes (default 1); each runs one event
loop, answers routes in a thread pool (40 threads) and costly analytics in a worker
thread under the request budget. Python runs one thread of CPU work at a time per
process, so CPU-heavy concurrent load scales with processes, up to the machine's cores.
"""

from __future__ import annotations

import errno
import os
import socket
from typing import Annotated

import typer
from rich.markup import escape

from . import app
from .common import DbOption, err_console, print_error, warn_exposed

#: Environment the workers read their options from (set by ``serve`` for its own children).
OPEN_ENV = "REPGRAPH_SERVE_OPEN"


def app_from_env():
    """The factory uvicorn's workers call: settings from the environment ``serve`` set.
    ``serve`` has already warned about a store or access file every account can read."""
    from ..api import create_app

    return create_app(open_access=os.environ.get(OPEN_ENV) == "1", warn_exposed=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes (CPU-heavy load scales with them, up to the cores).")] = 1,
    open_: Annotated[bool, typer.Option("--open", help="No keys: every request is a 'viewer' (public data only). For one person on their own machine.")] = False,
    db: DbOption = None,
) -> None:
    """Serve the query API (OpenAPI at /openapi.json, docs at /docs); every data route needs a key."""
    import uvicorn
    from pydantic import ValidationError

    from ..access import access_db_path
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
    if db is not None:
        os.environ["REPGRAPH_DB"] = str(db)
        os.environ["REPGRAPH_BACKEND"] = "embedded"
    os.environ[OPEN_ENV] = "1" if open_ else "0"
    where = settings.neo4j_uri if settings.backend == "neo4j" else settings.db
    bound = sock.getsockname()[1]
    err_console.print(f"repgraph API on http://{host}:{bound} ({settings.backend}: {escape(str(where))}); docs at /docs; "
                      f"{workers} worker process{'es' if workers > 1 else ''}")
    err_console.print(f"users and audit log: {escape(str(access_db_path(settings)))}; answering Host: {escape(str(settings.allowed_hosts))}")
    if open_:
        err_console.print("[yellow]--open: requests without a key are served as 'viewer' (public data only); "
                          "restricted and confidential data still need a key. For one person on their own machine.[/]")
    else:
        err_console.print("every data route needs 'Authorization: Bearer KEY' (create keys with 'repgraph users add')")
    # once, as every command warns (the app's own log line would come once per worker, unprefixed)
    warn_exposed(settings)
    # An import string and a factory: worker processes build their own app from the environment.
    config = uvicorn.Config("repgraph.cli.serve:app_from_env", factory=True, host=host, port=bound, workers=workers)
    server = uvicorn.Server(config)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        import inspect

        # uvicorn before 0.30 took the worker's target; later ones run a Server of the config
        if "target" in inspect.signature(Multiprocess.__init__).parameters:
            Multiprocess(config, target=server.run, sockets=[sock]).run()
        else:
            Multiprocess(config, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])


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
