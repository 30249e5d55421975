"""``export-ftm -o FILE --judgements FILE`` writes both files or neither, also when a
write itself fails (README, "Who can read the files").

Regression found by a newcomer pass: both files were opened (and truncated) first, then
written one after the other, so a write that failed (a full disk, a quota; ``/dev/full``
here) left the other file emptied or half written: ``-o /dev/full --judgements j.json``
exited 1 with ``j.json`` empty, its earlier judgements lost. Now each file is written
whole to a new file beside it and renamed over its path only once every output is
written. Real stores on both backends, and the real CLI.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SYNTHETIC
from repgraph.ftm.exporter import export_ftm
from repgraph.resolution import merge_not

REPO = Path(__file__).resolve().parents[1]
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@needs_dev_full
def test_a_failing_write_leaves_the_other_file_as_it_was(synthetic_store, tmp_path):
    merge_not(synthetic_store, "p-defender-alpha", "p-defender-beta", reason="two people", by="ana-ficticia")
    export, judgements = tmp_path / "graph.ftm.json", tmp_path / "judgements.json"
    export.write_text("an earlier export\n")
    judgements.write_text("earlier judgements\n")
    os.chmod(judgements, 0o640)
    # the export cannot be written: the judgements file keeps what it held, and its mode
    with pytest.raises(OSError) as failed:
        export_ftm(synthetic_store, FULL, judgements=judgements)
    assert (failed.value.errno, failed.value.filename) == (28, str(FULL))  # ENOSPC, naming the file
    assert (judgements.read_text(), _mode(judgements)) == ("earlier judgements\n", 0o640)
    # the judgements cannot be written (one is recorded, so there is something to write)
    with pytest.raises(OSError):
        export_ftm(synthetic_store, export, judgements=FULL)
    assert export.read_text() == "an earlier export\n"
    # a new file is not left behind either
    with pytest.raises(OSError):
        export_ftm(synthetic_store, tmp_path / "new.ftm.json", judgements=FULL)
    assert not (tmp_path / "new.ftm.json").exists()
    assert _leftovers(tmp_path) == []
    # both written when both can be: whole, owner-only
    result = export_ftm(synthetic_store, export, judgements=judgements)
    assert result.judgements == 1
    assert '"id": "p-defender-alpha"' in export.read_text(encoding="utf-8")
    lines = judgements.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"negative"' in lines[0] and "p-defender-alpha" in lines[0]
    assert (_mode(export), _mode(judgements), _leftovers(tmp_path)) == (0o600, 0o600, [])


def test_a_link_keeps_pointing_at_the_file_it_names(synthetic_store, tmp_path):
    """The new file replaces the link's target, not the link."""
    real = tmp_path / "real.ftm.json"
    real.write_text("old\n")
    link = tmp_path / "link.ftm.json"
    link.symlink_to(real.name)
    export_ftm(synthetic_store, link, judgements=tmp_path / "j.json")
    assert link.is_symlink() and os.readlink(link) == real.name
    assert '"id": "p-defender-alpha"' in real.read_text(encoding="utf-8")


def _cli(*args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(COLUMNS="250")
    return subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


@needs_dev_full
def test_the_cli_names_the_file_that_failed_and_writes_neither(tmp_path):
    db = tmp_path / "cases.db"
    assert _cli("ingest", SYNTHETIC, "--db", db).returncode == 0
    assert _cli("merge", "--not", "p-defender-alpha", "p-defender-beta", "--db", db).returncode == 0
    export, judgements = tmp_path / "e.json", tmp_path / "j.json"
    export.write_text("an earlier export\n")
    judgements.write_text("earlier judgements\n")
    proc = _cli("export-ftm", "-o", FULL, "--judgements", judgements, "--db", db)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (1, [f"error: {FULL}: No space left on device"])
    assert judgements.read_text() == "earlier judgements\n"
    proc = _cli("export-ftm", "-o", export, "--judgements", FULL, "--db", db)
    assert (proc.returncode, proc.stderr.strip().splitlines()) == (1, [f"error: {FULL}: No space left on device"])
    assert export.read_text() == "an earlier export\n"
    # a pipe or /dev/stdout as -o is still written, with the judgements beside it
    proc = _cli("export-ftm", "-o", "/dev/stdout", "--judgements", judgements, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert '"id": "p-defender-alpha"' in proc.stdout
    assert "p-defender-beta" in judgements.read_text() and _leftovers(tmp_path) == []
