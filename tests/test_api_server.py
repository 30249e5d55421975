"""The API as clients meet it: a real uvicorn server over HTTP (httpx), on both backends,
and ``repgraph serve`` as a user starts it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from api_access import bearer, keyed_app
from serving import wait_for_health

REPO = Path(__file__).resolve().parents[1]


class LiveServer:
    """uvicorn serving ``app`` on a free local port, in a thread; the client sends ``headers``."""

    def __init__(self, app, headers: dict[str, str] | None = None):
        self.headers = headers or {}
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> httpx.Client:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers=self.headers)
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=20)


def live(store, role: str = "admin") -> LiveServer:
    app, keys = keyed_app(store)
    return LiveServer(app, bearer(keys[role]))


@pytest.fixture
def seed_http(seed_store):
    with live(seed_store) as client:
        yield client


@pytest.fixture
def synthetic_http(synthetic_store):
    with live(synthetic_store) as client:
        yield client


def test_health_over_http(seed_http, seed_store):
    r = seed_http.get("/health", headers={"Authorization": ""})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == {"status": "ok", "backend": seed_store.backend}
    body = seed_http.get("/stats/counts").json()
    assert (body["backend"], body["node_total"], body["relationship_total"]) == (seed_store.backend, 87, 74)


def test_search_entities_over_http(seed_http):
    body = seed_http.get("/entities", params={"q": "velasquez", "limit": 1}).json()
    assert body["total"] == 7
    [hit] = body["items"]
    assert (hit["id"], hit["name"]) == ("person-yendri-velasquez", "Yendri Velásquez")
    assert any("Yendri Velásquez and Luis Peche" in c["quote"] for c in hit["citations"])


def test_read_entity_over_http(seed_http):
    body = seed_http.get("/entities/person-luis-peche").json()
    [exile] = [r for r in body["relationships"] if r["type"] == "EXILED_TO"]
    assert exile["other"]["id"] == "country-co"
    assert exile["citations"][0]["quote"] == "After receiving warnings of detention, he crossed the border into Colombia in high-risk conditions."


def test_exile_over_http(seed_http):
    body = seed_http.get("/stats/exile", params={"by": "country"}).json()
    assert [(g["key"], g["count"]) for g in body["groups"]] == [("Colombia", 2)]
    half_years = {s["period_start"]: s["value"] for s in body["statistics"] if s["period_start"] in ("2024-01", "2024-07")}
    assert half_years == {"2024-01": 7, "2024-07": 28}


def test_domain_questions_over_http(synthetic_http):
    gba = synthetic_http.get("/queries/guilt-by-association", params={"defender_id": "p-defender-alpha"}).json()
    assert [(g["relative"]["id"], g["relation"], g["incidents"][0]["id"]) for g in gba["items"]] == [
        ("p-brother-alpha", "brother", "inc-brother-interrogation"), ("p-mother-alpha", "mother", "inc-mother-raid")]
    chain = synthetic_http.get("/incidents/inc-alpha-detention/responsibility-chain").json()
    holders = {(l["entity"]["id"], l["below"]) for l in chain["links"] if l["kind"] == "holder" and l["role"] == "held"}
    assert holders == {("p-chief-delta", "pos-fpp-director"), ("p-minister-eps", "pos-minister")}
    cases = synthetic_http.get("/queries/officials-cases", params={"official_id": "p-agent-gamma"}).json()
    assert [(c["role"], c["incident"]["id"]) for c in cases["items"]] == [
        ("direct", "inc-alpha-detention"), ("participated", "inc-mother-raid")]
    ego = synthetic_http.get("/graph/ego/p-defender-alpha", params={"depth": 3, "max_nodes": 5}).json()
    assert (len(ego["nodes"]), ego["truncated"]) == (5, True)


def test_errors_over_http(synthetic_http):
    r = synthetic_http.get("/incidents/inc-none/responsibility-chain")
    assert (r.status_code, r.json()) == (404, {"detail": "no incident with id 'inc-none'"})
    r = synthetic_http.get("/graph/ego/p-defender-alpha", params={"depth": "deep"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "depth"]
    assert synthetic_http.get("/openapi.json").json()["info"]["title"] == "repgraph"
    assert "swagger" in synthetic_http.get("/docs").text.lower()


# --------------------------------------------------------------------------- repgraph serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_repgraph_serve(seed_store, request, tmp_path):
    """`repgraph serve` in its own process answers over HTTP, on the configured backend,
    to a key made with `repgraph users add`."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    where = []
    if seed_store.backend == "embedded":
        where = ["--db", seed_store.location]
    else:
        s = request.getfixturevalue("neo4j_settings")
        env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "", NEO4J_DATABASE=s["database"],
                   REPGRAPH_ACCESS_DB=str(tmp_path / "neo4j.access.db"))
    added = subprocess.run([sys.executable, "-m", "repgraph", "users", "add", "ana", "--role", "analyst", *where],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    key = added.stdout.strip()
    assert key.startswith("rg_") and "shown once" in added.stderr
    args = [sys.executable, "-m", "repgraph", "serve", "--port", str(port), *where]
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        r = wait_for_health(port, proc)
        assert r.status_code == 200 and r.json() == {"status": "ok", "backend": seed_store.backend}
        url = f"http://127.0.0.1:{port}/entities"
        assert httpx.get(url, params={"q": "peche"}).status_code == 401
        hits = httpx.get(url, params={"q": "peche"}, headers=bearer(key)).json()
        assert hits["items"][0]["id"] == "person-luis-peche"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_repgraph_serve_refuses_bad_configuration(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env["REPGRAPH_BACKEND"] = "neo4j"
    proc = subprocess.run([sys.executable, "-m", "repgraph", "serve", "--port", "0"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "needs NEO4J_URI" in proc.stderr
