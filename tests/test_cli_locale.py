"""The CLI under a non-UTF-8 locale degrades, never crashes (issue 8 item 5).

With ``LANG=C LC_ALL=C PYTHONUTF8=0`` stdout is ASCII: every table with a non-ASCII name
and ``repgraph demo`` used to exit 1 with UnicodeEncodeError. Now characters the terminal
cannot show become ``?`` (the rows are all there), errors escape them, and the files
written (views, schema) are UTF-8 whatever the locale. Real processes, as a user runs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "COLUMNS": "250"}
#: Appended to every name in the accented copy of the synthetic network.
SUFFIX, SHOWN = " Núñez", " N??ez"


def run_c(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEO4J_", "REPGRAPH_", "LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update(C_LOCALE)
    proc = subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=300)
    # bytes: what the terminal receives; ASCII (or replacement) in the tables
    proc.stdout_text = proc.stdout.decode("utf-8", errors="strict")
    proc.stderr_text = proc.stderr.decode("utf-8", errors="strict")
    return proc


@pytest.fixture(scope="module")
def accented(tmp_path_factory):
    """An embedded store holding the synthetic network with a non-ASCII suffix on every name."""
    tmp = tmp_path_factory.mktemp("locale")
    doc = yaml.safe_load(SYNTHETIC.read_text(encoding="utf-8"))
    for node in doc["nodes"]:
        node["name"] += SUFFIX
    case = tmp / "accented.yaml"
    case.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    db = tmp / "accented.db"
    proc = run_c("ingest", case, "--db", db, cwd=tmp)
    assert proc.returncode == 0, proc.stdout_text + proc.stderr_text
    return db, tmp


@pytest.mark.parametrize(("args", "rows"), [
    (["query", "search", "-p", "q=testdefender"], ["p-defender-alpha", "Alfa Testdefender" + SHOWN]),
    (["query", "exile-flows"], ["Hostia" + SHOWN, "Alfa Testdefender" + SHOWN, "Beta Testjournalist" + SHOWN]),
    (["query", "officials-cases"], ["Fake Political Police" + SHOWN, "Detention of Alfa Testdefender" + SHOWN]),
    (["analyze", "centrality"], ["Fake Political Police" + SHOWN]),
    (["stats"], ["Person"]),
], ids=["search", "exile-flows", "officials-cases", "centrality", "stats"])
def test_tables_degrade_under_the_c_locale(accented, args, rows):
    db, tmp = accented
    proc = run_c(*args, "--db", db, cwd=tmp)
    assert proc.returncode == 0, proc.stdout_text + proc.stderr_text
    assert "UnicodeEncodeError" not in proc.stderr_text and "Traceback" not in proc.stderr_text
    assert proc.stdout.isascii()
    for row in rows:
        assert row in proc.stdout_text, f"{row!r} missing from\n{proc.stdout_text}"


def test_non_ascii_parameters_are_read_as_typed(accented):
    """Under LANG=C the arguments arrive as undecodable bytes: 'núñez' must still find the names."""
    db, tmp = accented
    proc = run_c("query", "search", "-p", "q=alfa núñez", "-f", "json", "--db", db, cwd=tmp)
    assert proc.returncode == 0, proc.stderr_text
    assert json.loads(proc.stdout_text)["items"][0]["id"] == "p-defender-alpha"


def test_json_stays_exact_under_the_c_locale(accented):
    """Machine output is JSON in UTF-8: the names survive unchanged."""
    db, tmp = accented
    proc = run_c("query", "search", "-p", "q=testdefender", "-f", "json", "--db", db, cwd=tmp)
    assert proc.returncode == 0, proc.stderr_text
    assert json.loads(proc.stdout_text)["items"][0]["name"] == "Alfa Testdefender" + SUFFIX


def test_errors_and_help_under_the_c_locale(accented):
    db, tmp = accented
    proc = run_c("query", "responsibility-chain", "-p", "incident_id=inc-año", "--db", db, cwd=tmp)
    assert proc.returncode == 2
    assert "inc-a\\xf1o" in proc.stderr_text and "Traceback" not in proc.stderr_text
    proc = run_c("--help", cwd=tmp)
    assert proc.returncode == 0 and "ingest" in proc.stdout_text


def test_demo_under_the_c_locale(tmp_path):
    proc = run_c("demo", "--db", tmp_path / "demo.db", "--view", tmp_path / "views" / "demo.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout_text + proc.stderr_text
    assert "Traceback" not in proc.stderr_text
    assert "Yendri Vel?squez" in proc.stdout_text  # the exile table, degraded
    assert "Colombia" in proc.stdout_text
    page = (tmp_path / "views" / "ego-person-yendri-velasquez.html").read_text(encoding="utf-8")
    assert "Yendri Velásquez" in page  # files are UTF-8 whatever the locale


def test_schema_file_is_utf8_under_the_c_locale(tmp_path):
    proc = run_c("schema", "-o", tmp_path / "s.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr_text
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["title"] == "repgraph case file"


def test_export_ftm_to_stdout_is_utf8_under_the_c_locale(accented):
    # the FtM JSON lines went out in the locale's encoding: "Núñez" became "N??ez"
    db, tmp = accented
    proc = run_c("export-ftm", "--db", db, cwd=tmp)
    assert proc.returncode == 0, proc.stderr_text
    names = [n for line in proc.stdout_text.splitlines() for n in json.loads(line)["properties"].get("name", [])]
    assert "Alfa Testdefender" + SUFFIX in names
    assert not [n for n in names if SHOWN in n]
