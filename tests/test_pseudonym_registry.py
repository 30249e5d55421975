"""Opaque ids and pseudonym numbers are the same in every process serving one store
(issue: they came from a per-process secret and counter, so two ``repgraph serve``
workers, a restart, or two CLI commands showed a viewer different ids for one person,
answered 404 for an id just given, and numbered one person 1 on a page and 2 on the
next). They now come from the store's access file (:mod:`repgraph.access.pseudonyms`).

Real components only: ``repgraph serve`` and ``repgraph`` commands as processes over a
real store (both backends) and access file, the real app in-process where a statement
count is needed, and real SQLite connections racing for numbers. Names are fake
(tests/fixtures/protected.yaml)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from repgraph.access import AccessDB, Pseudonyms
from repgraph.api import create_app
from repgraph.disclosure import Role, Viewer
from repgraph.ingest import ingest_case_file
from repgraph.redaction import redactor
from repgraph.schema import schema_statements
from repgraph.store.embedded import EmbeddedStore

from api_access import BASE_URL, TestClient, add_user, bearer, client_for, new_access
from conftest import PROTECTED
from serving import wait_for_health
from test_api_server import _free_port

REPO = Path(__file__).resolve().parents[1]
OPAQUE = re.compile(r"protected-[0-9a-f]{16}")
PSEUDONYM = re.compile(r"Protected person (\d+)")
VIEWER = Viewer(name="test-viewer", role=Role.viewer)



def _env_and_args(store, request, access: Path) -> tuple[dict[str, str], list[str]]:
    """Environment and ``--db`` arguments of a repgraph process over ``store`` with the
    access file ``access`` (never the user's own store or access file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env["REPGRAPH_ACCESS_DB"] = str(access)
    if store.backend == "embedded":
        return env, ["--db", str(store.location)]
    s = request.getfixturevalue("neo4j_settings")
    env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "", NEO4J_DATABASE=s["database"])
    return env, []


class Server:
    """``repgraph serve`` in its own process (stopped with :meth:`stop`)."""

    def __init__(self, env: dict[str, str], where: list[str]):
        self.port = _free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "repgraph", "serve", "--port", str(self.port), *where],
                                     cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_health(self.port, self.proc)

    def get(self, path: str, key: str, **params) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", params=params, headers=bearer(key), timeout=60)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def _witness_pseudonym(detention: dict) -> str:
    """The witness's pseudonym in the quote of Pedro's detention ("...; Protected person N saw the arrest.")."""
    quote = detention["citations"][0]["quote"]
    match = re.search(r"(Protected person \d+) saw the arrest", quote)
    assert match, quote
    return match.group(1)


def _relative_pseudonym(raid: dict) -> str:
    """The relative's pseudonym in the name of the raid on her home."""
    assert raid["name"].startswith("Raid on the home of Protected person "), raid["name"]
    return raid["name"].removeprefix("Raid on the home of ")


def _what_a_viewer_was_shown(server: Server, key: str) -> dict[str, str]:
    """The witness's and relative's pseudonyms (the witness shown first), the relative's
    opaque id, and the opaque ids of the raid and the committee whose ids name the relative."""
    shown = {"witness": _witness_pseudonym(server.get("/entities/inc-pedro-detention", key).json()),
             "relative": _relative_pseudonym(server.get("/entities/inc-family-home-raid", key).json())}
    exile = server.get("/stats/exile", key).json()
    persons = [p for g in exile["groups"] for p in g["persons"] if OPAQUE.fullmatch(p["id"])]
    assert [p["name"] for p in persons] == [shown["relative"]]
    shown["relative_id"] = persons[0]["id"]
    for q, what in (("nortetest", "raid_id"), ("committee", "committee_id")):
        items = server.get("/entities", key, q=q).json()["items"]
        assert len(items) == 1 and OPAQUE.fullmatch(items[0]["id"]), items
        shown[what] = items[0]["id"]
    return shown


def test_two_servers_and_a_restart_show_a_viewer_the_same_ids_and_numbers(protected_store, request, tmp_path):
    """Two ``repgraph serve`` processes over one store and access file (as two workers
    are): an opaque id given by one is accepted by the other, the same person has the
    same pseudonym on both, and a restart keeps them. Before, the second server numbered
    the relative 1 (its first protected person) where the first had numbered her 2, and
    answered 404 for the masked ids the first gave."""
    access_path = tmp_path / "shared.access.db"
    key = add_user(AccessDB(access_path), "viewer")
    env, where = _env_and_args(protected_store, request, access_path)
    first, second = Server(env, where), None
    try:
        shown = _what_a_viewer_was_shown(first, key)
        # the witness was shown first: she is 1, the relative 2 (what the second server must not renumber)
        assert (shown["witness"], shown["relative"]) == ("Protected person 1", "Protected person 2")
        second = Server(env, where)
        # the second server is asked about the relative first: still number 2
        assert _relative_pseudonym(second.get("/entities/inc-family-home-raid", key).json()) == shown["relative"]
        raid = second.get(f"/entities/{shown['raid_id']}", key)
        assert raid.status_code == 200, raid.text
        assert (raid.json()["id"], raid.json()["name"]) == (shown["raid_id"], "Second raid on a family home in Villa Nortetest")
        committee = second.get(f"/entities/{shown['committee_id']}", key)
        assert committee.status_code == 200 and committee.json()["id"] == shown["committee_id"]
        assert [r["other"]["id"] for r in committee.json()["relationships"]] == ["p-defender-pedro"]
        chain = second.get(f"/incidents/{shown['raid_id']}/responsibility-chain", key)
        assert chain.status_code == 200 and chain.json()["incident"]["id"] == shown["raid_id"]
        assert _what_a_viewer_was_shown(second, key) == shown
        first.stop()
        first = Server(env, where)  # a restart
        assert _what_a_viewer_was_shown(first, key) == shown
    finally:
        first.stop()
        if second is not None:
            second.stop()
    mode = access_path.stat().st_mode & 0o777
    assert mode == 0o600, oct(mode)


def _repgraph(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repgraph", *args], cwd=REPO, env={**env, "COLUMNS": "400"},
                          capture_output=True, text=True, timeout=120)


def test_cli_commands_show_a_viewer_the_same_ids_and_numbers(protected_store, request, tmp_path):
    """``repgraph --as viewer``: an opaque id one command prints is accepted by the next
    (before: ``show <id>`` answered "no entity", the id being another process's), and a
    person keeps their number from command to command."""
    access_path = tmp_path / "cli.access.db"
    env, where = _env_and_args(protected_store, request, access_path)

    def viewer(*args):
        r = _repgraph(env, "--as", "viewer", *args, *where)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r.stdout

    witness = _witness_pseudonym(json.loads(viewer("show", "inc-pedro-detention", "-f", "json")))
    assert witness == "Protected person 1"
    found = json.loads(viewer("query", "search", "-p", "q=raid", "-f", "json"))
    names = {i["name"]: i["id"] for i in found["items"]}
    relative = next(n for n in names if n.startswith("Raid on the home of ")).removeprefix("Raid on the home of ")
    assert relative == "Protected person 2"
    raid_id = names["Second raid on a family home in Villa Nortetest"]
    assert OPAQUE.fullmatch(raid_id)
    # the next process: the opaque id resolves, under the same id; the relative keeps her number
    shown = json.loads(viewer("show", raid_id, "-f", "json"))
    assert (shown["id"], shown["name"]) == (raid_id, "Second raid on a family home in Villa Nortetest")
    assert _relative_pseudonym(json.loads(viewer("show", "inc-family-home-raid", "-f", "json"))) == relative
    assert re.search(rf"{witness} saw the arrest", viewer("dossier", "p-agent-fake"))
    # the other inputs that take an id accept it too
    chain = json.loads(viewer("query", "responsibility-chain", "-p", f"incident_id={raid_id}", "-f", "json"))
    assert chain["incident"]["id"] == raid_id
    view = tmp_path / "chain.html"
    viewer("viz", "chain", raid_id, "-o", str(view))
    assert raid_id in view.read_text(encoding="utf-8")
    # its real id stays unknown to the viewer, in every process
    refused = _repgraph(env, "--as", "viewer", "show", "inc-raid-on-ana-ficticia-home", *where)
    assert refused.returncode == 2 and "no entity with id 'inc-raid-on-ana-ficticia-home'" in refused.stderr + refused.stdout
    # the analyst, who may see the relative, sees the real id
    admin = _repgraph(env, "--as", "analyst", "query", "search", "-p", "q=nortetest", "-f", "json", *where)
    assert [i["id"] for i in json.loads(admin.stdout)["items"]] == ["inc-raid-on-ana-ficticia-home"]
    assert access_path.stat().st_mode & 0o777 == 0o600


def test_an_admin_command_creates_no_access_file(tmp_path):
    """An admin sees everything: nothing is pseudonymised, so an admin's command that shows
    nothing protected (an audited read would make the file, as before) makes no access
    file for pseudonyms; a viewer's command makes it, owner-only, with the registry's tables."""
    db = tmp_path / "admin.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    ingested = _repgraph(env, "ingest", str(PROTECTED), "--db", str(db))
    assert ingested.returncode == 0, ingested.stderr
    access = tmp_path / "admin.access.db"
    access.unlink(missing_ok=True)  # whatever ingest did: from here on only reads
    for args in (["stats"], ["query", "search", "-p", "q=pedro", "-f", "json"]):
        r = _repgraph(env, *args, "--db", str(db))
        assert r.returncode == 0, (args, r.stderr)
        assert "Protected person" not in r.stdout
    assert not access.exists()
    r = _repgraph(env, "--as", "viewer", "show", "inc-family-home-raid", "-f", "json", "--db", str(db))
    assert r.returncode == 0 and PSEUDONYM.search(r.stdout), r.stderr
    assert access.exists() and access.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(access) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"pseudonym_secret", "pseudonyms", "masked_ids"} <= tables
        assert conn.execute("SELECT role, n FROM pseudonyms").fetchall() == [("viewer", 1)]


def test_roles_differ_and_each_access_file_has_its_own_ids(protected_store, tmp_path):
    """A viewer's and an analyst's opaque ids of one person differ; two stores in one
    process, each with its own access file, show the same person id under different
    opaque ids, and making the second app changes nothing the first shows (no single
    module-wide secret that the last app set)."""
    (tmp_path / "other").mkdir()
    other = EmbeddedStore(tmp_path / "other" / "other.db")
    other.apply_schema(schema_statements())
    ingest_case_file(other, PROTECTED)
    try:
        with client_for(protected_store, "viewer", access=new_access(tmp_path / "a")) as first:
            before = first.get("/stats/exile").json()
            ids_first = [p["id"] for g in before["groups"] for p in g["persons"] if OPAQUE.fullmatch(p["id"])]
            assert len(ids_first) == 1
            analyst = redactor(protected_store, Viewer(name="t", role=Role.analyst))
            viewer = redactor(protected_store, VIEWER)
            assert viewer.opaque("p-witness-xiomara") != analyst.opaque("p-witness-xiomara")
            assert viewer.opaque("p-relative-ana") == ids_first[0]
            with client_for(other, "viewer", access=new_access(tmp_path / "b")) as second:
                theirs = second.get("/stats/exile").json()
                ids_second = [p["id"] for g in theirs["groups"] for p in g["persons"] if OPAQUE.fullmatch(p["id"])]
            assert len(ids_second) == 1 and ids_second != ids_first  # the same person id, another access file
            assert first.get("/stats/exile").json() == before
        # another app (its own registry, its own connection) over the same access file: the same ids
        access = AccessDB(tmp_path / "a" / "test.access.db")
        key = add_user(access, "viewer", "another-viewer")
        with TestClient(create_app(store=protected_store, access=access), base_url=BASE_URL, headers=bearer(key)) as again:
            assert again.get("/stats/exile").json()["groups"] == before["groups"]
    finally:
        other.close()


def test_numbers_assigned_at_once_by_many_connections_are_unique(tmp_path):
    """Eight registries, each with its own connection to one access file (as eight
    processes have), number 40 persons for two roles at once, each in its own order: every
    (role, person) gets exactly one number, the numbers of a role are 1..40, every
    registry reads the same numbers and the same secret."""
    path = tmp_path / "race.access.db"
    persons = [f"p-fake-{i:02d}" for i in range(40)]
    start = threading.Barrier(8)

    def work(k: int) -> tuple[bytes, dict[tuple[str, str], int]]:
        registry = Pseudonyms(AccessDB(path))
        start.wait()
        secret = registry.secret()
        order = persons[k:] + persons[:k] if k % 2 else list(reversed(persons))
        got = {}
        for p in order:
            for role in ("viewer", "analyst"):
                got[(role, p)] = registry.number(role, p)
        registry.db.close()
        return secret, got

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    secrets_seen = {s for s, _ in results}
    assert len(secrets_seen) == 1 and len(next(iter(secrets_seen))) == 32
    assert all(got == results[0][1] for _, got in results)
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT role, element_id, n FROM pseudonyms").fetchall()
    assert len(rows) == 80
    for role in ("viewer", "analyst"):
        assert sorted(n for r, _, n in rows if r == role) == list(range(1, 41))
    assert {(r, e): n for r, e, n in rows} == results[0][1]


def test_known_persons_cost_no_access_file_query(protected_store, tmp_path):
    """After a first answer, answers about persons already numbered and ids already
    recorded read nothing of the registry's tables (the hot path is a dict lookup)."""
    access = new_access(tmp_path)
    with client_for(protected_store, "viewer", access=access) as viewer:
        urls = ["/entities/inc-family-home-raid", "/entities/inc-pedro-detention", "/stats/exile", "/entities?q=nortetest"]
        first = [viewer.get(u).json() for u in urls]
        statements: list[str] = []
        access._connect().set_trace_callback(statements.append)
        try:
            again = [viewer.get(u).json() for u in urls]
        finally:
            access._connect().set_trace_callback(None)
    assert again == first
    registry = [s for s in statements if re.search(r"pseudonym|masked_ids", s)]
    assert registry == []
