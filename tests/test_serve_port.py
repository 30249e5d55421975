"""``repgraph serve`` binds its port before announcing it (issue 8 item 8).

On a busy port it printed "repgraph API on http://…" and then failed. Now the port is
bound first: a busy one is an error naming it (exit 1, no announcement); the announced
address is the one really listening (also with ``--port 0``). Real processes.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from conftest import SYNTHETIC
from serving import wait_for_health

REPO = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "repgraph", "ingest", str(SYNTHETIC), "--db", str(db)],
                   cwd=REPO, env=_env(), check=True, capture_output=True, timeout=120)
    return db


def test_serve_on_a_busy_port_fails_before_announcing(tmp_path):
    db = _db(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "repgraph", "serve", "--port", str(port), "--db", str(db)],
                              cwd=REPO, env=_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}: Address already in use" in proc.stderr
    assert "API on" not in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


def test_serve_announces_the_port_it_listens_on(tmp_path):
    db = _db(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "repgraph", "serve", "--port", "0", "--db", str(db)],
                            cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # the announcement comes first, once the port is bound
        m = re.search(r"repgraph API on http://127\.0\.0\.1:(\d+) ", line)
        assert m and int(m.group(1)) > 0, line
        r = wait_for_health(m.group(1), proc)
        assert r.status_code == 200 and r.json()["backend"] == "embedded"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
