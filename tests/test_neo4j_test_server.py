"""scripts/neo4j-test-server reports ready only for its own server (issue 8 item 7).

``start --port P`` with P taken printed "ready", exited 0 and wrote an env file pointing at
the other server (its own JVM had died with "Address already in use"). Now a taken port
fails at once, and readiness means: this JVM holds the listening socket and Bolt accepts
this home's credentials. Real sockets, the real script, the session's real Neo4j.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "neo4j-test-server"

# The start path runs after the jars are fetched (cached by CI's `fetch`): marked neo4j so
# CI fails rather than skips it.
pytestmark = pytest.mark.neo4j


def _script():
    loader = importlib.machinery.SourceFileLoader("neo4j_test_server", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


nts = _script()


@pytest.fixture(scope="module")
def jars():
    if not nts._lib_complete(nts.lib_dir(), nts.neo4j_version()):
        pytest.skip(f"Neo4j jars not cached in {nts.lib_dir()} (run scripts/neo4j-test-server fetch)")


def _start(home: Path, port: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "start", "--dir", str(home), "--port", str(port),
                           "--timeout", "120"], capture_output=True, text=True, timeout=300)


def test_start_on_a_port_taken_by_a_socket_fails(jars, tmp_path):
    home = tmp_path / "n4j"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _start(home, port)
    assert proc.returncode != 0
    assert proc.stdout == ""  # no URI printed
    assert f"port {port} on 127.0.0.1 is already in use" in proc.stderr
    assert " ready on " not in proc.stderr
    assert not (home / "neo4j.env").exists() and not (home / "neo4j.pid").exists()


def test_start_on_the_port_of_another_neo4j_fails(jars, neo4j_settings, tmp_path):
    """The issue's instance: P is a running Neo4j's Bolt port."""
    uri = urlparse(neo4j_settings["uri"])
    if uri.hostname not in ("127.0.0.1", "localhost"):
        pytest.skip("the test server is not on this machine's loopback")
    home = tmp_path / "n4j"
    home.mkdir()
    (home / nts.HOME_MARKER).write_text("")
    (home / "neo4j.env").write_text("REPGRAPH_TEST_NEO4J_URI=bolt://stale\n")  # from an earlier start
    proc = _start(home, uri.port)
    assert proc.returncode != 0 and f"port {uri.port} on 127.0.0.1 is already in use" in proc.stderr
    assert not (home / "neo4j.env").exists()


def test_bolt_login_checks_the_credentials(neo4j_settings):
    uri = urlparse(neo4j_settings["uri"])
    if uri.hostname not in ("127.0.0.1", "localhost") or not neo4j_settings["password"]:
        pytest.skip("needs the loopback test server with auth")
    assert nts.bolt_login(uri.port, neo4j_settings["user"], neo4j_settings["password"])
    assert not nts.bolt_login(uri.port, neo4j_settings["user"], "another-home-password")


class _AnyLoginBolt:
    """A stand-in for "another server on the port": completes the Bolt 4.4 handshake and
    answers SUCCESS to any HELLO."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.recv(20)
                    conn.sendall(b"\x00\x00\x04\x04")
                    size = struct.unpack(">H", conn.recv(2))[0]
                    conn.recv(size + 2)
                    conn.sendall(b"\x00\x03\xb1\x70\xa0\x00\x00")
                except (OSError, struct.error):  # a client that only did the handshake
                    pass


def test_ready_needs_this_process_to_hold_the_port():
    fake = _AnyLoginBolt()
    try:
        assert nts.bolt_answers(fake.port) and nts.bolt_login(fake.port, "neo4j", "anything")
        # the port is held by this test process, not by a (would-be) server started elsewhere
        assert nts.owns_port(os.getpid(), fake.port)
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            assert not nts.owns_port(child.pid, fake.port)
        finally:
            child.kill()
            child.wait()
    finally:
        fake.sock.close()
