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
import shlex
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


@contextmanager
def open_private_all(paths: list[str | Path]) -> Iterator[list[TextIO]]:
    """Every file of ``paths`` opened as :func:`open_private` opens one, or none: a command
    with several outputs (``export-ftm -o FILE --judgements FILE``) writes nothing unless
    it can write them all. Each path is checked (not an SQLite database) and opened before
    any is truncated; when one cannot be opened, the files this call created are removed
    and the others are left as they were. One file named twice (``-o x --judgements x``)
    is refused. Yields the open files in the order of ``paths`` and closes them after.
    Raises OSError (naming the file)."""
    for path in paths:
        if _is_database(path):
            raise OSError(errno.EEXIST, "is an SQLite database (a store or an access file?): not overwritten", str(path))
    fds: list[int] = []
    created: list[str | Path] = []
    try:
        seen: dict[tuple[int, int], str | Path] = {}
        for path in paths:
            existed = os.path.lexists(path)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
            fds.append(fd)
            if not existed:
                created.append(path)
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode):
                if (st.st_dev, st.st_ino) in seen:
                    raise OSError(errno.EINVAL, f"is the same file as {seen[st.st_dev, st.st_ino]}: "
                                                "give each output its own file", str(path))
                seen[st.st_dev, st.st_ino] = path
    except OSError:
        for fd in fds:
            os.close(fd)
        for path in created:
            try:
                os.unlink(path)
            except OSError:
                pass
        raise
    files: list[TextIO] = []
    try:
        for fd in fds:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fchmod(fd, FILE_MODE)  # O_CREAT leaves an existing file's mode as it was
                os.ftruncate(fd, 0)
            files.append(os.fdopen(fd, "w", encoding="utf-8", newline=""))
    except OSError:
        for f in files:
            f.close()
        for fd in fds[len(files):]:
            os.close(fd)
        raise
    try:
        yield files
    finally:
        for f in files:
            f.close()


def readable_by_others(paths: Iterable[str | Path]) -> list[tuple[Path, int]]:
    """The files of ``paths`` that every account of this machine can read: (path, mode)
    for each that exists, grants read to others, and sits in folders others can enter
    (a file in a ``0700`` home is not reachable, whatever its own mode). Missing files
    and ``:memory:`` are skipped. A store made before this version was created with the
    umask's mode (usually ``0644``): the CLI and the API warn about it (README, "Who can
    read the files")."""
    out: list[tuple[Path, int]] = []
    for path in paths:
        path = Path(path).expanduser()
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            continue
        if not stat.S_ISREG(mode) or not mode & stat.S_IROTH:
            continue
        if all(_enterable_by_others(folder) for folder in path.resolve().parents):
            out.append((path, stat.S_IMODE(mode)))
    return out


def _enterable_by_others(folder: Path) -> bool:
    try:
        return bool(os.stat(folder).st_mode & stat.S_IXOTH)
    except OSError:
        return False


def exposure_warnings(store_path: str | Path | None, access_path: str | Path | None) -> list[str]:
    """One line per file of an embedded store (with its ``-wal`` and ``-shm``) or access
    file that every account of this machine can read, saying what it holds and the
    ``chmod`` that makes it owner-only (each file quoted for the shell, as it is to be
    pasted there); empty when none is. ``None``: no such file
    (a Neo4j store)."""
    lines = []
    for base, what, holds in ((store_path, "the embedded store", "every name, protected persons' included"),
                              (access_path, "the access file", "key hashes and the audit log of who read whom")):
        if base is None or str(base) == ":memory:":
            continue
        files = [Path(f"{base}{suffix}").expanduser() for suffix in ("", "-wal", "-shm")]
        exposed = readable_by_others(files)
        if exposed:
            names = " ".join(_shell_word(p) for p, _ in exposed)
            modes = ", ".join(f"{p.name} {m:04o}" for p, m in exposed)
            lines.append(f"{what} {base} can be read by every account of this machine ({modes}), and it holds "
                         f"{holds}: `chmod 600 {names}` makes it owner-only (README, \"Who can read the files\")")
    return lines


def _shell_word(path: Path) -> str:
    """``path`` as one word of a shell command (``my cases.db`` is one file, not two; a
    name starting with ``-`` is not taken for an option)."""
    text = str(path)
    return shlex.quote(f"./{text}" if text.startswith("-") else text)


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
