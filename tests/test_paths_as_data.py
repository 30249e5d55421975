"""File and folder names are data: printed as given, quoted where they are pasted into a
shell, and a folder named for ingest must hold case files.

Regressions found by trying paths an investigator may well have (``cases [2024]/``,
``my cases.db``) on the real CLI, with a real store of each backend:

- ``repgraph ingest 'q[/b]/c.yaml'`` wrote the file, then ended in a rich MarkupError
  traceback (the path was read as markup) before the next file and the summary; a path
  with ``[bold]`` was printed without it, naming a file that does not exist. The same for
  export-ftm's, dossier's and import-ftm's "wrote"/"ok" lines, the demo and serve.
- the warning about a store every account can read suggested ``chmod 600 my cases.db``:
  pasted, that changes the mode of ``my`` and ``cases.db``, not of the store.
- ``repgraph ingest empty-folder/`` created an empty store and exited 0; a subfolder
  named ``old.json`` inside a folder ended in an IsADirectoryError traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SYNTHETIC
from test_private_files import open_folder  # noqa: F401  (a fixture)
from serving import wait_for_health

REPO = Path(__file__).resolve().parents[1]


def run(*args, cwd: Path = REPO, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(env_extra or {}, COLUMNS="300")
    return subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def target(store, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """(--db arguments, environment) that point the CLI at ``store`` (either backend),
    with an access file under ``tmp_path`` (never the user's)."""
    env = {"REPGRAPH_ACCESS_DB": str(tmp_path / "test.access.db")}
    if store.backend == "embedded":
        return ["--db", str(store.location)], env
    from conftest import _settings_from_environment

    s = _settings_from_environment()
    env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "", NEO4J_DATABASE=s["database"])
    return [], env


def test_paths_that_look_like_markup_are_printed_as_given(empty_store, tmp_path):
    closing = tmp_path / "q[" / "b]"  # the path's text holds "[/b]": a closing tag to rich
    bold = tmp_path / "[bold]cases"
    for folder in (closing, bold):
        folder.mkdir(parents=True)
        shutil.copy(SYNTHETIC, folder / "c.yaml")
    db, env = target(empty_store, tmp_path)
    proc = run("ingest", closing / "c.yaml", bold / "c.yaml", *db, env_extra=env)
    assert (proc.returncode, "Traceback" in proc.stderr) == (0, False), proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("ok ")] == [
        f"ok {closing / 'c.yaml'}: 28 nodes, 34 relationships (synthetic-fixture)",
        f"ok {bold / 'c.yaml'}: 28 nodes, 34 relationships (synthetic-fixture)"]
    assert re.search(r"^store .*: 28 nodes \(\+28\), 34 relationships \(\+34\)$", proc.stdout, re.M)

    export, judgements, dossier = closing / "[red]e.json", bold / "[i]j.json", closing / "[i]d.md"
    proc = run("export-ftm", "-o", export, "--judgements", judgements, *db, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:2] == [
        f"wrote {export}: 28 FtM entities (Article 2, Event 4, Family 2, Membership 1, Occupancy 4, Organization 1, "
        "Person 9, Position 3, PublicBody 2)", f"wrote {judgements}: 0 judgements"]
    assert '"Alfa Testdefender"' in export.read_text(encoding="utf-8")
    proc = run("dossier", "p-defender-alpha", "-o", dossier, *db, env_extra=env)
    assert (proc.returncode, proc.stdout.strip()) == (0, f"wrote {dossier} (md)"), proc.stderr
    proc = run("import-ftm", export, *db, env_extra=env)
    assert proc.returncode == 0 and proc.stdout.startswith(f"ok {export}: 28 FtM entities"), proc.stdout + proc.stderr


def test_an_embedded_store_named_like_markup_is_named_as_given(tmp_path):
    db = tmp_path / "q[" / "b]" / "[red]cases.db"
    db.parent.mkdir(parents=True)
    env = {"REPGRAPH_ACCESS_DB": str(tmp_path / "test.access.db")}
    proc = run("ingest", SYNTHETIC, "--db", db, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == f"store {db} (embedded): 28 nodes (+28), 34 relationships (+34)"
    proc = run("demo", "--db", tmp_path / "[b]demo.db", env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"^store {re.escape(str(tmp_path / '[b]demo.db'))}: \d+ nodes, \d+ relationships$", proc.stdout, re.M)


@pytest.mark.parametrize("name", ["my cases [2024]", "-cases"])
def test_the_warnings_chmod_pasted_in_a_shell_mends_exactly_the_store(open_folder, name):  # noqa: F811
    """The store is a relative path in the working folder (``--db=NAME.db``), as a user types
    it, and open in another process (a server: its -wal and -shm stay while it runs)."""
    from repgraph.store.embedded import EmbeddedStore

    env = {"REPGRAPH_ACCESS_DB": str(open_folder / "keys.access.db")}
    proc = run("ingest", SYNTHETIC, f"--db={name}.db", cwd=open_folder, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    os.chmod(open_folder / f"{name}.db", 0o644)  # a store made before files were owner-only
    with EmbeddedStore(open_folder / f"{name}.db", create=False) as server:
        assert server.read("MATCH (p:Person {id: 'p-defender-alpha'}) RETURN p.name AS name") == [{"name": "Alfa Testdefender"}]
        store_files = sorted(p for p in open_folder.iterdir() if p.name.startswith(name))
        assert [(p.name, p.stat().st_mode & 0o777) for p in store_files] == [
            (f"{name}.db", 0o644), (f"{name}.db-shm", 0o644), (f"{name}.db-wal", 0o644)]
        before = sorted(p.name for p in open_folder.iterdir())
        proc = run("stats", f"--db={name}.db", cwd=open_folder, env_extra=env)
        assert proc.returncode == 0 and "28" in proc.stdout
        [warning] = proc.stderr.splitlines()
        command = re.search(r"`(chmod 600 [^`]+)`", warning).group(1)
        done = subprocess.run(["sh", "-c", command], cwd=open_folder, capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (0, "")
        assert sorted(p.name for p in open_folder.iterdir()) == before  # no other file made or touched
        assert {p.name: p.stat().st_mode & 0o777 for p in store_files} == {p.name: 0o600 for p in store_files}
        assert run("stats", f"--db={name}.db", cwd=open_folder, env_extra=env).stderr == ""


def test_an_ingest_of_a_folder_without_case_files_writes_nothing(empty_store, tmp_path):
    """An empty folder, or one holding only other files and a subfolder named like a case
    file, is refused naming it (exit 2): nothing is written, no store or access file made."""
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    (other / "old.json").mkdir(parents=True)
    (other / "notes.txt").write_text("not a case file\n")
    db, env = target(empty_store, tmp_path)
    new_db = tmp_path / "new.db"
    if db:
        db = ["--db", str(new_db)]
    for folder in (empty, other):
        proc = run("ingest", folder, *db, env_extra=env)
        assert (proc.returncode, proc.stderr.splitlines()) == (
            2, [f"error: {folder}: no case file (.json, .yaml, .yml) in this folder", "nothing was written from that file"])
    # a good file first does not make a later empty folder pass: nothing written either
    proc = run("ingest", SYNTHETIC, empty, *db, env_extra=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert not new_db.exists() and not (tmp_path / "test.access.db").exists()
    assert empty_store.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    # a subfolder named like a case file is not one: the folder's real case file is read
    shutil.copy(SYNTHETIC, other / "synthetic.yaml")
    proc = run("ingest", other, *db, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == f"ok {other / 'synthetic.yaml'}: 28 nodes, 34 relationships (synthetic-fixture)"
    # and one given by name is refused as a folder without case files, not a traceback
    proc = run("ingest", other / "old.json", *db, env_extra=env)
    assert (proc.returncode, proc.stderr.splitlines()[0]) == (
        2, f"error: {other / 'old.json'}: no case file (.json, .yaml, .yml) in this folder")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device whose writes fail: a full disk)")
def test_an_export_whose_write_fails_leaves_every_file_as_it_was(empty_store, tmp_path):
    """Regression: ``export-ftm -o e.json --judgements j.json`` opened both files, truncated
    both, then wrote: when a write failed (a full disk; /dev/full here) the other file was
    already emptied or half-written, and the error named -o's file whichever failed. Now
    the text is written to part files that replace the files only when every write
    succeeded; the error names the file that failed."""
    db, env = target(empty_store, tmp_path)
    assert run("ingest", SYNTHETIC, *db, env_extra=env).returncode == 0
    proc = run("merge", "p-defender-alpha", "p-defender-beta", "--reason", "test: one person", *db, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    out.mkdir()
    export, judgements = out / "e.json", out / "j.json"
    export.write_text("an earlier export\n")
    judgements.write_text("earlier judgements\n")
    for args, failing in ((["-o", export, "--judgements", "/dev/full"], "/dev/full"),
                          (["-o", "/dev/full", "--judgements", judgements], "/dev/full")):
        proc = run("export-ftm", *args, *db, env_extra=env)
        assert (proc.returncode, proc.stderr.strip().splitlines()) == (1, [f"error: {failing}: No space left on device"])
        assert (export.read_text(), judgements.read_text()) == ("an earlier export\n", "earlier judgements\n")
        assert sorted(p.name for p in out.iterdir()) == ["e.json", "j.json"]  # no part file left behind
    proc = run("export-ftm", "-o", out / "new.json", "--judgements", "/dev/full", *db, env_extra=env)
    assert proc.returncode == 1 and sorted(p.name for p in out.iterdir()) == ["e.json", "j.json"]  # none created
    # one new file named twice (two spellings): refused, not the export silently replaced by the judgements
    proc = run("export-ftm", "-o", out / "new.json", "--judgements", out / "." / "new.json", *db, env_extra=env)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (
        1, [f"error: {out / '.' / 'new.json'}: is the same file as {out / 'new.json'}: give each output its own file"])
    assert sorted(p.name for p in out.iterdir()) == ["e.json", "j.json"]
    # both written when both can be: the merge's judgement, and the merged person once
    proc = run("export-ftm", "-o", export, "--judgements", judgements, *db, env_extra=env)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)[:3] for line in judgements.read_text().splitlines()] == [
        ["p-defender-beta", "p-defender-alpha", "positive"]]
    people = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in people if p["id"] in ("p-defender-alpha", "p-defender-beta")] == ["p-defender-alpha"]
    assert {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()} == {"e.json": 0o600, "j.json": 0o600}
    assert sorted(p.name for p in out.iterdir()) == ["e.json", "j.json"]


def test_every_command_that_opens_the_access_file_warns_when_everyone_can_read_it(empty_store, open_folder, tmp_path):  # noqa: F811
    """Regression: only commands through store_for warned. ``users add/list/revoke`` and
    ``audit`` open nothing but the access file (key hashes, the audit log of who read whom)
    and said nothing about it being 0644; each now warns, once per command (``merge``
    opens it twice)."""
    db, env = target(empty_store, tmp_path)
    access = open_folder / "team.access.db"
    env["REPGRAPH_ACCESS_DB"] = str(access)
    assert run("ingest", SYNTHETIC, *db, env_extra=env).returncode == 0
    assert "warning" not in run("users", "add", "ana-ficticia", *db, env_extra=env).stderr  # owner-only: no warning
    os.chmod(access, 0o644)
    warning = (f"warning: the access file {access} can be read by every account of this machine (team.access.db 0644), "
               f"and it holds key hashes and the audit log of who read whom: `chmod 600 {access}` makes it owner-only "
               "(README, \"Who can read the files\")")
    for args in (["users", "list"], ["audit"], ["users", "add", "pedro-ejemplo"], ["users", "revoke", "pedro-ejemplo"],
                 ["merge", "--not", "p-chief-old", "p-agent-gamma"], ["stats"]):
        proc = run(*args, *db, env_extra=env)
        assert proc.returncode == 0, proc.stderr
        assert [line for line in proc.stderr.splitlines() if line.startswith("warning:")] == [warning], args
    assert "ana-ficticia" in run("users", "list", *db, env_extra=env).stdout


def test_an_output_given_a_stores_wal_or_shm_file_is_refused(empty_store, tmp_path):
    """Regression: ``export-ftm -o cases.db-wal`` (tab completion offers it next to the
    store) said "wrote cases.db-wal", exit 0, and SQLite removed the file when the store
    closed: the export was gone, and a store another process held open had its write-ahead
    log replaced. A store's or an access file's -wal, -shm and -journal are refused like
    the database itself, for every output; nothing is written."""
    db, env = target(empty_store, tmp_path)
    assert run("ingest", SYNTHETIC, *db, env_extra=env).returncode == 0
    assert run("users", "add", "ana-ficticia", *db, env_extra=env).returncode == 0
    access = tmp_path / "test.access.db"
    databases = [access] + ([Path(db[1])] if db else [])
    for database in databases:
        for suffix in ("-wal", "-shm", "-journal"):
            output = Path(f"{database}{suffix}")
            for args in (["export-ftm", "-o", output], ["export-ftm", "-o", tmp_path / "e.json", "--judgements", output],
                         ["dossier", "p-defender-alpha", "-o", output], ["viz", "ego", "p-defender-alpha", "-o", output]):
                proc = run(*args, *db, env_extra=env)
                assert (args[0], proc.returncode, proc.stderr.strip().splitlines()) == (args[0], 1, [
                    f"error: {output}: is the {suffix[1:]} file of the SQLite database {database} (a store or an "
                    "access file?): not written"])
    assert not (tmp_path / "e.json").exists()
    assert "ana-ficticia" in run("users", "list", *db, env_extra=env).stdout
    assert '"p-defender-alpha"' in run("query", "search", "-p", "q=testdefender", "-f", "json", *db, env_extra=env).stdout


def test_serve_names_a_store_that_looks_like_markup_and_answers(tmp_path):
    """Regression: ``repgraph serve --db 'q[/b]/cases.db'`` ended in a MarkupError traceback
    before listening (its announcement read the path as markup); ``[red]`` vanished."""
    db = tmp_path / "q[" / "b]" / "[red]cases.db"
    db.parent.mkdir(parents=True)
    env = {"REPGRAPH_ACCESS_DB": str(tmp_path / "keys" / "[i]team.access.db")}
    assert run("ingest", SYNTHETIC, "--db", db, env_extra=env).returncode == 0
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    proc = subprocess.Popen([sys.executable, "-m", "repgraph", "serve", "--port", "0", "--db", str(db)], cwd=REPO,
                            env={**base, **env, "COLUMNS": "300"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first, second = proc.stderr.readline(), proc.stderr.readline()
        m = re.fullmatch(rf"repgraph API on http://127\.0\.0\.1:(\d+) \(embedded: {re.escape(str(db))}\); docs at /docs; "
                         r"1 worker process\n", first)
        assert m, first + second + (proc.stderr.read() if proc.poll() is not None else "")
        assert second.startswith(f"users and audit log: {env['REPGRAPH_ACCESS_DB']}; answering Host: ")
        r = wait_for_health(m.group(1), proc)
        assert r.status_code == 200 and r.json()["backend"] == "embedded"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
