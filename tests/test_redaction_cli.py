"""``repgraph --as ROLE``: every CLI output that shows data, as a viewer, scanned for every
protected name, id, alias and quote fragment of tests/fixtures/protected.yaml (fake
names); the same commands as admin show them. The CLI runs in-process (typer's runner)
over a real embedded store file."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from repgraph.cli import app
from repgraph.ontology import fold
from repgraph.queries import NAMED_QUERIES

from conftest import FIXTURES
from test_redaction import CONFIDENTIAL, RESTRICTED

PROTECTED = FIXTURES / "protected.yaml"


@pytest.fixture(scope="module")
def protected_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "protected.db"
    result = CliRunner().invoke(app, ["ingest", str(PROTECTED), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _commands(db, out) -> list[list[str]]:
    """Every data-showing command, in table and JSON form where it has both."""
    d = ["--db", str(db)]
    cmds = [["stats", *d], ["stats", "-f", "json", *d]]
    params = {
        "guilt-by-association": [[], ["-p", "defender_id=p-defender-pedro"]],
        "officials-cases": [[], ["-p", "official_id=org-prot-unit"]],
        "responsibility-chain": [["-p", "incident_id=inc-pedro-detention"], ["-p", "incident_id=inc-family-home-raid"]],
        "exile-flows": [["-p", f"by={by}"] for by in ("country", "period", "route")],
        "search": [["-p", f"q={q}"] for q in ("nunez", "raid", "home", "pedro", "threats", "unit")],
        "laws": [[]],
        "operations": [[]],
        # issue 11's questions (merged from main)
        "relatives-and-associates": [[]],
        "command-responsibility": [["-p", "person_id=p-agent-fake"]],
        "evidence-strength": [[]],
        "sanctions-gap": [["-p", "by=us_ofac", "-p", "not_by=eu"]],
        "sanctioned-as-of": [["-p", "date=2024-06-01"]],
    }
    assert set(params) == set(NAMED_QUERIES)  # every named query is tried
    for name, variants in params.items():
        for p in variants:
            cmds += [["query", name, *p, *d], ["query", name, *p, "-f", "json", *d]]
    for i, root in enumerate(["p-defender-pedro", "org-prot-unit", "inc-family-home-raid", "country-prot-host"]):
        cmds.append(["viz", "ego", root, "--depth", "2", "-o", str(out / f"ego{i}.html"), *d])
    cmds += [
        ["viz", "chain", "inc-pedro-detention", "-o", str(out / "chain.html"), *d],
        ["viz", "chain", "inc-family-home-raid", "-o", str(out / "chain2.html"), *d],
        ["viz", "exile", "-o", str(out / "exile.html"), *d],
        ["viz", "path", "p-defender-pedro", "org-prot-unit", "-o", str(out / "path.html"), *d],
        ["viz", "graph", "-o", str(out / "graph.html"), "--size-by", "betweenness", "--color-by", "community", *d],
    ]
    for kind in ("centrality", "brokers", "communities"):
        extra = ["--subjects", "all"] if kind == "centrality" else []
        cmds += [["analyze", kind, *extra, *d], ["analyze", kind, *extra, "-f", "json", *d],
                 ["analyze", kind, "--root", "p-defender-pedro", *extra, "-f", "json", *d]]
    cmds += [["analyze", "path", "p-defender-pedro", "country-prot-host", "-f", "json", *d],
             ["analyze", "path", "p-defender-pedro", "org-prot-unit", *d]]
    # `show` and `list` once ignored --as (every name, alias, quote and id printed to a viewer)
    for ident in ("p-defender-pedro", "inc-family-home-raid", "inc-pedro-detention", "src-prot-report", "country-prot-host"):
        cmds += [["show", ident, *d], ["show", ident, "-f", "json", *d]]
    # `dossier` once ignored the global --as (the admin's dossier, every name in it)
    for person in ("p-agent-fake", "p-defender-pedro"):
        cmds += [["dossier", person, "--format", fmt, *d] for fmt in ("md", "json", "html")]
    for label in ("Person", "Incident", "Source", "Country"):
        cmds += [["list", label, "-v", *d], ["list", label, "-f", "json", *d]]
    return cmds


def _run_all(db, out, role: str) -> str:
    """Everything the commands printed and wrote, as ``role``."""
    runner = CliRunner()
    texts = []
    for cmd in _commands(db, out):
        result = runner.invoke(app, ["--as", role, *cmd], env={"COLUMNS": "400"})
        assert result.exit_code == 0, (cmd, result.output)
        texts.append(result.output)
    texts += [p.read_text(encoding="utf-8") for p in sorted(out.glob("*.html"))]
    return fold("\n".join(texts))


def test_cli_as_viewer_shows_no_protected_name_anywhere(protected_db, tmp_path):
    import html

    seen = fold(html.unescape(_run_all(protected_db, tmp_path, "viewer")))
    assert [n for n in RESTRICTED + CONFIDENTIAL if fold(n) in seen] == []
    assert "protected person" in seen  # the relative is still there, as a pseudonym


def test_cli_as_analyst_and_admin(protected_db, tmp_path):
    import html

    (tmp_path / "a").mkdir()
    analyst = fold(html.unescape(_run_all(protected_db, tmp_path / "a", "analyst")))
    assert [n for n in RESTRICTED if fold(n) not in analyst] == []
    assert [n for n in CONFIDENTIAL if fold(n) in analyst] == []
    (tmp_path / "b").mkdir()
    admin = fold(html.unescape(_run_all(protected_db, tmp_path / "b", "admin")))
    assert [n for n in RESTRICTED + ["Xiomara", "Inventada", "inc-xiomara-threat"] if fold(n) not in admin] == []


def test_cli_protected_id_is_unknown_to_a_viewer(protected_db, tmp_path):
    runner = CliRunner()
    for cmd in (["viz", "ego", "p-relative-ana", "-o", str(tmp_path / "x.html")],
                ["query", "guilt-by-association", "-p", "defender_id=p-relative-ana"],
                ["analyze", "path", "p-relative-ana", "p-defender-pedro"],
                ["show", "p-relative-ana"], ["show", "p-relative-ana", "-f", "json"],
                ["dossier", "p-relative-ana", "--format", "json"]):
        r = runner.invoke(app, ["--as", "viewer", *cmd, "--db", str(protected_db)])
        assert r.exit_code == 2 and "no entity with id 'p-relative-ana'" in r.output, (cmd, r.output)
        assert runner.invoke(app, [*cmd, "--db", str(protected_db)]).exit_code == 0, cmd  # the admin's own tool
    assert not (tmp_path / "x.html").exists() or "Ficticia" in (tmp_path / "x.html").read_text(encoding="utf-8")


def test_cli_list_as_viewer_neither_lists_nor_counts_what_it_hides(protected_db):
    """`repgraph --as viewer list`: the confidential incident and interview are neither
    listed nor counted; the restricted relative and the confidential witness are listed as
    pseudonyms (a person counts, never named)."""
    import json

    def page(role, label):
        r = CliRunner().invoke(app, ["--as", role, "list", label, "-f", "json", "--db", str(protected_db)])
        assert r.exit_code == 0, r.output
        return json.loads(r.output)

    incidents = page("viewer", "Incident")
    assert (incidents["total"], [i["id"] for i in incidents["items"]][:2]) == (3, ["inc-family-home-raid", "inc-pedro-detention"])
    # the second raid's id names the relative: an opaque id
    assert re.fullmatch(r"protected-[0-9a-f]{16}", incidents["items"][2]["id"])
    assert incidents["items"][0]["name"].startswith("Raid on the home of Protected person ")
    sources = page("viewer", "Source")
    assert (sources["total"], [i["id"] for i in sources["items"]]) == (1, ["src-prot-report"])
    persons = page("viewer", "Person")
    assert persons["total"] == 4
    pseudonyms = [i for i in persons["items"] if i["id"].startswith("protected-")]
    assert len(pseudonyms) == 2 and all(re.fullmatch(r"Protected person \d+", i["name"]) for i in pseudonyms)
    assert all(i["citations"] == [] for i in pseudonyms)
    assert [i["id"] for i in persons["items"] if not i["id"].startswith("protected-")] == ["p-agent-fake", "p-defender-pedro"]
    analyst = page("analyst", "Incident")
    assert (analyst["total"], [i["id"] for i in analyst["items"]]) == \
        (3, ["inc-family-home-raid", "inc-pedro-detention", "inc-raid-on-ana-ficticia-home"])
    assert analyst["items"][0]["name"] == "Raid on the home of Ana Ficticia Núñez"
    assert page("admin", "Incident")["total"] == 4


def test_cli_show_as_viewer_is_redacted(protected_db):
    import json

    r = CliRunner().invoke(app, ["--as", "viewer", "show", "inc-family-home-raid", "-f", "json", "--db", str(protected_db)])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["name"].startswith("Raid on the home of Protected person ")
    # the TARGETED link to the relative is hidden, the others stay
    assert sorted(x["type"] for x in shown["relationships"]) == ["DOCUMENTED_IN", "PERPETRATED_BY"]


def test_cli_dossier_own_as_option_redacts(protected_db):
    """`repgraph dossier --as viewer` once crashed (disclose without the store)."""
    r = CliRunner().invoke(app, ["dossier", "--as", "viewer", "p-agent-fake", "--db", str(protected_db)])
    assert r.exit_code == 0, r.output
    assert "Xiomara" not in r.output and re.search(r"Protected person \d+ saw the arrest", r.output)
    r = CliRunner().invoke(app, ["dossier", "--as", "viewer", "p-relative-ana", "--db", str(protected_db)])
    assert r.exit_code == 2 and "no entity with id 'p-relative-ana'" in r.output


def test_cli_ids_naming_a_protected_person_are_masked_for_a_viewer(protected_db):
    """Public elements whose ids name the restricted relative (``inc-raid-on-ana-ficticia-home``,
    ``org-ficticia-family-support``): a viewer's list, search and officials-cases show them
    under opaque ids, and asking for the real id is answered like an unknown id; an admin
    sees and asks for the real ids."""
    import json

    d = ["--db", str(protected_db)]

    def run(role, *args):
        return CliRunner().invoke(app, ["--as", role, *args, *d], env={"COLUMNS": "400"})

    outputs = [run("viewer", "list", "Organization", "-f", "json"), run("viewer", "query", "search", "-p", "q=committee"),
               run("viewer", "query", "officials-cases", "-f", "json"), run("viewer", "show", "org-prot-unit"),
               run("viewer", "viz", "ego", "org-prot-unit", "--depth", "2", "-o", str(protected_db.parent / "ego-unit.html"))]
    assert all(r.exit_code == 0 for r in outputs), [r.output for r in outputs]
    text = fold("\n".join(r.output for r in outputs) + (protected_db.parent / "ego-unit.html").read_text(encoding="utf-8"))
    assert "ficticia" not in text
    orgs = json.loads(outputs[0].output)
    assert "Family Support Committee (fake)" in [i["name"] for i in orgs["items"]]
    assert all(re.fullmatch(r"protected-[0-9a-f]{16}", i["id"]) for i in orgs["items"] if i["name"].startswith("Family"))
    for real in ("inc-raid-on-ana-ficticia-home", "org-ficticia-family-support"):
        refused = run("viewer", "show", real)
        assert refused.exit_code == 2 and f"no entity with id '{real}'" in refused.output
        assert run("admin", "show", real, "-f", "json").exit_code == 0
    assert json.loads(run("admin", "show", "org-ficticia-family-support", "-f", "json").output)["id"] == \
        "org-ficticia-family-support"
