"""Hardening of the served API, measured against a real uvicorn server (issue 10):
host allow-list, security headers, no CORS unless configured, the docs page from
vendored assets in a real Chromium, 422 answers that do not echo huge input, and the
request budget (503 with the reason; work stops when the client leaves)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import Request

from api_access import bearer, keyed_app, new_access
from repgraph import budget
from repgraph.api.bounded import run_bounded
from repgraph.config import Settings
from test_api_server import LiveServer

CHROMIUM = "/usr/bin/chromium"


def served(store, settings: Settings | None = None, role: str = "admin", **kwargs) -> LiveServer:
    app, keys = keyed_app(store, settings=settings, **kwargs)
    server = LiveServer(app, bearer(keys[role]))
    server.app = app
    return server


@pytest.fixture
def http(synthetic_store):
    with served(synthetic_store) as client:
        yield client


# --------------------------------------------------------------------------- hosts


def test_other_host_header_is_refused(http):
    r = http.get("/entities", params={"q": "alfa"}, headers={"Host": "evil.example"})
    assert (r.status_code, r.text) == (400, "Invalid host header")
    assert "Alfa" not in r.text
    for host in ("localhost", "127.0.0.1", f"localhost:{http.base_url.port}", "[::1]:8000"):
        assert http.get("/entities", params={"q": "alfa"}, headers={"Host": host}).status_code == 200, host
    assert http.get("/health", headers={"Host": "evil.example"}).status_code == 400


def test_allowed_hosts_configurable(synthetic_store):
    settings = Settings(REPGRAPH_BACKEND="embedded", REPGRAPH_ALLOWED_HOSTS="cases.example, *.cases.example")
    with served(synthetic_store, settings) as client:
        assert client.get("/health", headers={"Host": "cases.example"}).status_code == 200
        assert client.get("/health", headers={"Host": "a.cases.example"}).status_code == 200
        assert client.get("/health").status_code == 400  # loopback is no longer listed


# --------------------------------------------------------------------------- headers


def test_security_headers_on_data(http):
    for r in (http.get("/entities", params={"q": "alfa"}), http.get("/health"), http.get("/nothing-here"),
              http.get("/entities", headers={"Authorization": ""})):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"
        assert r.headers["content-security-policy"].startswith("default-src 'none'")
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_view_policy_is_its_own_with_frame_ancestors(http):
    r = http.get("/viz/exile")
    policy = r.headers["content-security-policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in r.text and policy.endswith("frame-ancestors 'none'")
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert r.headers["cache-control"] == "no-store"


def test_no_cors_unless_configured(synthetic_store):
    origin = {"Origin": "https://elsewhere.example"}
    with served(synthetic_store) as client:
        r = client.get("/entities", params={"q": "alfa"}, headers=origin)
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
        pre = client.options("/entities", headers={**origin, "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in pre.headers
    settings = Settings(REPGRAPH_BACKEND="embedded", REPGRAPH_CORS_ORIGINS="https://ally.example")
    with served(synthetic_store, settings) as client:
        ally = {"Origin": "https://ally.example"}
        assert client.get("/entities", params={"q": "alfa"}, headers=ally).headers["access-control-allow-origin"] == "https://ally.example"
        assert "access-control-allow-origin" not in client.get("/entities", params={"q": "alfa"}, headers=origin).headers
        pre = client.options("/entities", headers={**ally, "Access-Control-Request-Method": "GET",
                                                  "Access-Control-Request-Headers": "authorization"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://ally.example"


def test_validation_error_does_not_echo_huge_input(http):
    r = http.get("/entities/" + "a" * 10_000)
    assert r.status_code == 422 and len(r.content) < 600
    assert r.json()["detail"][0]["loc"] == ["path", "entity_id"] and "(10000 characters)" in r.text
    r = http.get("/entities", params={"q": "x" * 10_000, "limit": "y" * 10_000})
    assert r.status_code == 422 and len(r.content) < 1200
    assert {tuple(e["loc"]) for e in r.json()["detail"]} == {("query", "q"), ("query", "limit")}


# --------------------------------------------------------------------------- docs


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: apt-get install -y chromium")
def test_docs_page_loads_only_local_assets(http):
    """/docs in Chromium: Swagger UI from the vendored files draws every operation; no
    request leaves the machine, nothing is blocked by the page's policy, no redoc."""
    from playwright.sync_api import sync_playwright

    base = str(http.base_url).rstrip("/")
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                   "--disable-background-networking"])
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=60_000)
        paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.getAttribute('data-path'))")
        browser.close()
    assert "/entities/{entity_id}" in paths and "/audit" in paths
    assert errors == []
    assert requests and all(u.startswith(base + "/") for u in requests), requests
    assert http.get("/redoc").status_code == 404  # not served (it would load a CDN script and Google Fonts)
    assert http.get("/redoc", headers={"Authorization": ""}).status_code == 401  # unknown paths need a key too


# --------------------------------------------------------------------------- budget


def test_analytics_over_budget_answers_503(synthetic_store):
    settings = Settings(REPGRAPH_BACKEND="embedded", REPGRAPH_REQUEST_BUDGET=0.001)
    with served(synthetic_store, settings) as client:
        r = client.get("/analytics/centrality", params={"subjects": "all"})
        assert r.status_code == 503 and "time budget of 0.001 s was spent" in r.json()["detail"]
        r = client.get("/graph/ego/p-defender-alpha", params={"depth": 3})  # batched reads check it too
        assert r.status_code in (200, 503)


def test_work_stops_when_the_client_leaves(synthetic_store):
    """A bounded route whose work would run for a minute: the client gives up after 0.5 s,
    the work stops at its next check, with the reason."""
    server = served(synthetic_store)
    stopped: list[tuple[float, str]] = []

    def endless():
        while True:
            try:
                budget.check()
            except budget.BudgetExceeded as exc:
                stopped.append((time.monotonic(), str(exc)))
                raise
            time.sleep(0.01)

    @server.app.get("/probe/endless", include_in_schema=False)
    async def probe(request: Request):
        return await run_bounded(request, endless)

    with server as client:
        assert client.get("/stats/counts").status_code == 200  # the key is verified (argon2) once, before timing
        left = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            client.get("/probe/endless", timeout=1.0)
        deadline = time.monotonic() + 10
        while not stopped and time.monotonic() < deadline:
            time.sleep(0.05)
    assert stopped, "the work went on after the client left"
    when, reason = stopped[0]
    assert reason == "the client disconnected" and when - left < 3
