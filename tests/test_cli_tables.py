"""CLI tables as a user reads them at 80 columns, through a real process: whole ids, one
sources rule on every table, each query's parameters in --help, lists without a search
word, empty answers that say why; and HEAD on the API's GET routes over real HTTP
(issue 8, items 10, 11, 15, 16, 17, 24)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from repgraph.listing import list_entities
from repgraph.queries import NAMED_QUERIES

REPO = Path(__file__).resolve().parents[1]
REPGRAPH = [sys.executable, "-m", "repgraph"]
REPORT_TITLE = "Defending Human Rights in Venezuela: Between Repression and Exile (2024–2025)"


def run80(*args, check=True, columns=80):
    """``repgraph ARGS`` in a real process at an 80-column terminal width."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "REPGRAPH_DB"}
    env["COLUMNS"] = str(columns)
    proc = subprocess.run([*REPGRAPH, *map(str, args)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def demo80(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo80")
    db = tmp / "demo.db"
    return run80("demo", "--db", db, "--view", tmp / "views" / "demo.html"), db


def _whole(ids, out: str) -> None:
    lines = out.splitlines()
    for i in ids:
        assert any(i in line for line in lines), f"{i} is split across lines:\n{out}"


def test_ids_never_wrap_at_80_columns(demo80):
    _, db = demo80
    for args in (["query", "search", "-p", "q=velasquez"], ["query", "laws"], ["query", "operations"],
                 ["list", "Incident", "--limit", "100"]):
        out = run80(*args, "--db", db).stdout
        assert all(len(line) <= 80 for line in out.splitlines()), out
        answer = json.loads(run80(*args, "--db", db, "-f", "json").stdout)
        items = answer["items"] if isinstance(answer, dict) else answer
        assert items
        _whole([x["id"] for x in items], out)
    chain = run80("query", "responsibility-chain", "-p", "incident_id=inc-fanb-excessive-force-protesters-journalists",
                  "--db", db).stdout
    _whole(["inc-fanb-excessive-force-protesters-journalists", "org-fanb"], chain)


def test_demo_names_sources_by_title_and_prints_commands_whole(demo80):
    proc, db = demo80
    out = proc.stdout
    assert "[src-" not in out and "src-pddhe-2025" not in out
    assert "— " + REPORT_TITLE in out.replace("\n│ ", " ").replace(" │\n", "\n") or REPORT_TITLE.split(":")[0] in out
    lines = out.splitlines()
    assert any(line.endswith(f"query search --param q=velasquez --db {db}") for line in lines), out[-600:]
    assert any(line.endswith(f"serve --db {db}") for line in lines)
    assert not any("src-pddhe" in line for line in lines)


def test_every_table_has_the_sources_rule(demo80):
    _, db = demo80
    officials = run80("query", "officials-cases", "--db", db, columns=160).stdout
    assert "Treasury Takes Steps to…" in officials  # the short title of the Treasury release
    search = run80("query", "search", "-p", "q=velasquez", "--db", db, columns=160).stdout
    assert "Defending Human Rights in…" in search
    quote = "Velásquez had to flee through irregular crossings to Colombia"
    assert quote not in run80("query", "exile-flows", "--db", db).stdout
    verbose = run80("query", "exile-flows", "--db", db, "-v", columns=160).stdout
    assert quote in " ".join(re.sub(r"[\s│]+", " ", verbose).split())
    chain = run80("query", "responsibility-chain", "-p", "incident_id=inc-fanb-excessive-force-protesters-journalists",
                  "--db", db, "-v").stdout
    assert "sources: Treasury Takes Steps to…: “" in chain or "Treasury Takes Steps to…: “" in chain


def test_query_help_lists_each_querys_parameters():
    out = run80("query", "--help").stdout
    for q in NAMED_QUERIES.values():
        assert q.name in out
        for p in q.params:
            assert f"{p}:" in out, p


def test_laws_and_operations_tables_show_ids(demo80):
    _, db = demo80
    assert "op-tun-tun" in run80("query", "operations", "--db", db).stdout
    assert "law-ngo-oversight" in run80("query", "laws", "--db", db).stdout


def test_list_incidents_without_a_search_word(demo80):
    _, db = demo80
    first = json.loads(run80("list", "Incident", "--limit", "4", "--db", db, "-f", "json").stdout)
    second = json.loads(run80("list", "Incident", "--limit", "4", "--offset", "4", "--db", db, "-f", "json").stdout)
    assert first["total"] == second["total"] == 15
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 8
    table = run80("list", "Incident", "--limit", "4", "--db", db).stdout
    assert "Incident: 1-4 of 15" in table and "next page: --offset 4" in table
    bad = run80("list", "Nonsense", "--db", db, check=False)
    assert bad.returncode == 2 and "unknown node label 'Nonsense'" in bad.stderr


def test_list_entities_pages_on_both_backends(seed_store):
    page = list_entities(seed_store, "Incident", limit=10, offset=0)
    rest = list_entities(seed_store, "Incident", limit=10, offset=10)
    assert page.total == rest.total == 15 and len(page.items) == 10 and len(rest.items) == 5
    ids = [i.id for i in page.items + rest.items]
    assert ids == sorted(ids)
    detention = next(i for i in page.items + rest.items if i.id == "inc-velasquez-detention-2024-08-03")
    assert detention.type == "arbitrary_detention" and detention.date == "2024-08-03"
    assert detention.citations and detention.citations[0].source_title == REPORT_TITLE
    with pytest.raises(ValueError, match="unknown node label"):
        list_entities(seed_store, "Nonsense")


def test_empty_guilt_by_association_says_why(demo80):
    _, db = demo80
    table = run80("query", "guilt-by-association", "--db", db).stdout
    assert "none found: no TARGETED relationship with basis guilt_by_association is in the store" in table
    proc = run80("query", "guilt-by-association", "--db", db, "-f", "json")
    assert json.loads(proc.stdout) == [] and "note: no TARGETED relationship with basis guilt_by_association" in proc.stderr


def test_centrality_title_says_whom_it_lists(demo80):
    _, db = demo80
    out = run80("analyze", "centrality", "--db", db).stdout
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert ("centrality of named perpetrators, officials and state organizations (incl. courts and prosecutors)"
            in " ".join(out.split()))
    assert "Attorney General" in out  # listed, and now the title says such bodies are


def test_head_on_get_routes_over_http(seed_store):
    from api_access import bearer, keyed_app
    from test_api_server import LiveServer as Served

    app, keys = keyed_app(seed_store)
    with Served(app, bearer(keys["admin"])) as http:
        for path in ("/health", "/entities/person-yendri-velasquez", "/viz/exile", "/openapi.json"):
            got, head = http.get(path), http.head(path)
            assert got.status_code == head.status_code == 200, path
            assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
        assert http.head("/entities/nobody").status_code == 404


def test_counts_agree_with_their_nouns():
    """Regression: "1 nodes" in ingest, retract, views and FtM lines."""
    from repgraph.wording import counted

    assert [counted(n, "node") for n in (0, 1, 2)] == ["0 nodes", "1 node", "2 nodes"]
    assert counted(1, "FtM entity", "FtM entities") == "1 FtM entity"
    assert counted(3, "FtM entity", "FtM entities") == "3 FtM entities"


def test_chain_blocks_are_headed_by_their_level_and_exile_flows_say_whom_they_count(demo80):
    """Regression (newcomer run): in block layout the chain's rows were headed by a bare
    level number ("0", "1"), and exile flows did not say they count defenders only."""
    _, db = demo80
    chain = run80("query", "responsibility-chain", "-p", "incident_id=inc-fanb-excessive-force-protesters-journalists",
                  "--db", db, columns=60).stdout
    headings = [line for line in chain.splitlines() if line and not line.startswith(" ")]
    assert "level 0" in headings, chain
    assert not any(h.strip().isdigit() for h in headings), chain
    exile = " ".join(run80("query", "exile-flows", "--db", db).stdout.split())
    assert ("defenders only (roles defender, journalist, lawyer, trade unionist, activist): "
            "exiled relatives and others are not counted here") in exile


def test_no_word_is_split_across_lines_at_80_columns(demo80):
    """Regression (newcomer pass): at 80 columns rich squeezed columns below their words:
    ``analyze brokers`` printed the headers "pieces withou / t it" and "communi / ties" and
    the name "Yendri Velásq / uez"; ``query laws`` "anti-terroris / m provisions". A table
    whose columns cannot hold their words (up to 16 letters) is printed as blocks."""
    _, db = demo80
    brokers = run80("analyze", "brokers", "--db", db).stdout
    assert "  pieces without it: 8" in brokers and "Yendri Velásquez\n" in brokers
    assert "withou" not in brokers.replace("without", "") and "communi\n" not in brokers
    laws = run80("query", "laws", "--db", db).stdout
    assert "anti-terrorism provisions" in laws and "anti-terroris " not in laws
    # wide enough, the same answers stay tables
    assert "┃ name " in run80("query", "laws", "--db", db, columns=160).stdout
