"""Files that hold names are created readable by their owner only (repgraph/private_files.py).

Regression: a store, its access file (key hashes, the audit log of who read whom) and an
admin's dossier, FtM export or view were created with the umask's mode, 0644 here: every
account of the machine could read protected persons' names. Each exit that writes such a
file is run through the real CLI under umask 022 and its files' modes asserted."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import SYNTHETIC
from repgraph.private_files import create_private, make_private_folder, write_private_text
from repgraph.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parents[1]
#: A protected person of the synthetic network (a family member: guilt by association).
PROTECTED_NAME = "Mama Testrelative"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    """The usual umask: without this module, new files would be 0644 and folders 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(env_extra or {}, COLUMNS="250")
    proc = subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_every_file_the_cli_writes_with_names_is_owner_only(tmp_path, umask_022):
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    store_files = [p for p in tmp_path.iterdir() if p.name.startswith("cases.db")]
    assert db in store_files
    assert {p.name: mode(p) for p in store_files} == {p.name: 0o600 for p in store_files}  # -wal, -shm too

    cli("users", "add", "ana-ficticia", "--role", "analyst", "--db", db)
    access = [p for p in tmp_path.iterdir() if p.name.startswith("cases.access.db")]
    assert tmp_path / "cases.access.db" in access
    assert {p.name: mode(p) for p in access} == {p.name: 0o600 for p in access}

    outputs = {
        "dossier.md": ["dossier", "p-defender-alpha", "-o", tmp_path / "dossier.md", "--db", db],
        "export.ftm.json": ["export-ftm", "-o", tmp_path / "export.ftm.json", "--judgements", tmp_path / "judgements.json",
                            "--db", db],
        "ego.html": ["viz", "ego", "p-defender-alpha", "--depth", "2", "-o", tmp_path / "ego.html", "--db", db],
    }
    for args in outputs.values():
        cli(*args)
    written = [*outputs, "judgements.json"]
    assert {name: mode(tmp_path / name) for name in written} == {name: 0o600 for name in written}
    # they do hold what makes them sensitive: the admin's export names the protected relative
    assert PROTECTED_NAME in (tmp_path / "export.ftm.json").read_text(encoding="utf-8")


def test_a_new_access_folder_is_owner_only(tmp_path, umask_022):
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    access = tmp_path / "keys" / "team.access.db"
    cli("users", "add", "ana-ficticia", "--db", db, env_extra={"REPGRAPH_ACCESS_DB": str(access)})
    assert (mode(access.parent), mode(access)) == (0o700, 0o600)


def test_an_existing_store_keeps_its_mode_and_its_data(tmp_path, umask_022):
    """A store shared on purpose (a group, 0640) stays shared, and opening it again neither
    truncates it nor narrows it."""
    db = tmp_path / "shared.db"
    cli("ingest", SYNTHETIC, "--db", db)
    os.chmod(db, 0o640)
    store = EmbeddedStore(db)
    try:
        assert store.read("MATCH (p:Person {id: 'p-defender-alpha'}) RETURN p.name AS name") == [{"name": "Alfa Testdefender"}]
    finally:
        store.close()
    assert mode(db) == 0o640


def test_helpers(tmp_path, umask_022):
    assert create_private(tmp_path / "new.db") and mode(tmp_path / "new.db") == 0o600
    (tmp_path / "old.db").write_text("kept")
    assert not create_private(tmp_path / "old.db")
    assert (tmp_path / "old.db").read_text() == "kept" and mode(tmp_path / "old.db") == 0o644
    make_private_folder(tmp_path / "a" / "b")
    assert mode(tmp_path / "a" / "b") == 0o700
    (tmp_path / "wide.txt").write_text("old")
    write_private_text(tmp_path / "wide.txt", "Núñez\n")  # an export replacing a file narrows it
    assert (tmp_path / "wide.txt").read_text(encoding="utf-8") == "Núñez\n" and mode(tmp_path / "wide.txt") == 0o600


def cli_failing(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(COLUMNS="250")
    return subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_store_behind_a_dangling_symlink_is_created_owner_only(tmp_path, umask_022):
    """Regression: O_EXCL does not follow a symbolic link, so a link to a store not made yet
    (``cases.db -> /data/cases.db``) counted as an existing file and SQLite created the
    target with the umask's 0644: every name readable by every account."""
    target = tmp_path / "data" / "cases.db"
    target.parent.mkdir()
    link = tmp_path / "cases.db"
    link.symlink_to(target)
    cli("ingest", SYNTHETIC, "--db", link)
    assert link.is_symlink()  # the link stays a link; its target was created
    made = sorted(p.name for p in target.parent.iterdir())
    assert "cases.db" in made
    assert {name: mode(target.parent / name) for name in made} == {name: 0o600 for name in made}
    store = EmbeddedStore(link, create=False)
    try:
        assert store.read("MATCH (p:Person {id: 'p-defender-alpha'}) RETURN p.name AS name") == [{"name": "Alfa Testdefender"}]
    finally:
        store.close()
    # a link loop is not followed forever: nothing created, an error about the store
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    assert not create_private(loop)


def test_writing_to_something_else_than_a_file_keeps_its_mode(tmp_path, umask_022):
    """Regression: ``-o /dev/null`` (or /dev/stdout, a pipe) was fchmod-ed to 0600: as root
    that made /dev/null unusable for every other account, as anyone else it failed with
    'Operation not permitted'. Only regular files are narrowed; a named pipe shows it."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_private_text(fifo, "Pedro Ejemplo Núñez\n")
    reader.join(10)
    assert got == ["Pedro Ejemplo Núñez\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode) and mode(fifo) == 0o644


def test_an_unwritable_output_is_one_error_line_naming_the_file(tmp_path):
    """Regression: dossier -o and viz -o into a folder that does not exist ended in a
    traceback (exit 0 for the dossier's), export-ftm --judgements named -o's file instead."""
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    missing = tmp_path / "missing"
    runs = {
        "dossier": (["dossier", "p-defender-alpha", "-o", missing / "d.md"], missing / "d.md"),
        "judgements": (["export-ftm", "-o", tmp_path / "e.json", "--judgements", missing / "j.json"], missing / "j.json"),
        "export": (["export-ftm", "-o", missing / "e.json"], missing / "e.json"),
        "viz": (["viz", "ego", "p-defender-alpha", "-o", tmp_path / "cases.db" / "v.html"], tmp_path / "cases.db"),
    }
    for name, (args, named) in runs.items():
        proc = cli_failing(*args, "--db", db)
        assert (name, proc.returncode) == (name, 1)
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines() == [f"error: {named}: " + ("File exists" if name == "viz" else "No such file or directory")]
    assert not missing.exists()


def test_an_output_given_the_store_by_mistake_does_not_overwrite_it(tmp_path):
    """Regression: ``-o cases.db`` (the store, or its access file, typed where --db was meant)
    truncated it and wrote the export in its place: every case of the store lost. An
    export refuses to overwrite an SQLite database and the store reads as before."""
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    cli("users", "add", "ana-ficticia", "--role", "analyst", "--db", db)
    files = (db, tmp_path / "cases.access.db")
    for target in files:
        for args in (["dossier", "p-defender-alpha", "-o", target], ["export-ftm", "-o", target],
                     ["export-ftm", "-o", tmp_path / "e.json", "--judgements", target],
                     ["viz", "ego", "p-defender-alpha", "-o", target]):
            proc = cli_failing(*args, "--db", db)
            assert (args[0], proc.returncode) == (args[0], 1)
            assert proc.stderr.strip().splitlines() == [
                f"error: {target}: is an SQLite database (a store or an access file?): not overwritten"]
    # the demo's view too (its own store is another file)
    proc = cli_failing("demo", "--view", db, "--db", tmp_path / "demo.db")
    assert (proc.returncode, proc.stderr.strip().splitlines()[-1]) == (
        1, f"error: {db}: is an SQLite database (a store or an access file?): not overwritten")
    assert "Traceback" not in proc.stderr
    assert [p.read_bytes()[:16] for p in files] == [b"SQLite format 3\x00"] * 2
    assert "ana-ficticia" in cli("users", "list", "--db", db).stdout
    store = EmbeddedStore(db, create=False)
    try:
        assert store.read("MATCH (p:Person {id: 'p-defender-alpha'}) RETURN p.name AS name") == [{"name": "Alfa Testdefender"}]
    finally:
        store.close()


def test_an_export_with_two_outputs_writes_both_or_neither(tmp_path):
    """Regression: ``export-ftm -o missing/e.json --judgements j.json`` wrote j.json (every
    judgement, protected ids included) and then failed on -o. Both files are now opened
    before either is written: a failure leaves both as they were, a new one is removed."""
    db = tmp_path / "cases.db"
    cli("ingest", SYNTHETIC, "--db", db)
    missing = tmp_path / "missing"
    judgements, export = tmp_path / "j.json", tmp_path / "e.json"
    proc = cli_failing("export-ftm", "-o", missing / "e.json", "--judgements", judgements, "--db", db)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (1, [f"error: {missing / 'e.json'}: No such file or directory"])
    assert not judgements.exists()
    # files already there keep what they held, and their mode
    export.write_text("an earlier export\n")
    judgements.write_text("earlier judgements\n")
    os.chmod(judgements, 0o640)
    proc = cli_failing("export-ftm", "-o", export, "--judgements", missing / "j.json", "--db", db)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (1, [f"error: {missing / 'j.json'}: No such file or directory"])
    proc = cli_failing("export-ftm", "-o", judgements, "--judgements", missing / "j.json", "--db", db)
    assert proc.returncode == 1
    assert (export.read_text(), judgements.read_text(), mode(judgements)) == ("an earlier export\n", "earlier judgements\n", 0o640)
    # one file given for both would interleave them: refused, nothing written
    proc = cli_failing("export-ftm", "-o", export, "--judgements", export, "--db", db)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (
        1, [f"error: {export}: is the same file as {export}: give each output its own file"])
    assert export.read_text() == "an earlier export\n"
    # and both written when both can be
    cli("export-ftm", "-o", export, "--judgements", judgements, "--db", db)
    assert '"id": "p-defender-alpha"' in export.read_text(encoding="utf-8")
    assert (mode(export), mode(judgements), judgements.read_text()) == (0o600, 0o600, "")  # no judgement recorded


@pytest.fixture
def open_folder():
    """A folder every account may enter (0755), as a user's shared data folder often is:
    pytest's own tmp_path sits in a 0700 folder, where no file is readable by others."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="repgraph-test-open-"))
    folder.chmod(0o755)
    try:
        if not all(os.stat(p).st_mode & stat.S_IXOTH for p in folder.parents):
            pytest.skip(f"a parent of {folder} is closed to other accounts")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_store_every_account_can_read_is_warned_about(open_folder, tmp_path, umask_022):
    """A store made before files were created owner-only is 0644: every CLI command and the
    API say so on stderr (or the log), naming each file and the chmod that mends it; the
    answer itself is unchanged. Owner-only or group-shared (0640) files, and files in a
    folder others cannot enter, are not warned about."""
    from repgraph.private_files import exposure_warnings, readable_by_others

    db = open_folder / "old.db"
    cli("ingest", SYNTHETIC, "--db", db)
    cli("users", "add", "ana-ficticia", "--db", db)
    access = open_folder / "old.access.db"
    assert cli("stats", "--db", db).stderr == ""  # new files: owner-only, no warning
    os.chmod(db, 0o644)
    os.chmod(access, 0o604)
    proc = cli("show", "p-defender-alpha", "--db", db)
    assert "Alfa Testdefender" in proc.stdout
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    assert subprocess.run(["sh", "-c", re.search(r"`(chmod 600 [^`]+)`", proc.stderr).group(1)]).returncode == 0
    assert mode(db) == 0o600
    os.chmod(db, 0o644)
    # checked before the store is opened: the -wal and -shm this command makes (with the
    # store's mode) are gone when it ends, and a pasted chmod naming them failed (newcomer pass)
    assert proc.stderr.splitlines() == [
        f"warning: the embedded store {db} can be read by every account of this machine (old.db 0644), and it "
        f"holds every name, protected persons' included: `chmod 600 {db}` makes it owner-only (README, \"Who can "
        "read the files\")",
        f"warning: the access file {access} can be read by every account of this machine (old.access.db 0604), and "
        f"it holds key hashes and the audit log of who read whom: `chmod 600 {access}` makes it owner-only (README, "
        "\"Who can read the files\")",
    ]
    assert readable_by_others([db, access, open_folder / "none.db"]) == [(db, 0o644), (access, 0o604)]
    os.chmod(db, 0o640)
    assert readable_by_others([db]) == []
    # the same mode in a folder no other account can enter: not reachable, no warning
    (tmp_path / "closed").mkdir(mode=0o700)
    closed = tmp_path / "closed" / "x.db"
    closed.write_text("")
    os.chmod(closed, 0o644)
    assert exposure_warnings(closed, None) == []
    assert exposure_warnings(":memory:", None) == [] and exposure_warnings(None, None) == []


def test_the_api_warns_about_a_store_every_account_can_read(open_folder, caplog):
    import logging

    from repgraph.api import create_app
    from repgraph.config import get_settings

    db = open_folder / "old.db"
    cli("ingest", SYNTHETIC, "--db", db)
    os.chmod(db, 0o644)
    with caplog.at_level(logging.WARNING, logger="repgraph.api"):
        create_app(get_settings(db=db), access=open_folder / "keys.access.db")
    assert [r.getMessage() for r in caplog.records if r.name == "repgraph.api"] == [
        f"the embedded store {db} can be read by every account of this machine (old.db 0644), and it holds every "
        f"name, protected persons' included: `chmod 600 {db}` makes it owner-only (README, \"Who can read the files\")"]
