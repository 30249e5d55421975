"""A store that does not exist is an error naming its path, never an empty answer (issue 8 item 2).

Only the commands that write (``ingest``, ``demo``, ``import-ftm``) create a store; every other command,
and the API, refuse a missing one and leave no file behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from repgraph.cli import app
from repgraph.store import StoreMissing, open_store
from repgraph.config import get_settings

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
#: Commands allowed to create a store.
CREATORS = {("ingest",), ("demo",), ("import-ftm",)}
#: Options a command checks before it opens the store.
EXTRA_ARGS = {("merge",): ["--reason", "fake reason"]}


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env["COLUMNS"] = "200"
    return env


def test_query_on_a_mistyped_db_is_an_error_naming_it(tmp_path):
    """The issue's instance, as a user runs it: exit 2, the path named, no typo.db afterwards."""
    proc = subprocess.run([sys.executable, "-m", "repgraph", "query", "search", "-p", "q=velasquez", "--db", "typo.db"],
                          cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "error: no embedded store at typo.db" in proc.stderr
    assert "0 found" not in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _read_commands() -> list[tuple[list[str], list[str]]]:
    """Every command taking --db except the creators, with placeholder required arguments."""
    out = []

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
            return
        if tuple(path) in CREATORS or not any(p.name == "db" for p in cmd.params):
            return
        args = []
        for p in cmd.params:
            if p.required and not p.opts[0].startswith("-"):
                args.append("search" if path == ["query"] else "p-defender-alpha")
            elif p.required:
                args += [p.opts[0], "out.txt"]  # e.g. export-ftm -o: never written here
        if path == ["query"]:
            args += ["-p", "q=alpha"]
        args += EXTRA_ARGS.get(tuple(path), [])
        out.append((path, args))

    walk(typer.main.get_command(app), [])
    return out


READ_COMMANDS = _read_commands()


def test_every_read_command_is_covered():
    names = {" ".join(p) for p, _ in READ_COMMANDS}
    assert {"query", "stats", "serve", "viz ego", "viz exile", "viz graph", "analyze centrality",
            "analyze communities", "analyze path"} <= names
    assert not names & {"ingest", "demo", "import-ftm"}


@pytest.mark.parametrize(("path", "args"), READ_COMMANDS, ids=[" ".join(p) for p, _ in READ_COMMANDS])
def test_read_command_refuses_a_missing_store(tmp_path, monkeypatch, path, args):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "typo.db"
    result = CliRunner().invoke(app, [*path, *args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert f"no embedded store at {db}" in result.output
    assert "API on" not in result.output  # serve stops before announcing anything
    assert list(tmp_path.iterdir()) == []  # no store, no -wal/-shm, no view written


def test_default_store_missing_is_named_too(tmp_path, monkeypatch):
    """Without --db, the default ./repgraph.db (or $REPGRAPH_DB) is not created by a read."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == 2
    assert "no embedded store at repgraph.db" in result.output
    monkeypatch.setenv("REPGRAPH_DB", str(tmp_path / "elsewhere.db"))
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == 2 and str(tmp_path / "elsewhere.db") in result.output
    assert list(tmp_path.iterdir()) == []


def test_ingest_creates_the_store_and_reads_then_answer(tmp_path):
    db = tmp_path / "new.db"
    result = CliRunner().invoke(app, ["ingest", str(SYNTHETIC), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.is_file()
    result = CliRunner().invoke(app, ["query", "search", "-p", "q=testdefender", "--db", str(db), "-f", "json"])
    assert result.exit_code == 0 and '"p-defender-alpha"' in result.output


def test_open_store_creates_only_when_asked(tmp_path):
    db = tmp_path / "x.db"
    with pytest.raises(StoreMissing, match=str(db)):
        open_store(get_settings(db=db))
    assert not db.exists()
    open_store(get_settings(db=db), create=True).close()
    assert db.is_file()
    open_store(get_settings(db=db)).close()  # an existing store opens for reading


def test_an_ingest_whose_first_file_is_bad_creates_no_store(tmp_path):
    """Regression: ``repgraph ingest bad.yaml --db new.db`` created new.db (and its access
    file) before reading the file, and left them behind, empty, when the file was refused.
    A file that does not exist is refused the same way. A second bad file still leaves the
    first file's data (all-or-nothing per file)."""
    bad = tmp_path / "cases" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("dataset: fake-dataset\nnodes:\n  - {id: p-x, label: Person}\nrelationships: []\n")
    for given in (bad, tmp_path / "cases" / "missing.yaml"):
        proc = subprocess.run([sys.executable, "-m", "repgraph", "ingest", str(given), "--db", "new.db"],
                              cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.splitlines()[0].startswith(f"error: {given}")
        assert proc.stderr.splitlines()[-1] == "nothing was written from that file"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cases"]
    proc = subprocess.run([sys.executable, "-m", "repgraph", "ingest", str(SYNTHETIC), str(bad), "--db", "new.db"],
                          cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and f"ok {SYNTHETIC}" in proc.stdout.replace("\n", "")
    result = CliRunner().invoke(app, ["query", "search", "-p", "q=testdefender", "--db", str(tmp_path / "new.db"), "-f", "json"])
    assert result.exit_code == 0 and '"p-defender-alpha"' in result.output
