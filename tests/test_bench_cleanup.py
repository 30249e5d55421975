"""The benchmark's API servers leave no access folder (with their keys) behind.

Regression: bench.serve removed its temporary access folder (an admin and a viewer key)
only through a clean stop; a server that exited at start, never answered, or a key that
could not be made left the folder in the temporary directory, as the 110 folders that
had piled up before. Real uvicorn processes, a real access file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    """The benchmark's module (``python -m bench`` from the checkout)."""
    import importlib

    monkeypatch.syspath_prepend(str(REPO))
    return importlib.import_module("bench.__main__")


def test_a_bench_server_that_fails_to_start_leaves_no_keys(bench, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # mkdtemp's folder: this test's
    # a setting the API refuses: uvicorn's factory raises and the process exits at once
    with pytest.raises(RuntimeError, match="(?s)uvicorn exited.*Input should be 'embedded' or 'neo4j'"):
        bench.serve({"REPGRAPH_BACKEND": "bogus"})
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("repgraph-bench-access-")] == []
    assert bench.ACCESS_FOLDERS == {}


def test_a_bench_server_that_answers_leaves_no_keys_after_stop(bench, tmp_path, monkeypatch):
    from repgraph.ingest import ingest_case_file
    from repgraph.schema import schema_statements
    from repgraph.store.embedded import EmbeddedStore

    db = tmp_path / "b.db"
    with EmbeddedStore(db) as store:
        store.apply_schema(schema_statements())
        ingest_case_file(store, SYNTHETIC)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    proc, url, headers = bench.serve({"REPGRAPH_BACKEND": "embedded", "REPGRAPH_DB": str(db)})
    try:
        [folder] = [p for p in tmp_path.iterdir() if p.name.startswith("repgraph-bench-access-")]
        assert (folder / "bench.access.db").is_file()
        import httpx

        r = httpx.get(f"{url}/entities/p-defender-alpha", headers=headers, timeout=10)
        assert r.status_code == 200 and r.json()["name"] == "Alfa Testdefender"
    finally:
        bench.stop(proc, url)
    assert not Path(folder).exists() and proc.poll() is not None


def _pids_with_env(needle: str) -> set[int]:
    """The pids of this account's processes whose environment holds ``needle``."""
    pids = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if needle.encode() in (d / "environ").read_bytes():
                    pids.add(int(d.name))
            except OSError:
                continue
    return pids


def test_a_terminated_bench_stops_its_servers_and_removes_their_folders(tmp_path):
    """Regression: ``kill`` (SIGTERM) of a running ``python -m bench`` skipped its
    ``finally`` blocks: its Neo4j server (1 GiB heap), API server and their temporary
    folders stayed. Now SIGTERM unwinds as Ctrl-C does. Shown on the embedded backend's
    API server (the Neo4j server is stopped by the same ``finally``)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPGRAPH_", "NEO4J_"))}
    env.update(TMPDIR=str(tmp_path), PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench", "--sizes", "60", "--backends", "embedded", "--runs", "1",
         "--samples", "1000000", "--server-warm-up", "0", "--only", "GET /entities/{id}",
         "--work", str(tmp_path / "work"), "--out", str(tmp_path / "results.json")],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, folder, server = time.monotonic() + 120, None, set()
        while time.monotonic() < deadline and not server:
            assert proc.poll() is None, proc.stderr.read()
            folders = [p for p in tmp_path.iterdir() if p.name.startswith("repgraph-bench-access-")]
            if folders:
                folder = folders[0]
                server = _pids_with_env(str(folder / "bench.access.db"))
            time.sleep(0.2)
        assert folder is not None and server, "the bench's API server never started"
        time.sleep(1)  # the server answers the measured calls
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not folder.exists()
    assert not {p for p in server if Path(f"/proc/{p}").exists()}, "the API server outlived the bench"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("repgraph-bench-")]
