"""The audit log records protected reads at every exit: CLI reads of restricted or
confidential elements (who: the OS user and the ``--as`` role; what: the command; which
ids), and API probes of protected ids (answered 404 like an unknown id, recorded as a
denial with the id asked). Both backends, over tests/fixtures/protected.yaml (fake names);
the CLI runs in-process over the same store, with its access file in the test's folder."""

from __future__ import annotations

import getpass
import json

from typer.testing import CliRunner

from repgraph.access import AccessDB, audit
from repgraph.cli import app

from api_access import client_for, new_access


def _env(store, access_path, request) -> dict[str, str]:
    env = {"REPGRAPH_ACCESS_DB": str(access_path), "COLUMNS": "300"}
    if store.backend != "embedded":
        s = request.getfixturevalue("neo4j_settings")
        env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "",
                   NEO4J_DATABASE=s["database"])
    return env


def _where(store, request) -> list[str]:
    return ["--db", str(store.location)] if store.backend == "embedded" else []


def _cli(store, access_path, request):
    """``run(*args)``: repgraph's CLI over ``store`` (both backends), audited to ``access_path``."""
    env = {"REPGRAPH_ACCESS_DB": str(access_path), "COLUMNS": "300"}
    if store.backend == "embedded":
        where = ["--db", str(store.location)]
    else:
        s = request.getfixturevalue("neo4j_settings")
        env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "",
                   NEO4J_DATABASE=s["database"])
        where = []

    def run(*args, role=None):
        pre = ["--as", role] if role else []
        cmd = [*pre, *args]
        # `--db` after the command's own arguments (every read command takes it)
        result = CliRunner().invoke(app, [*cmd, *where], env=env)
        assert result.exit_code == 0, (cmd, result.output)
        return result.output

    return run


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001
        return "cli"


def test_cli_reads_of_protected_elements_are_audited(protected_store, tmp_path, request):
    access_path = tmp_path / "cli.access.db"
    run = _cli(protected_store, access_path, request)
    run("show", "p-relative-ana")
    run("query", "guilt-by-association")
    access = AccessDB(access_path)
    reads = [e for e in audit.entries(access) if e.action == "read"]
    assert [(e.user, e.role, e.target) for e in reads] == [
        (_operator(), "admin", "repgraph show p-relative-ana"),
        (_operator(), "admin", "repgraph query guilt-by-association")]
    assert "p-relative-ana" in reads[0].ids
    # the restricted relative, and no public id (the defender, the public raid)
    assert reads[1].ids == ["p-relative-ana"]

    # a viewer reading public data only: nothing appended
    before = audit.count(access)
    run("show", "p-defender-pedro", role="viewer")
    run("query", "search", "-p", "q=pedro", role="viewer")
    assert audit.count(access) == before
    # an analyst shown the restricted relative: appended with the analyst role
    run("show", "p-relative-ana", role="analyst")
    last = audit.entries(access)[-1]
    assert (last.role, last.target, "p-relative-ana" in last.ids) == ("analyst", "repgraph show p-relative-ana", True)

    # a viewer asking for the protected relative: refused like an unknown id, and audited
    before = audit.count(access)
    refused = CliRunner().invoke(app, ["--as", "viewer", "show", "p-relative-ana", *_where(protected_store, request)],
                                 env=_env(protected_store, access_path, request))
    assert refused.exit_code == 2 and "no entity with id 'p-relative-ana'" in refused.output
    last = audit.entries(access)[-1]
    assert (audit.count(access), last.action, last.user, last.role, last.target, last.ids) == \
        (before + 1, "denied", _operator(), "viewer", "repgraph show p-relative-ana", ["p-relative-ana"])

    # `repgraph audit` shows them
    shown = json.loads(run("audit", "-f", "json"))
    assert [(e["target"], e["role"]) for e in shown if e["action"] == "read"] == [
        ("repgraph show p-relative-ana", "admin"), ("repgraph query guilt-by-association", "admin"),
        ("repgraph show p-relative-ana", "analyst")]
    access.close()


def test_cli_read_is_withheld_when_the_audit_log_cannot_be_written(protected_store, tmp_path, request):
    access_path = tmp_path / "refusing.access.db"
    access = AccessDB(access_path)
    access.execute("CREATE TRIGGER refuse BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    access.close()
    env = {"REPGRAPH_ACCESS_DB": str(access_path)}
    args = ["show", "p-relative-ana", "-f", "json"]
    if protected_store.backend == "embedded":
        args += ["--db", str(protected_store.location)]
    else:
        s = request.getfixturevalue("neo4j_settings")
        env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "",
                   NEO4J_DATABASE=s["database"])
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1 and "audit log" in result.output
    assert "Ana Ficticia" not in result.output


def test_api_probe_of_a_protected_id_is_audited_and_answered_as_unknown(protected_store, tmp_path):
    access = new_access(tmp_path)
    with client_for(protected_store, "viewer", access=access) as viewer:
        probe = viewer.get("/entities/p-relative-ana")
        unknown = viewer.get("/entities/p-nobody-at-all")
        chain = viewer.get("/queries/guilt-by-association", params={"defender_id": "p-witness-xiomara"})
    assert (probe.status_code, probe.json()) == (404, {"detail": "no entity with id 'p-relative-ana'"})
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "no entity with id 'p-nobody-at-all'"})
    assert chain.status_code == 404 and "p-witness-xiomara" in chain.json()["detail"]
    denied = [(e.user, e.role, e.target, e.status, e.ids) for e in audit.entries(access) if e.action == "denied"]
    assert denied == [("viewer-user", "viewer", "GET /entities/p-relative-ana", 404, ["p-relative-ana"]),
                      ("viewer-user", "viewer", "GET /queries/guilt-by-association", 404, ["p-witness-xiomara"])]
