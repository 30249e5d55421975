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
import io
import os
import shlex
import stat
import tempfile
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
    _refuse_database(path)
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
    ``/dev/full``).

    Yields one text buffer per path, in the order of ``paths``. Every output is checked and
    opened before the block runs: a regular file (new or existing) as a new owner-only
    ``.NAME.XXXX.part`` file in its folder (a symbolic link's target's folder), a device or
    pipe (``/dev/stdout``) as itself. When the block ends, the texts are written and
    flushed to disk, and only then do the part files replace the paths (a link is kept).
    On any failure, or an exception in the block, the part files are removed and every
    regular file is left as it was (none is created). Refused before anything is written:
    an SQLite database (a store or an access file given by mistake) or its ``-wal``,
    ``-shm`` or ``-journal`` file, a folder, and one file named twice (``-o x --judgements
    x``, also when ``x`` does not exist yet, or a hard link to it). An existing file in a
    folder this account may not add files to is rewritten in place. Raises OSError naming
    the file."""
    for path in paths:
        _refuse_database(path)
    # (path, fd, part file or None, the file the part file replaces or None)
    outputs: list[tuple[str | Path, int, str | None, str | None]] = []

    def discard() -> None:
        for _, fd, part, _ in outputs:
            try:
                os.close(fd)
            except OSError:
                pass
            if part is not None:
                try:
                    os.unlink(part)
                except OSError:
                    pass

    try:
        seen: dict[object, str | Path] = {}
        for path in paths:
            real = os.path.realpath(path)
            try:
                st: os.stat_result | None = os.stat(path)
            except FileNotFoundError:
                st = None
            if st is not None and stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            if st is not None and not stat.S_ISREG(st.st_mode):
                outputs.append((path, os.open(path, os.O_WRONLY), None, None))  # a device or pipe: in place
                continue
            key = (st.st_dev, st.st_ino) if st is not None else real  # a file not made yet: by its real path
            if key in seen:
                raise OSError(errno.EINVAL, f"is the same file as {seen[key]}: give each output its own file", str(path))
            seen[key] = path
            folder, name = os.path.split(real)
            try:
                fd, part = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
            except PermissionError:
                if st is None:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path)) from None
                # a folder that takes no new file: the existing file is rewritten in place
                outputs.append((path, os.open(path, os.O_WRONLY), None, None))
                continue
            except OSError as exc:  # name the file asked for, not the part file
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            outputs.append((path, fd, part, real))
            os.fchmod(fd, FILE_MODE)  # owner-only whatever the umask: said, not assumed
        buffers = [io.StringIO(newline="") for _ in outputs]
        yield buffers  # type: ignore[misc]
        for (path, fd, part, _), buffer in zip(outputs, buffers):
            data = buffer.getvalue().encode("utf-8")
            try:
                if part is None and stat.S_ISREG(os.fstat(fd).st_mode):  # in place
                    os.fchmod(fd, FILE_MODE)
                    os.ftruncate(fd, 0)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                if part is not None:
                    os.fsync(fd)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        discard()
        raise
    for _, fd, _, _ in outputs:
        os.close(fd)
    for _, _, part, real in outputs:
        if part is not None:
            os.replace(part, real)


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
    """One line per embedded store (with its ``-wal`` and ``-shm``) or access file that
    every account of this machine can read, saying what it holds and the ``chmod`` that
    makes it owner-only (each file quoted for the shell, as it is to be pasted there);
    empty when none is. Call it before opening the files: SQLite makes the ``-wal`` and
    ``-shm`` of the connection it opens (with the database's mode) and removes them when
    the last one closes, so only those that exist before (another process has the store
    open: a server) outlive the command, and a pasted ``chmod`` naming others would fail. ``None``: no such file
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


#: The files SQLite keeps next to a database while it is open (or after a crash).
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def _refuse_database(path: str | Path) -> None:
    """Raise OSError (EEXIST, naming ``path``) when it is an SQLite database (a store or an
    access file given as an output by mistake) or one of its ``-wal``, ``-shm`` or
    ``-journal`` files (tab completion offers them next to the store): writing there
    would lose the output when SQLite removes the file, or the store's last writes."""
    if _is_database(path):
        raise OSError(errno.EEXIST, "is an SQLite database (a store or an access file?): not overwritten", str(path))
    text = str(path)
    for suffix in COMPANION_SUFFIXES:
        if text.endswith(suffix) and _is_database(text[: -len(suffix)]):
            raise OSError(errno.EEXIST, f"is the {suffix[1:]} file of the SQLite database {text[: -len(suffix)]} "
                                        "(a store or an access file?): not written", text)


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
    """Write ``text`` to ``path``, owner-only, whole or not at all: a write that fails (a
    full disk) leaves the file as it was (:func:`open_private_all`). Raises OSError."""
    with open_private_all([path]) as (f,):
        f.write(text)
