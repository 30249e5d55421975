"""Reading and validating case files (YAML or JSON) against the ontology."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..ontology import NODE_MODELS, REL_MODELS, CaseFile
from .errors import CaseFileError, format_loc

SUFFIXES = {".yaml", ".yml", ".json"}


def read_text(path: Path) -> str:
    """The UTF-8 text of an input file. Raises :class:`CaseFileError` naming the file when
    it is missing, unreadable (a folder, no permission) or not UTF-8 (case files and FtM
    files alike)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CaseFileError(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise CaseFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:  # a folder, a file this account may not read
        raise CaseFileError(path, f"cannot be read: {exc.strerror or exc}") from None


class _CaseFileLoader(yaml.SafeLoader):
    """YAML's safe loader with timestamps left as the text written: an unquoted date is
    then checked by the model like a quoted one, so ``date: 2024-13-01`` is refused naming
    the record and the field (PyYAML's own date parsing raised before any record was known)."""


_CaseFileLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _read(path: Path) -> Any:
    text = read_text(path)
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_CaseFileLoader)  # noqa: S506 (a SafeLoader subclass)
    except json.JSONDecodeError as exc:
        raise CaseFileError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CaseFileError(path, f"invalid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise CaseFileError(path, "nested too deeply to be a case file") from None
    except ValueError as exc:  # a scalar PyYAML itself cannot construct
        raise CaseFileError(path, f"invalid value: {exc}") from None


def _record_name(data: Any, section: str, index: int) -> str:
    try:
        rec = data[section][index]
        ident = rec.get("id") or (f"{rec.get('type')} {rec.get('from')}->{rec.get('to')}" if section == "relationships" else None)
    except (KeyError, IndexError, TypeError, AttributeError):
        ident = None
    return f"{section}[{index}]" + (f" (id={ident})" if ident else "")


def _located(path: Path, data: Any, exc: ValidationError) -> CaseFileError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if loc and loc[0] in ("nodes", "relationships") and len(loc) >= 2 and isinstance(loc[1], int):
        record = _record_name(data, loc[0], loc[1])
        rest = loc[2:]
        # pydantic puts the discriminator value (e.g. 'Person') first for tagged unions
        if rest and isinstance(rest[0], str) and (rest[0] in NODE_MODELS or rest[0] in REL_MODELS):
            rest = rest[1:]
        field = format_loc(rest) or None
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field = "label" if loc[0] == "nodes" else "type"
        more = len(exc.errors()) - 1
        extra = f" (and {more} more {'problem' if more == 1 else 'problems'}: fix this one and load again)" if more else ""
        return CaseFileError(path, msg + extra, record, field)
    return CaseFileError(path, msg, None, format_loc(loc) or None)


def load_case_file(path: str | Path) -> CaseFile:
    """Read and validate one case file.

    Returns the validated :class:`~repgraph.ontology.CaseFile`. Raises
    :class:`CaseFileError` naming the file, the record (``nodes[i] (id=...)``) and the
    field on any problem: unreadable file, bad syntax, schema violation, duplicate id,
    or a relationship whose ends have the wrong labels within the file.
    References to ids not in the file are checked against the store at ingest.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise CaseFileError(path, f"unknown file type {path.suffix!r}; case files are .yaml, .yml or .json")
    data = _read(path)
    if not isinstance(data, dict):
        raise CaseFileError(path, "a case file is a mapping with 'dataset', 'nodes' and 'relationships'")
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise _located(path, data, exc) from None
    except RecursionError:
        raise CaseFileError(path, "nested too deeply to be a case file") from None
    seen: dict[str, int] = {}
    for i, node in enumerate(case.nodes):
        if node.id in seen:
            raise CaseFileError(path, f"duplicate id {node.id!r} (first at nodes[{seen[node.id]}])", _record_name(data, "nodes", i), "id")
        seen[node.id] = i
    rel_seen: dict[str, int] = {}
    for i, rel in enumerate(case.relationships):
        if rel.id in rel_seen:
            raise CaseFileError(
                path, f"duplicate relationship id {rel.id!r} (first at relationships[{rel_seen[rel.id]}])",
                _record_name(data, "relationships", i), "id",
            )
        rel_seen[rel.id] = i
    _refuse_hierarchy_cycles(path, data, case)
    return case


#: Relationships that build a hierarchy (a unit within a body, a unit reporting to
#: another): a cycle in one makes "the chain of command above X" endless.
HIERARCHY_TYPES = ("PART_OF", "REPORTS_TO")


def _refuse_hierarchy_cycles(path: Path, data: Any, case: CaseFile) -> None:
    """Raise :class:`CaseFileError` at the relationship that closes a cycle of
    ``PART_OF`` or ``REPORTS_TO`` among this file's relationships whose periods overlap (a
    unit within itself at one moment is a typo; A under B until 2015 and B under A from
    2020 is a reorganisation, and stays). Undated relationships hold at every moment.
    Cycles through relationships of other datasets are not seen here."""
    for rel_type in HIERARCHY_TYPES:
        above: dict[str, list[tuple[str, str, str]]] = {}
        for i, rel in enumerate(case.relationships):
            if rel.type_name != rel_type:
                continue
            window = _period(rel)
            # does rel.to already reach rel.from_ at a moment inside this edge's period?
            stack, seen = [(rel.to, window)], set()
            while stack:
                node, (lo, hi) = stack.pop()
                if node == rel.from_:
                    raise CaseFileError(path, f"this {rel_type} closes a cycle: {rel.to!r} is already within "
                                              f"{rel.from_!r} in this file at the same time",
                                        _record_name(data, "relationships", i), "to")
                if node in seen:
                    continue
                seen.add(node)
                for up, start, end in above.get(node, ()):
                    if max(lo, start) <= min(hi, end):
                        stack.append((up, (max(lo, start), min(hi, end))))
            above.setdefault(rel.from_, []).append((rel.to, *window))


def _period(rel: Any) -> tuple[str, str]:
    """(first day, last day) a dated hierarchy relationship holds; open ends are unbounded."""
    props = rel.derived_properties()
    return props.get("validFrom", "0000-01-01"), props.get("validTo", "9999-12-31")
