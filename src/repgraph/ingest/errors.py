"""Errors that point at the file, the record and the field."""

from __future__ import annotations

from pathlib import Path


class CaseFileError(ValueError):
    """Bad input in a case file. Nothing was written.

    Attributes: ``path`` (the file), ``record`` (e.g. ``nodes[3] (id=person-x)``, or None
    for file-level problems), ``field`` (e.g. ``roles[0]``, or None), ``problem``.
    """

    def __init__(self, path: str | Path, problem: str, record: str | None = None, field: str | None = None):
        self.path = str(path)
        self.record = record
        self.field = field
        self.problem = problem
        where = self.path
        if record:
            where += f", record {record}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {problem}")


def format_loc(loc: tuple) -> str:
    """``('roles', 0, 'x')`` -> ``roles[0].x``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
