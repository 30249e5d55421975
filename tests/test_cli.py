"""The CLI as a user runs it: a real process, the embedded default store."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
REPGRAPH = [sys.executable, "-m", "repgraph"]


def run(*args, cwd=None, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "REPGRAPH_DB"}
    env["COLUMNS"] = "200"
    proc = subprocess.run([*REPGRAPH, *map(str, args)], cwd=cwd or REPO, env=env, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "demo.db"
    proc = run("demo", "--db", db, "--view", tmp / "demo.html")
    return proc, db, tmp


def test_demo_prints_the_headline_answers(demo_run):
    proc, db, tmp = demo_run
    out = proc.stdout
    # both named defenders went to Colombia
    assert "│ Colombia │         2 │ Luis Peche, Yendri Velásquez" in out
    # the half-year figures, with their quotes (a quote wraps inside its cell: read the cells' text)
    cells = " ".join(re.sub(r"[\s│]+", " ", out).split())
    assert "recorded 7 cases of defenders who left the country" in cells
    assert "28 defenders migrated forcibly in the second half" in cells
    assert "Operation Tun-Tun" in out
    # no invented relatives: the report's own sentence instead
    assert "The report names no family member" in out
    assert "Persecution is not limited to the human rights defender" in out
    assert (tmp / "demo.html").exists()


def test_demo_store_answers_queries(demo_run):
    _, db, _ = demo_run
    hits = json.loads(run("query", "search", "--param", "q=velasquez", "--db", db, "--format", "json").stdout)
    assert hits["items"][0]["id"] == "person-yendri-velasquez"
    flows = json.loads(run("query", "exile-flows", "-p", "by=period", "--db", db, "-f", "json").stdout)
    assert flows["groups"] == [{"key": "unknown", "count": 2, "persons": flows["groups"][0]["persons"]}]
    assert sorted(s["value"] for s in flows["statistics"]) == [7, 28, 45, 69]


def test_demo_refuses_to_replace_a_store_with_other_data(tmp_path):
    db = tmp_path / "mine.db"
    run("ingest", SYNTHETIC, "--db", db)
    proc = run("demo", "--db", db, "--view", tmp_path / "v.html", check=False)
    assert proc.returncode == 1
    assert "holds data from other sources" in proc.stderr and "src-fake-report" in proc.stderr
    stats = json.loads(run("stats", "--db", db, "-f", "json").stdout)
    assert stats["nodes"]["Person"] == 9


def test_ingest_seed_twice_leaves_counts_unchanged(tmp_path):
    db = tmp_path / "seed.db"
    first = run("ingest", REPO / "data" / "seed", "--db", db)
    assert "pddhe-2025-report.yaml" in first.stdout
    counts1 = json.loads(run("stats", "--db", db, "-f", "json").stdout)
    second = run("ingest", REPO / "data" / "seed", "--db", db)
    counts2 = json.loads(run("stats", "--db", db, "-f", "json").stdout)
    assert counts1 == counts2
    assert "(+0)" in second.stdout
    assert counts1["nodes"]["Person"] == 7 and counts1["relationships"]["EXILED_TO"] == 2


def test_malformed_file_gives_a_located_error_and_no_change(tmp_path):
    db = tmp_path / "x.db"
    run("ingest", SYNTHETIC, "--db", db)
    before = run("stats", "--db", db, "-f", "json").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "dataset: {name: bad, title: Bad}\n"
        "nodes:\n"
        "  - {label: Person, id: p-new, name: New Fakeperson, roles: [defender]}\n"
        "  - {label: Incident, id: inc-new, name: Fake thing, type: teleportation,\n"
        "     citations: [{source: src-fake-report, quote: q}]}\n"
    )
    proc = run("ingest", bad, "--db", db, check=False)
    assert proc.returncode == 2
    err = " ".join(proc.stderr.split())
    assert f"{bad}, record nodes[1] (id=inc-new), field type:" in err
    assert "nothing was written" in err
    assert run("stats", "--db", db, "-f", "json").stdout == before


def test_query_errors_are_clear(tmp_path):
    db = tmp_path / "x.db"
    run("ingest", SYNTHETIC, "--db", db)
    proc = run("query", "nonsense", "--db", db, check=False)
    assert proc.returncode == 2 and "unknown query 'nonsense'" in proc.stderr
    proc = run("query", "responsibility-chain", "-p", "incident_id=inc-missing", "--db", db, check=False)
    assert proc.returncode == 2 and "inc-missing" in proc.stderr
    chain = json.loads(run("query", "responsibility-chain", "-p", "incident_id=inc-alpha-detention", "--db", db, "-f", "json").stdout)
    assert {l["entity"]["id"] for l in chain["links"] if l["kind"] == "holder"} == {"p-chief-delta", "p-minister-eps"}


def test_schema_command_prints_the_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "repgraph case file"
    assert set(schema["properties"]) == {"dataset", "nodes", "relationships"}


def test_missing_folder_for_db_is_a_clear_error(tmp_path):
    db = tmp_path / "no" / "such" / "x.db"
    proc = run("stats", "--db", db, check=False)
    assert proc.returncode == 2 and f"no embedded store at {db}" in proc.stderr
    proc = run("ingest", SYNTHETIC, "--db", db, check=False)
    assert proc.returncode == 1 and f"folder {db.parent} does not exist" in proc.stderr
    assert not (tmp_path / "no").exists()


def test_query_parameters_are_checked_like_the_api(tmp_path):
    """Regression: the CLI answered '0 found' for a mistyped id or type, and a negative
    limit silently dropped a hit."""
    db = tmp_path / "x.db"
    run("ingest", SYNTHETIC, "--db", db)
    for args, message in (
        (["officials-cases", "-p", "incident_type=tortur"], "incident_type: one of"),
        (["guilt-by-association", "-p", "defender_id=nope"], "defender_id: no entity with id 'nope'"),
        (["search", "-p", "q=fake", "-p", "limit=-1"], "limit: 1 to 1000"),
        (["search", "-p", "q=fake", "-p", "offset=-2"], "offset: 0 or more"),
        (["search", "-p", "q=a", "-p", "q=b"], "q given twice"),
    ):
        proc = run("query", *args, "--db", db, check=False)
        assert proc.returncode == 2 and message in proc.stderr, (args, proc.stderr)
