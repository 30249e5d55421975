"""Every command, and ``repgraph serve``, warns about a store or access file every account
of the machine can read (README, "Who can read the files").

Regressions found by a newcomer pass (a store and access file made ``0644`` in a ``0755``
folder):
- ``repgraph users add|list|revoke`` and ``repgraph audit``, the commands that open the
  access file (key hashes, the audit log of who read whom), printed no warning at all:
  only commands that open the store warned;
- ``repgraph serve`` printed the warning without its ``warning:`` prefix (a bare log
  line), once per worker process;
- ``repgraph serve --workers 2`` died with a traceback (``Multiprocess.__init__() got an
  unexpected keyword argument 'target'``: uvicorn 0.30+ runs the workers' server itself).
Real CLI processes and a real server, under umask 022.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import SYNTHETIC
from test_private_files import cli, open_folder, umask_022  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parents[1]


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def _expected(db: Path, access: Path) -> list[str]:
    return [
        f"warning: the embedded store {db} can be read by every account of this machine ({db.name} 0644), and it "
        f"holds every name, protected persons' included: `chmod 600 {db}` makes it owner-only (README, \"Who can "
        "read the files\")",
        f"warning: the access file {access} can be read by every account of this machine ({access.name} 0644), and "
        f"it holds key hashes and the audit log of who read whom: `chmod 600 {access}` makes it owner-only (README, "
        "\"Who can read the files\")",
    ]


@pytest.fixture
def exposed(open_folder, umask_022):  # noqa: F811
    """A store and its access file, both 0644 in a folder every account may enter."""
    db = open_folder / "old.db"
    cli("ingest", SYNTHETIC, "--db", db)
    cli("users", "add", "ana-ficticia", "--role", "viewer", "--db", db)
    access = open_folder / "old.access.db"
    for f in (db, access):
        os.chmod(f, 0o644)
    return db, access


@pytest.mark.parametrize("command", [
    ["users", "list"],
    ["users", "list", "-f", "json"],
    ["users", "add", "pedro-ejemplo", "--role", "analyst"],
    ["users", "revoke", "ana-ficticia"],
    ["audit"],
    ["audit", "-f", "json"],
])
def test_the_commands_of_the_access_file_warn(exposed, command):
    db, access = exposed
    proc = cli(*command, "--db", db)
    assert _warnings(proc.stderr) == _expected(db, access)
    # the answer itself is unchanged
    if command[:2] == ["users", "list"]:
        assert "ana-ficticia" in proc.stdout


def test_an_owner_only_access_file_is_not_warned_about(exposed):
    db, access = exposed
    for f in (db, access):
        os.chmod(f, 0o600)
    for command in (["users", "list"], ["audit"]):
        assert _warnings(cli(*command, "--db", db).stderr) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_warns_once_with_the_warning_prefix(exposed, workers):
    """A real server: the warning is printed once, prefixed ``warning:`` like every other
    command's, before the workers start (not once per worker process, unprefixed), and
    with ``--workers 2`` the server starts both workers and answers."""
    db, access = exposed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    proc = subprocess.Popen([sys.executable, "-m", "repgraph", "serve", "--port", "0", "--workers", str(workers),
                             "--db", str(db)], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: list[str] = []
    started = threading.Event()

    def read():
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if line.count("Application startup complete") and \
                    sum("Application startup complete" in x for x in lines) >= workers:
                started.set()
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(90), lines
        time.sleep(0.5)  # a late log line of a worker would come now
        port = re.search(r"API on http://127\.0\.0\.1:(\d+) ", lines[0]).group(1)
        answers = [httpx.get(f"http://127.0.0.1:{port}/health", timeout=10) for _ in range(4)]
        assert [a.status_code for a in answers] == [200] * 4
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)
        reader.join(10)
    assert sum("Application startup complete" in x for x in lines) == workers, lines
    assert _warnings("\n".join(lines)) == _expected(db, access)
    assert not [x for x in lines if "can be read by every account" in x and not x.startswith("warning:")], lines
