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
    """Every file of ``paths`` written as :func:`open_private` writes one, or none: a
    command with several outputs (``export-ftm -o FILE --judgements FILE``) changes no file
    unless it can write them all, also when a write itself fails (a full disk, a quota,
    ``/dev/full``). Yields one text buffer per path, in the order of ``paths``; when the
    block ends without an exception, each regular file (new or existing) is written to a
    new owner-only file in its folder, and only once all of them (and any device or pipe,
    ``/dev/stdout``) are written are they renamed over their paths (a symbolic link's
    target is replaced, the link kept). A failure removes the new files and leaves every
    regular file as it was. Refused before anything is written: an SQLite database (a store
    or an access file given by mistake), a folder, an existing file that cannot be written,
    and one file named twice (``-o x --judgements x``). A file whose folder takes no new
    file is written in place. Raises OSError naming the file."""
    import io
    import tempfile

    seen: dict[tuple[int, int], str | Path] = {}
    for path in paths:
        if _is_database(path):
            raise OSError(errno.EEXIST, "is an SQLite database (a store or an access file?): not overwritten", str(path))
        if os.path.isdir(path):
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        try:
            st = os.stat(path)
        except FileNotFoundError:
            folder = os.path.dirname(os.path.realpath(path)) or "."
            if not os.path.isdir(folder):
                raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)) from None
            continue
        if stat.S_ISREG(st.st_mode):
            if not os.access(path, os.W_OK):
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            if (st.st_dev, st.st_ino) in seen:
                raise OSError(errno.EINVAL, f"is the same file as {seen[st.st_dev, st.st_ino]}: "
                                            "give each output its own file", str(path))
            seen[st.st_dev, st.st_ino] = path
    buffers = [io.StringIO(newline="") for _ in paths]
    yield buffers  # an exception in the block: nothing is written
    texts = [b.getvalue() for b in buffers]
    staged: list[tuple[str, str | Path]] = []  # (new file, the path it replaces)
    direct: list[tuple[str | Path, str]] = []  # devices, pipes, folders that take no new file
    try:
        for path, text in zip(paths, texts):
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    direct.append((path, text))
                    continue
            except FileNotFoundError:
                pass
            target = os.path.realpath(path)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part",
                                           dir=os.path.dirname(target) or ".")
            except PermissionError:
                direct.append((path, text))
                continue
            staged.append((tmp, target))
            try:
                os.fchmod(fd, FILE_MODE)
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
        for path, text in direct:
            try:
                with open_private(path) as f:
                    f.write(text)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


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
