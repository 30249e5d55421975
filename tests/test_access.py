"""Keys, roles and the audit log, as clients and the admin meet them: real users with
argon2-hashed keys, the real app (TestClient and a real uvicorn), the real CLI process.

Pinned (issue 10): a missing, empty, malformed, unknown or revoked key -> 401 with
``WWW-Authenticate: Bearer`` (also for HEAD), never anonymous access; a valid key below a
route's role -> 403; each denial is in the audit log; every route the app serves,
including those mounted outside the routers, is tried without a key.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.routing import APIRoute
from starlette.routing import Mount

from api_access import BASE_URL, add_user, bearer, keyed_app, new_access
from conftest import SYNTHETIC
from repgraph.access import AccessDB, Users, audit
from repgraph.access.db import access_db_path
from repgraph.config import Settings
from repgraph.disclosure import Role, Viewer, notify

REPO = Path(__file__).resolve().parents[1]

with warnings.catch_warnings():  # starlette's TestClient announces a move to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def access(tmp_path) -> AccessDB:
    return new_access(tmp_path)


@pytest.fixture
def api(synthetic_store, access):
    """(client without a key, {role: key}, access file) over the synthetic network."""
    app, keys = keyed_app(synthetic_store, access=access)
    with TestClient(app, base_url=BASE_URL) as client:
        yield client, keys, access


def denials(access: AccessDB) -> list[tuple]:
    return [(e.user, e.role, e.target, e.status) for e in audit.entries(access) if e.action == "denied"]


def assert_401(r, invalid_token: bool) -> None:
    assert r.status_code == 401, r.text
    challenge = r.headers["www-authenticate"]
    assert challenge.startswith("Bearer")
    assert ('error="invalid_token"' in challenge) is invalid_token


# --------------------------------------------------------------------------- keys


def test_key_format_and_hash(access):
    user, key = Users(access).add("ana-ficticia", Role.analyst)
    assert key.startswith(f"rg_{user.key_id}_") and len(key) == 3 + 12 + 1 + 43
    [(stored,)] = sqlite3.connect(access.path).execute("SELECT key_hash FROM users").fetchall()
    assert stored.startswith("$argon2id$") and key not in stored
    assert Users(access).verify(key) == Viewer("ana-ficticia", Role.analyst)
    assert Users(access).verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert Users(access).verify(f"rg_{'0' * 12}_{key[-43:]}") is None
    assert Users(access).verify("not a key") is None


def test_revoked_key_stops_at_once(access):
    users = Users(access)
    _, key = users.add("pedro", "viewer")
    assert users.verify(key) is not None  # now remembered as verified
    users.revoke("pedro")
    assert users.verify(key) is None
    with pytest.raises(ValueError, match="already revoked"):
        users.revoke("pedro")
    with pytest.raises(ValueError, match="never reused"):
        users.add("pedro", "admin")


def test_access_file_beside_the_store(tmp_path):
    assert access_db_path(Settings(REPGRAPH_BACKEND="embedded", REPGRAPH_DB=tmp_path / "cases.db")) == tmp_path / "cases.access.db"
    assert access_db_path(Settings(REPGRAPH_ACCESS_DB=tmp_path / "x.db")) == tmp_path / "x.db"
    neo = Settings(NEO4J_URI="bolt://db.example:7688", NEO4J_DATABASE="cases")
    assert access_db_path(neo).name == "cases@db.example-7688.db"


def test_audit_log_is_append_only(access):
    audit.record(access, user="ana", action="write", target="ingest", ids=["p-1"])
    for statement in ("UPDATE audit SET user = 'x'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            access.execute(statement)
    assert [(e.user, e.ids) for e in audit.entries(access)] == [("ana", ["p-1"])]


def test_audit_entry_is_on_disk_when_record_returns(access):
    """The access file's promise (issue 12 kept it while making it cheaper): each entry is
    committed and fsynced before :func:`audit.record` returns (write-ahead log,
    ``synchronous=FULL``), and another process's connection (the CLI) reads it at once."""
    audit.record(access, user="ana", role="admin", action="read", target="GET /entities/p-1", status=200, ids=["p-1"])
    assert access.execute("PRAGMA journal_mode")[0][0] == "wal"
    assert access.execute("PRAGMA synchronous")[0][0] == 2  # FULL: every commit fsynced
    other = sqlite3.connect(access.path)
    try:
        assert other.execute("SELECT user, target, ids FROM audit").fetchall() == [("ana", "GET /entities/p-1", '["p-1"]')]
    finally:
        other.close()


# --------------------------------------------------------------------------- 401 / 403


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_read_entity_no_key(api, method):
    client, _, access = api
    r = client.request(method, "/entities/p-defender-alpha")
    assert_401(r, invalid_token=False)
    assert denials(access) == [("(unauthenticated)", None, f"{method} /entities/p-defender-alpha", 401)]


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic YWxhZGRpbjpvcGVu", "rg_x", "Bearer rg_nope",
                                    "Bearer rg_000000000000_" + "a" * 43])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_read_entity_bad_key(api, header, method):
    client, _, access = api
    r = client.request(method, "/entities/p-defender-alpha", headers={"Authorization": header})
    assert_401(r, invalid_token=True)
    assert [d[3] for d in denials(access)] == [401]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_read_entity_revoked_key(api, method):
    client, keys, access = api
    assert client.get("/entities/p-defender-alpha", headers=bearer(keys["viewer"])).status_code == 200
    Users(access).revoke("viewer-user")
    r = client.request(method, "/entities/p-defender-alpha", headers=bearer(keys["viewer"]))
    assert_401(r, invalid_token=True)
    assert denials(access)[-1] == ("(unauthenticated)", None, f"{method} /entities/p-defender-alpha", 401)


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_read_audit_not_enough_permissions(api, role):
    client, keys, access = api
    r = client.get("/audit", headers=bearer(keys[role]))
    assert r.status_code == 403 and "needs the role admin" in r.json()["detail"]
    assert denials(access) == [(f"{role}-user", role, "GET /audit", 403)]


def test_read_audit(api):
    client, keys, access = api
    client.get("/entities/p-defender-alpha")
    client.get("/audit", headers=bearer(keys["viewer"]))
    body = client.get("/audit", headers=bearer(keys["admin"])).json()
    assert body["total"] == 2
    assert [(e["user"], e["action"], e["target"], e["status"]) for e in body["items"]] == [
        ("(unauthenticated)", "denied", "GET /entities/p-defender-alpha", 401),
        ("viewer-user", "denied", "GET /audit", 403)]
    only = client.get("/audit", params={"user": "viewer-user"}, headers=bearer(keys["admin"])).json()
    assert only["total"] == 1 and client.get("/audit", params={"since": "2999-01-01"}, headers=bearer(keys["admin"])).json()["total"] == 0
    assert client.get("/audit", params={"since": "2999-01-01T10:30:00Z"}, headers=bearer(keys["admin"])).json()["total"] == 0
    # a number was read as a Unix time (schemathesis: since=1212 answered 200)
    for bad in ("1212", "9.07e-89", "yesterday"):
        r = client.get("/audit", params={"since": bad}, headers=bearer(keys["admin"]))
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "since"], bad


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_read_entity_with_key(api, role):
    client, keys, _ = api
    r = client.get("/entities/p-defender-alpha", headers=bearer(keys[role]))
    assert r.status_code == 200 and r.json()["id"] == "p-defender-alpha"


def served_routes(routes):
    """Every route of ``routes``, with included routers opened (FastAPI keeps them as
    ``_IncludedRouter`` entries holding ``original_router``)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from served_routes(inner.routes)
        else:
            yield route


def test_every_route_without_a_key(api):
    """Every route the app serves, routers or not: only the status page, the spec, the docs
    page and its vendored assets answer without a key; everything else is 401."""
    client, _, access = api
    public, refused = set(), set()
    routes = list(served_routes(client.app.routes))
    for route in routes:
        if isinstance(route, Mount):
            url = f"{route.path}/swagger-ui/swagger-ui.css"
            path = route.path
        else:
            path = route.path
            url = path.replace("{source}", "p-defender-alpha").replace("{target}", "p-defender-beta")
            for name in ("entity_id", "incident_id", "operation_id", "law_id"):
                url = url.replace("{" + name + "}", "inc-alpha-detention" if name == "incident_id" else "p-defender-alpha")
            url = url.replace("{", "").replace("}", "")
        r = client.get(url)
        if r.status_code == 401:
            refused.add(path)
        else:
            assert r.status_code == 200, (url, r.status_code)
            public.add(path)
            assert "Alfa" not in r.text and "p-defender-alpha" not in r.text  # no data where no key is asked
    assert public == {"/health", "/openapi.json", "/docs", "/static"}
    data_routes = {r.path for r in routes if isinstance(r, APIRoute) and r.include_in_schema}
    assert data_routes - {"/health"} <= refused and len(refused) >= 20
    assert len(denials(access)) == len(refused)


def test_open_serves_public_data_without_a_key(synthetic_store, access):
    app, keys = keyed_app(synthetic_store, access=access, open_access=True)
    with TestClient(app, base_url=BASE_URL) as client:
        r = client.get("/entities", params={"q": "alfa"})
        assert r.status_code == 200 and r.json()["items"][0]["id"] == "p-defender-alpha"
        assert client.get("/audit").status_code == 403  # --open is a viewer, never more
        assert client.get("/audit", headers=bearer(keys["admin"])).status_code == 200
        assert_401(client.get("/entities", params={"q": "alfa"}, headers={"Authorization": "Bearer wrong"}), True)
    assert ("local (--open)", "viewer", "GET /audit", 403) in denials(access)


# --------------------------------------------------------------------------- audit of reads


def test_read_of_protected_ids_is_audited(synthetic_store, access):
    """The disclosure listener's ids reach one audit entry per request, with user and route."""
    app, keys = keyed_app(synthetic_store, access=access)

    @app.get("/probe/{entity_id}", include_in_schema=False)
    def probe(entity_id: str, request: Request):  # what disclose() reports after showing ids
        notify(request.state.viewer, [entity_id, "p-mother-alpha"])
        notify(request.state.viewer, [entity_id])
        return {"ok": True}

    with TestClient(app, base_url=BASE_URL) as client:
        assert client.get("/probe/p-brother-alpha", headers=bearer(keys["analyst"])).status_code == 200
        assert client.get("/entities/p-defender-alpha", headers=bearer(keys["analyst"])).status_code == 200
    reads = [(e.user, e.role, e.target, e.status, e.ids) for e in audit.entries(access) if e.action == "read"]
    assert reads[0] == ("analyst-user", "analyst", "GET /probe/p-brother-alpha", 200, ["p-brother-alpha", "p-mother-alpha"])


def test_unwritable_audit_log_withholds_the_answer(synthetic_store, tmp_path):
    access = new_access(tmp_path)
    app, keys = keyed_app(synthetic_store, access=access)

    @app.get("/probe", include_in_schema=False)
    def probe(request: Request):
        notify(request.state.viewer, ["p-brother-alpha"])
        return {"secret": "p-brother-alpha"}

    with TestClient(app, base_url=BASE_URL, headers=bearer(keys["admin"])) as client:
        client.get("/health")
        access.execute("CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        r = client.get("/probe")
    assert r.status_code == 503 and "p-brother-alpha" not in r.text and "audit log" in r.json()["detail"]


def test_unwritable_audit_log_withholds_a_data_route(synthetic_store, tmp_path):
    """A data route's read entry is written in the worker thread that built its answer
    (issue 12: one thread hop instead of three); if it cannot be written, the answer never
    leaves (503, no protected name), and a written entry is written once, not again by the
    middleware."""
    access = new_access(tmp_path)
    app, keys = keyed_app(synthetic_store, access=access)
    with TestClient(app, base_url=BASE_URL, headers=bearer(keys["admin"])) as client:
        shown = client.get("/entities/p-brother-alpha")
        assert shown.status_code == 200 and shown.json()["name"] == "Bro Testrelative"
        access.execute("CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        withheld = client.get("/entities/p-brother-alpha")
    assert (withheld.status_code, withheld.json()) == (503, {"detail": "the audit log cannot be written; the answer is withheld"})
    assert "Testrelative" not in withheld.text
    [read] = [e for e in audit.entries(access) if e.action == "read"]
    assert (read.user, read.role, read.target, read.status) == ("admin-user", "admin", "GET /entities/p-brother-alpha", 200)
    assert "p-brother-alpha" in read.ids


def test_running_server_refuses_a_key_revoked_by_another_process(synthetic_store, tmp_path):
    """A key verified once is checked again on every request without argon2 and without a
    thread hop (:meth:`Users.verify_known`), but never from a cache of the user: a revoke
    by ``repgraph users revoke`` in another process stops the key at the running
    server's next request, and a forged key sharing a remembered key's id is refused."""
    from test_api_server import LiveServer

    access = new_access(tmp_path)
    app, keys = keyed_app(synthetic_store, access=access)
    key = keys["viewer"]
    with LiveServer(app, bearer(key)) as client:
        for _ in range(2):  # the second call takes the remembered key's path
            r = client.get("/entities/p-defender-alpha")
            assert (r.status_code, r.json()["name"]) == (200, "Alfa Testdefender")
        assert Users(access).verify_known(key) == Viewer("viewer-user", Role.viewer)  # decided without argon2
        forged = key[:-1] + ("A" if key[-1] != "A" else "B")
        assert_401(client.get("/entities/p-defender-alpha", headers=bearer(forged)), invalid_token=True)
        (tmp_path / "store.db").touch()  # the CLI names users by the store they belong to
        cli("users", "revoke", "viewer-user", "--db", tmp_path / "store.db", env_extra={"REPGRAPH_ACCESS_DB": str(access.path)})
        assert_401(client.get("/entities/p-defender-alpha"), invalid_token=True)
        assert client.get("/entities/p-defender-alpha", headers=bearer(keys["analyst"])).status_code == 200
    assert [(d[0], d[3]) for d in denials(access)] == [("(unauthenticated)", 401), ("(unauthenticated)", 401)]


# --------------------------------------------------------------------------- CLI


def cli(*args, env_extra=None, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(env_extra or {}, COLUMNS="250")
    proc = subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_users_cli_add_list_revoke_and_audit(tmp_path):
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    added = cli("users", "add", "ana-ficticia", "--role", "analyst", "--db", db)
    key = added.stdout.strip()
    assert key.startswith("rg_") and "shown once" in added.stderr
    access = AccessDB(tmp_path / "cases.access.db")
    assert Users(access).verify(key) == Viewer("ana-ficticia", Role.analyst)
    listed = json.loads(cli("users", "list", "--db", db, "-f", "json").stdout)
    assert [(u["name"], u["role"], u["key_id"], u["revoked_at"]) for u in listed] == [
        ("ana-ficticia", "analyst", key[3:15], None)]
    assert key not in cli("users", "list", "--db", db).stdout
    taken = cli("users", "add", "ana-ficticia", "--db", db, check=False)
    assert taken.returncode == 1 and "exists" in taken.stderr
    assert "revoked ana-ficticia" in cli("users", "revoke", "ana-ficticia", "--db", db).stdout
    assert Users(access).verify(key) is None
    unknown = cli("users", "revoke", "nobody", "--db", db, check=False)
    assert unknown.returncode == 1 and "no user 'nobody'" in unknown.stderr

    log = json.loads(cli("audit", "--db", db, "-f", "json").stdout)
    assert [(e["action"], e["target"]) for e in log] == [("write", "ingest"), ("key", "users add"), ("key", "users revoke")]
    assert "p-brother-alpha" in log[0]["ids"] and "28 nodes" in log[0]["detail"]
    assert "ana-ficticia (analyst" in log[1]["detail"] and key not in json.dumps(log)
    assert json.loads(cli("audit", "--db", db, "-f", "json", "--since", "2999-01-01").stdout) == []
    assert json.loads(cli("audit", "--db", db, "-f", "json", "--user", "nobody").stdout) == []
    assert len(json.loads(cli("audit", "--db", db, "-f", "json", "--user", log[0]["user"]).stdout)) == 3
    # the count under the table is in the noun's number (it said "1 entries")
    assert "3 entries" in cli("audit", "--db", db).stderr
    assert "1 entry\n" in cli("audit", "--db", db, "--since", log[2]["at"]).stderr
    bad = cli("audit", "--db", db, "--since", "yesterday", check=False)
    assert bad.returncode == 2 and "2026-11-29" in bad.stderr
