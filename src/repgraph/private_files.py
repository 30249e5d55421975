"""Files that hold names are created readable by their owner only.

An embedded store and an access file hold every name, protected persons' included, key
hashes and the audit log of who read whom; a dossier, an FtM export or a view written by
an admin holds protected names too. Created with the process's umask (usually 022) they
were readable by every account of the machine. Here they are created ``0600`` (``0700``
for a folder made for the access file), whatever the umask. SQLite creates a store's
``-wal`` and ``-shm`` files with the mode of the store file itself, so they follow.

Existing files keep their mode: a store shared on purpose with a server's account (a
group, ``chmod 660``) stays shared. ``chmod 600 FILE FILE-wal FILE-shm`` makes an older
store owner-only (README, "Who can read the files").
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TextIO

#: Owner read and write: the mode of every file repgraph creates that holds names.
FILE_MODE = 0o600
#: Owner only: the mode of a folder repgraph creates for such files.
FOLDER_MODE = 0o700
#: The first bytes of every SQLite database file (a store, an access file).
SQLITE_HEADER = b"SQLite format 3\x00"


def create_private(path: str | Path) -> bool:
    """Create ``path`` empty and owner-only if no file is there (an empty file is an empty
    SQLite database: SQLite then writes into it, keeping its mode). Returns whether it
    was created; an existing file is left as it is. A symbolic link to a file that does not
    exist yet creates that file (SQLite would otherwise create it with the umask's mode).
    Raises OSError."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        # O_EXCL does not follow a symbolic link: a dangling one is "existing" here, and
        # whoever opens the path next creates its target
        target = os.path.realpath(path)
        if not (os.path.islink(path) and not os.path.lexists(target)):
            return False
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:  # created meanwhile
            return False
    try:
        os.fchmod(fd, FILE_MODE)  # the umask narrows the mode given to open(), never widens it
    finally:
        os.close(fd)
    return True


def make_private_folder(folder: str | Path) -> None:
    """Create ``folder`` (and its parents) if missing; the folder made last is owner-only.
    An existing folder keeps its mode. Raises OSError."""
    folder = Path(folder)
    if folder.is_dir():
        return
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)


def open_private(path: str | Path) -> TextIO:
    """``path`` opened for writing UTF-8 text (created or truncated; newlines as written),
    readable and writable by its owner only: an existing file is narrowed to owner-only
    too (what it held is replaced by names it may not have held). Anything else than a
    regular file (``/dev/null``, ``/dev/stdout``, a pipe) keeps its mode: narrowing
    ``/dev/null`` as root would break every other account's programs. An SQLite database
    (a store or an access file given as ``-o`` by mistake) is not overwritten: OSError
    (EEXIST) naming it. Raises OSError."""
    if _is_database(path):
        raise OSError(errno.EEXIST, "is an SQLite database (a store or an access file?): not overwritten", str(path))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.fchmod(fd, FILE_MODE)  # O_CREAT leaves an existing file's mode as it was
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _is_database(path: str | Path) -> bool:
    """Whether ``path`` is a regular file that starts as an SQLite database does (a named
    pipe is not opened: reading it would wait for a writer)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # none there, or unreadable: opening it to write says what
        return False


def write_private_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` as :func:`open_private` opens it. Raises OSError."""
    with open_private(path) as f:
        f.write(text)
