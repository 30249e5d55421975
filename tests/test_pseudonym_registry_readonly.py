"""The pseudonym registry never writes what its access file already holds (adv7).

Regression: with the registry (src/repgraph/access/pseudonyms.py) every viewer command
and every viewer request wrote to the access file (``INSERT OR IGNORE`` of the secret, of
each person's number, of each masked id) before reading what was already there, in every
new process. An access file that cannot be written (read-only: a file the owner locked,
a read-only volume) made ``repgraph --as viewer ...`` exit 1 "the answer is withheld",
where before the registry the same commands answered: nothing a viewer reads is written
to the audit log. Now it reads first and writes only a secret, a number or a masked id
it does not hold yet (which a read-only file still refuses: fail closed). Real CLI
processes over real stores, both backends; names are fake (tests/fixtures/protected.yaml).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_pseudonym_registry import _env_and_args

REPO = Path(__file__).resolve().parents[1]
OPAQUE = re.compile(r"protected-[0-9a-f]{16}")


def _read_only(path: Path) -> None:
    """Make ``path`` unwritable for this process, also for root (``chattr +i``)."""
    if os.geteuid() != 0:
        path.chmod(0o400)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("root cannot make a file read-only here (no chattr +i)")


def _writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.chmod(0o600)


def test_a_viewer_reads_through_a_read_only_access_file_that_holds_their_pseudonyms(protected_store, tmp_path, request):
    access = tmp_path / "cases.access.db"
    env, where = _env_and_args(protected_store, request, access)
    env["COLUMNS"] = "250"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "repgraph", "--as", "viewer", *args, *where], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)

    first = run("list", "Person")
    search = run("query", "search", "--param", "q=raid")
    assert first.returncode == 0 and search.returncode == 0, first.stderr + search.stderr
    assert "Protected person 1" in first.stdout and "Protected person 2" in first.stdout
    masked = [i for i in OPAQUE.findall(search.stdout) if i not in first.stdout]
    assert masked, search.stdout  # an incident shown under an opaque id (its id names a protected person)
    page = run("show", masked[0])  # its page shows masked relationship ids: recorded now
    assert page.returncode == 0, page.stderr
    _read_only(access)
    try:
        # every process below reads what the first ones recorded, and writes nothing
        for args, before in ((("list", "Person"), first), (("query", "search", "--param", "q=raid"), search),
                             (("show", masked[0]), page)):
            again = run(*args)
            assert again.returncode == 0, (args, again.stderr)
            assert again.stdout == before.stdout, args  # the same opaque ids and numbers
    finally:
        _writable(access)
