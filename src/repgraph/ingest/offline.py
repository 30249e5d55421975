"""First load of a large source into Neo4j with ``neo4j-admin database import`` (``repgraph import-neo4j``).

The default ingest writes each file in one transaction through Cypher; ``--bulk`` commits
every 10,000 rows. Both pay the server's per-node cost of MERGE, constraints and indexes
(~110-160 µs of server CPU per node on the benchmark machine). ``neo4j-admin database
import full`` writes the store files directly from CSV, and indexes are built once
afterwards. This module gets there in four steps, each reported with its time:

1. **stage**: every file is validated and projected by the ingest itself
   (:func:`repgraph.ingest.writer.write_case`) into an in-memory
   :class:`~repgraph.ingest.staging.StagingStore` that starts empty, as the imported
   database does. A bad file stops everything with the same located error as ``repgraph
   ingest`` (file, record, field) before anything is written anywhere.
2. **csv**: the staged nodes, relationships and ``Dataset`` records become neo4j-admin CSV
   files (one per label or relationship type and column types; typed headers: ``:ID``,
   ``:START_ID``/``:END_ID``, ``string[]``, ``long``, ``double``, ``boolean``).
3. **import**: ``neo4j-admin database import full DB --overwrite-destination`` (with
   ``overwrite=True`` only) runs against the **stopped** DBMS.
4. **schema** (server started): graph/schema.cypher's constraints and indexes, the
   full-text index ``entity_search`` included, are created and awaited until online
   (:func:`apply_schema_online`; the writers' ``WriteLock`` node came with the CSV).

What it gives up, against ``repgraph ingest``: it is for a **first load into an empty
database** only (the projection assumes no earlier statements: re-importing does not merge
with what the database holds, it **replaces the whole database**); the **server must be
stopped** while it runs; and it is all-or-nothing for the whole import rather than per
file (validation refuses a bad file before neo4j-admin runs; a failure inside neo4j-admin
leaves no usable database, run the command again). Day-to-day case files keep the
transactional ingest, which can follow an import.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from .. import queries as Q
from ..schema import ENTITY_LABEL
from ..private_files import open_private
from .staging import StagedGraph, StagingStore
from .writer import IngestResult, expand_paths, stated_ids, write_case
from .errors import CaseFileError
from .loader import load_case_file

#: Separator of array elements inside one CSV field (neo4j-admin ``--array-delimiter``):
#: the ASCII unit separator, which no text value of a case file is expected to hold
#: (one that does is refused: :class:`OfflineImportError`).
ARRAY_DELIMITER = "\x1f"
DATASET_LABEL = "Dataset"


class OfflineImportError(RuntimeError):
    """The import could not be prepared or neo4j-admin refused it. The message is for people."""


@dataclass
class ImportFiles:
    """The CSV files of one import (names inside ``folder``) and the neo4j-admin arguments
    naming them."""

    folder: Path
    #: (labels, file name): ``Entity:Person``, ``nodes-005-Person.csv``
    node_files: list[tuple[str, str]] = field(default_factory=list)
    #: (relationship type, file name)
    relationship_files: list[tuple[str, str]] = field(default_factory=list)
    multiline: bool = False
    #: (label or relationship type, property, is a relationship) of empty lists, each
    #: imported as a marker property and filled in afterwards (:func:`fill_empty_lists`).
    #: The ontology stores no empty list (:meth:`repgraph.ontology.Element.to_properties`),
    #: so this stays empty unless a bookkeeping record holds one.
    empty_lists: set[tuple[str, str, bool]] = field(default_factory=set)
    nodes: int = 0
    relationships: int = 0

    @property
    def node_args(self) -> list[str]:
        return [f"--nodes={labels}={self.folder / name}" for labels, name in self.node_files]

    @property
    def relationship_args(self) -> list[str]:
        return [f"--relationships={rel_type}={self.folder / name}" for rel_type, name in self.relationship_files]


@dataclass
class ImportReport:
    """What an import did: per-file ingest results, counts, and seconds per step
    (``stage``, ``csv``, ``import``, ``start``, ``lists`` only when empty lists were restored,
    ``schema``)."""

    results: list[IngestResult]
    nodes: int
    relationships: int
    datasets: int
    seconds: dict[str, float] = field(default_factory=dict)
    admin_output: str = ""
    #: the ids each file states (same order as ``results``), for the audit
    ids: list[list[str]] = field(default_factory=list)

    @property
    def elements(self) -> int:
        """Entity nodes plus relationships, as ``repgraph ingest`` counts them."""
        return self.nodes + self.relationships


# --------------------------------------------------------------------------- 1. stage


def stage_paths(paths: Iterable[str | Path], progress: Callable[[Path, Any, IngestResult], None] | None = None
                ) -> tuple[StagedGraph, list[IngestResult]]:
    """Validate and project files (and folders of case files), in order, as ``repgraph
    ingest`` would into an empty store. Raises the first bad file's
    :class:`~repgraph.ingest.CaseFileError` (nothing is imported then)."""
    store = StagingStore()
    results = []
    for path in expand_paths(paths):
        case = load_case_file(path)
        if _MAY_HOLD_DELIMITER.search(Path(path).read_bytes()):  # a cheap gate: the check re-projects every element
            _refuse_array_delimiter(path, case)
        result = write_case(store, case, path)
        results.append(result)
        if progress:
            progress(path, case, result)
    return store.graph, results


#: The array delimiter as a case file can hold it: the character itself, or escaped in JSON
#: (``\u001f``) or YAML (``\x1f``, ``\u001f``, ``\U0000001f``), any case.
_MAY_HOLD_DELIMITER = re.compile(rb"\x1f|\\(?:x1f|u001f|U0000001f)", re.IGNORECASE)


def _refuse_array_delimiter(path: Path, case) -> None:
    """Raise :class:`~repgraph.ingest.CaseFileError` naming the file, record and field of a
    list value holding :data:`ARRAY_DELIMITER`: neo4j-admin would split it (``repgraph
    ingest`` stores it; only this import cannot)."""
    for section, elements in (("nodes", case.nodes), ("relationships", case.relationships)):
        for i, element in enumerate(elements):
            for key, value in element.to_properties().items():
                if isinstance(value, list) and any(isinstance(v, str) and ARRAY_DELIMITER in v for v in value):
                    raise CaseFileError(path, "holds the ASCII unit separator (U+001F), import-neo4j's array "
                                        "delimiter: remove it, or load this file with 'repgraph ingest'",
                                        f"{section}[{i}] (id={element.id})", key)


# --------------------------------------------------------------------------- 2. csv


_SCALAR_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "long", float: "double"}


def _scalar_type(value: Any) -> str | None:
    kind = _SCALAR_TYPES.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    return None


def column_type(value: Any) -> str:
    """The neo4j-admin header type of one property value (an empty list is ``string[]``,
    stored as an empty array as the driver stores ``[]``). Raises
    :class:`OfflineImportError` for a value Neo4j cannot hold as a property."""
    kind = _SCALAR_TYPES.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, list):
        kinds = {_scalar_type(v) for v in value}
        if not value:
            return "string[]"
        if len(kinds) == 1 and None not in kinds:
            return f"{kinds.pop()}[]"
        raise OfflineImportError(f"a list property mixes types or holds nested values: {value!r:.200}")
    kind = _scalar_type(value)
    if kind is None:
        raise OfflineImportError(f"a property value Neo4j cannot store: {value!r:.200}")
    return kind


def _text(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _string_field(value: Any) -> str:
    return _quoted(value if type(value) is str else _text(value))


def _array_field(value: Any) -> str:
    parts = [v if type(v) is str else _text(v) for v in value]
    text = ARRAY_DELIMITER.join(parts)
    if parts and text.count(ARRAY_DELIMITER) != len(parts) - 1:
        raise OfflineImportError("a list value holds the ASCII unit separator (U+001F), the import's array delimiter")
    return _quoted(text)


def _formatter(kind: str) -> Callable[[Any], str]:
    """How a value of header type ``kind`` is written in a CSV field (``None``: empty)."""
    if kind.endswith("[]"):
        return _array_field
    if kind == "string":
        return _string_field
    return _text


class _CsvGroup:
    """Rows of one label (or relationship type) sharing column types: one CSV file."""

    def __init__(self, path: Path, leading: list[str], columns: dict[str, str]):
        self.path = path
        self.columns = columns  # property -> header type
        self.leading = leading
        self.rows: list[str] = []
        self.multiline = False
        self._formats = [(k, _formatter(t)) for k, t in columns.items()]

    def field(self, value: Any, kind: str) -> str:
        """One field: ``value`` as header type ``kind`` (``None``: empty, no property)."""
        return "" if value is None else _formatter(kind)(value)

    def add(self, lead: list[str], props: dict[str, Any]) -> None:
        get = props.get
        row = ",".join([*lead, *("" if (v := get(k)) is None else f(v) for k, f in self._formats)])
        if not self.multiline and ("\n" in row or "\r" in row):
            self.multiline = True
        self.rows.append(row)

    def write(self) -> None:
        header = ",".join([*self.leading, *(f"{k}:{t}" for k, t in self.columns.items())])
        with _owner_only(self.path) as f:
            f.write(header + "\n")
            f.write("\n".join(self.rows))
            if self.rows:
                f.write("\n")


def _grouped(items: list[tuple[str, dict[str, Any]]]) -> list[tuple[dict[str, str], list[int]]]:
    """Split rows of one label/type into groups with one header type per property: the
    first type seen of each property wins, a row with another type (an int where others
    hold floats) goes to a group of its own signature."""
    main: dict[str, str] = {}
    groups: dict[tuple, list[int]] = defaultdict(list)
    signatures: dict[tuple, dict[str, str]] = {}
    for i, (_, props) in enumerate(items):
        types = {k: column_type(v) for k, v in props.items() if v is not None}
        clash = any(k in main and main[k] != t for k, t in types.items())
        if clash:
            key = tuple(sorted(types.items()))
            signatures[key] = types
            groups[key].append(i)
        else:
            for k, t in types.items():
                main.setdefault(k, t)
            groups[()].append(i)
    out = [(main, groups[()])] if groups[()] else []
    out += [(signatures[k], rows) for k, rows in groups.items() if k != ()]
    return out


def _marked(props: dict[str, Any], owner: str, is_rel: bool, empty: set) -> dict[str, Any]:
    """``props`` with each empty list replaced by its marker (neo4j-admin stores no empty
    array: an empty field is no property)."""
    if not any(v == [] for v in props.values()):
        return props
    out = {}
    for k, v in props.items():
        if v == []:
            out[Q.EMPTY_LIST_MARKER.format(prop=k)] = True
            empty.add((owner, k, is_rel))
        else:
            out[k] = v
    return out


def write_csv(graph: StagedGraph, folder: Path) -> ImportFiles:
    """Write ``graph`` as neo4j-admin CSV files into ``folder`` (created). Entity nodes
    carry the labels ``Entity`` and their own; ``Dataset`` records only ``Dataset``; one
    ``WriteLock`` node (the writers' lock, :data:`repgraph.queries.WRITE_LOCK`) is added.
    ``id`` is the import id (``:ID``) and stays a string property, as the ingest stores it."""
    folder.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(folder)
    by_label: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for node_id, (label, props) in graph.nodes.items():
        by_label[label].append((node_id, _marked(props, label, False, files.empty_lists)))
    by_label_ds = [(i, _marked(props, DATASET_LABEL, False, files.empty_lists)) for i, props in graph.datasets.items()]
    groups: list[tuple[str, str, _CsvGroup]] = []
    n = 0
    for label, items in [*sorted(by_label.items()), (DATASET_LABEL, by_label_ds)]:
        space = DATASET_LABEL if label == DATASET_LABEL else ENTITY_LABEL
        labels = label if label == DATASET_LABEL else f"{ENTITY_LABEL}:{label}"
        for columns, rows in _grouped(items):
            columns = {k: t for k, t in columns.items() if k != "id"}
            g = _CsvGroup(folder / f"nodes-{n:03d}-{label}.csv", [f"id:ID({space})"], columns)
            n += 1
            for i in rows:
                node_id, props = items[i]
                g.add([g.field(node_id, "string")], props)
            groups.append(("nodes", labels, g))
            files.nodes += len(rows)
    # the writers' lock node, as a first ingest's lock creates it (Q.WRITE_LOCK): in the
    # CSV, the database answers with it as soon as it starts (no write transaction after it)
    lock = _CsvGroup(folder / f"nodes-{n:03d}-{Q.WRITE_LOCK_LABEL}.csv", [f"id:ID({Q.WRITE_LOCK_LABEL})"], {"taken": "long"})
    n += 1
    lock.add([lock.field(Q.WRITE_LOCK_ID, "string")], {"taken": 1})
    groups.append(("nodes", Q.WRITE_LOCK_LABEL, lock))
    by_type: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    ends: dict[str, tuple[str, str]] = {}
    for rel_id, rel in graph.relationships.items():
        by_type[rel.type].append((rel_id, _marked(rel.props, rel.type, True, files.empty_lists)))
        ends[rel_id] = (rel.start, rel.end)
    for rel_type, items in sorted(by_type.items()):
        for columns, rows in _grouped(items):
            g = _CsvGroup(folder / f"rels-{n:03d}-{rel_type}.csv",
                          [f":START_ID({ENTITY_LABEL})", f":END_ID({ENTITY_LABEL})"], columns)
            n += 1
            for i in rows:
                rel_id, props = items[i]
                start, end = ends[rel_id]
                g.add([g.field(start, "string"), g.field(end, "string")], props)
            groups.append(("relationships", rel_type, g))
            files.relationships += len(rows)
    for kind, name, g in groups:
        g.write()
        (files.node_files if kind == "nodes" else files.relationship_files).append((name, g.path.name))
        files.multiline = files.multiline or g.multiline
    return files


# --------------------------------------------------------------------------- 3. import


def admin_command(neo4j_home: Path, neo4j_admin: Path | None = None) -> Path:
    """The neo4j-admin to run: ``neo4j_admin`` or ``NEO4J_HOME/bin/neo4j-admin``. Raises
    :class:`OfflineImportError` when it does not exist."""
    admin = Path(neo4j_admin) if neo4j_admin else Path(neo4j_home) / "bin" / "neo4j-admin"
    if not admin.exists():
        raise OfflineImportError(f"no neo4j-admin at {admin}: pass --neo4j-admin PATH or the Neo4j home holding bin/neo4j-admin")
    return admin


def run_admin_import(admin: Path, neo4j_home: Path, database: str, files: ImportFiles, overwrite: bool,
                     extra: Iterable[str] = ()) -> str:
    """Run ``neo4j-admin database import full`` on ``files``; its output. Raises
    :class:`OfflineImportError` with neo4j-admin's last lines when it fails (a running
    DBMS, an existing database without ``overwrite``, ...)."""
    cmd = [str(admin), "database", "import", "full", database,
           f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--id-type=string",
           f"--report-file={files.folder / 'import.report'}",
           *files.node_args, *files.relationship_args, *extra]
    if files.multiline:
        cmd.append("--multiline-fields=true")
    if overwrite:
        cmd.append("--overwrite-destination=true")
    env = dict(os.environ, NEO4J_HOME=str(neo4j_home))
    env.setdefault("NEO4J_CONF", str(Path(neo4j_home) / "conf"))
    out = subprocess.run(cmd, env=env, cwd=files.folder, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if out.returncode != 0:
        last = "\n".join(out.stdout.strip().splitlines()[-15:])
        raise OfflineImportError(f"neo4j-admin database import failed (exit {out.returncode}); nothing was imported:\n{last}")
    return out.stdout


# --------------------------------------------------------------------------- 4. start + schema


def start_server(neo4j_home: Path) -> None:
    """``NEO4J_HOME/bin/neo4j start``. Raises :class:`OfflineImportError` when it fails."""
    neo4j = Path(neo4j_home) / "bin" / "neo4j"
    if not neo4j.exists():
        raise OfflineImportError(f"no {neo4j} to start the server: start it yourself and run with --no-start")
    out = subprocess.run([str(neo4j), "start"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    if out.returncode != 0:
        raise OfflineImportError(f"{neo4j} start failed (exit {out.returncode}):\n{out.stdout[-2000:]}")


#: Seconds between attempts to reach the starting server (:func:`open_when_up`; was 0.5):
#: the time waited past the moment Bolt answers is time the database is down, while each
#: attempt (a new driver) takes CPU from the starting server on a small machine.
POLL_SECONDS = 0.25


def open_when_up(opener: Callable[[], Any], timeout: float = 300.0):
    """The store ``opener()`` returns once it answers a ping, retried every
    :data:`POLL_SECONDS` until ``timeout`` s."""
    from .. import queries as Q
    from ..store import StoreError

    deadline = time.monotonic() + timeout
    while True:
        store = None
        try:
            store = opener()
            store.read(Q.PING)
            return store
        except StoreError as exc:
            if store is not None:
                store.close()
            if time.monotonic() > deadline:
                raise OfflineImportError(f"the server did not answer within {timeout:.0f} s after the import: {exc}") from None
            time.sleep(POLL_SECONDS)


def fill_empty_lists(store, files: ImportFiles) -> None:
    """Give back the empty lists the CSV could not hold (marker properties -> ``[]``): one
    pass over the nodes, one over the relationships."""
    for is_rel in (False, True):
        props = sorted({prop for _, prop, rel in files.empty_lists if rel is is_rel})
        if props:
            store.run_autocommit(Q.fill_empty_lists(props, is_rel))


def apply_schema_online(store, timeout: float = 1800.0) -> None:
    """Create graph/schema.cypher's constraints and indexes on the imported (Neo4j) store
    and wait until every index is online, at most ``timeout`` s.

    Ordered for a database full of data: the indexes (range and full-text) first, in one
    transaction, so that one population job reads the store once for all of them in the
    background (measured at 100k persons: ~15% less server CPU than one job per index);
    then the uniqueness constraints, each of which populates its own index and checks it
    before it returns, while the full-text index populates beside them. Raises
    :class:`~repgraph.store.StoreError` when Neo4j refuses a statement or an index is not
    online in time."""
    from neo4j.exceptions import Neo4jError

    from ..schema import schema_statements
    from ..store import StoreError

    statements = schema_statements()
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    indexes = [s for s in statements if s.startswith("CREATE") and s not in constraints]
    try:
        with store.transaction() as tx:  # a fresh database: none of them exists yet
            for stmt in indexes:
                tx.run(stmt)
    except Neo4jError as exc:
        raise StoreError(f"Neo4j refused a schema statement: {exc.message}") from exc
    # the constraints, then the retired indexes dropped; then every index awaited online
    store.apply_schema([s for s in statements if s not in indexes], await_seconds=int(timeout))


#: The manifest a prepared import's folder holds (:func:`prepare_import`).
MANIFEST = "repgraph-import.json"
#: 2: the CSV holds the writers' lock node (format 1 took the lock in a transaction after the start)
MANIFEST_FORMAT = 2


@dataclass
class PreparedImport:
    """An import validated, projected and written as neo4j-admin CSV (:func:`prepare_import`),
    ready to load (:func:`load_prepared`): its files, each case file's ingest result and the
    ids it states (audited when loaded), and the entity node, relationship and ``Dataset``
    record counts."""

    files: ImportFiles
    results: list[IngestResult]
    ids: list[list[str]]
    nodes: int
    relationships: int
    datasets: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def elements(self) -> int:
        """Entity nodes plus relationships, as ``repgraph ingest`` counts them."""
        return self.nodes + self.relationships


def _owner_only(path: Path):
    """``path`` opened for writing UTF-8 text, readable and writable by its owner only
    (:func:`repgraph.private_files.open_private`): the CSV and the manifest hold every
    name, protected persons' included, and stay unreadable to others even when the
    folder is copied or its mode is widened (e.g. for a neo4j-admin run as another user)."""
    return open_private(path)


def _new_folder(folder: Path) -> Path:
    # absolute: neo4j-admin runs inside the folder and is given each file's path
    folder = Path(folder).absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OfflineImportError(f"{folder} exists and is not an empty folder: give a new folder to prepare the import in")
    # the CSV holds every name, protected persons' included: readable by its owner only
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as exc:
        raise OfflineImportError(f"{folder} cannot be made an owner-only folder to prepare the import in: "
                                 f"{exc.strerror or exc}") from None
    return folder


def prepare_import(paths: Iterable[str | Path], folder: str | Path, *,
                   progress: Callable[[Path, Any, IngestResult], None] | None = None,
                   on_step: Callable[[str], None] | None = None) -> PreparedImport:
    """Steps 1 and 2 (stage, CSV) into ``folder`` (created, owner-only; it must not exist or
    be empty), with a manifest (:data:`MANIFEST`) that :func:`read_prepared` reads back.
    Nothing touches Neo4j: the server keeps serving while this runs. Raises
    :class:`~repgraph.ingest.CaseFileError` on bad input (the folder is then left empty),
    :class:`OfflineImportError` for a folder in use or a value the CSV cannot hold."""
    step = on_step or (lambda _s: None)
    folder = _new_folder(Path(folder))
    ids: list[list[str]] = []

    def staged(path, case, result):
        ids.append(stated_ids(case))
        if progress:
            progress(path, case, result)

    t = time.perf_counter()
    step("validating and projecting")
    graph, results = stage_paths(paths, staged)
    seconds = {"stage": time.perf_counter() - t}
    t = time.perf_counter()
    step("writing CSV")
    files = write_csv(graph, folder)
    seconds["csv"] = time.perf_counter() - t
    prepared = PreparedImport(files, results, ids, len(graph.nodes), len(graph.relationships), len(graph.datasets), seconds)
    manifest = {
        "format": MANIFEST_FORMAT, "nodes": prepared.nodes, "relationships": prepared.relationships,
        "datasets": prepared.datasets, "csvNodes": files.nodes, "csvRelationships": files.relationships,
        "multiline": files.multiline, "nodeFiles": files.node_files, "relationshipFiles": files.relationship_files,
        "emptyLists": sorted(files.empty_lists),
        # what was validated is what is loaded: an edited, truncated or replaced CSV is refused
        "sha256": {name: _sha256(folder / name) for _, name in [*files.node_files, *files.relationship_files]},
        "files": [{"result": asdict(r), "ids": i} for r, i in zip(results, ids)],
    }
    with _owner_only(folder / MANIFEST) as f:
        f.write(json.dumps(manifest, ensure_ascii=False))
    return prepared


def read_prepared(folder: str | Path) -> PreparedImport:
    """The import :func:`prepare_import` wrote into ``folder`` (relative or absolute). Raises
    :class:`OfflineImportError` when there is none, it was written by another format, its
    manifest is damaged or names a file outside ``folder``, or a CSV file it names is missing
    or changed since it was prepared (SHA-256 in the manifest): what loads is what was
    validated."""
    folder = Path(folder).absolute()  # neo4j-admin runs inside it and is given each file's path
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OfflineImportError(f"no prepared import in {folder} (no {MANIFEST}): "
                                 f"run 'repgraph import-neo4j FILES --prepare {folder}' first") from None
    except (OSError, ValueError) as exc:
        raise OfflineImportError(f"{folder / MANIFEST} cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise OfflineImportError(f"{folder / MANIFEST} is not a prepared import of this repgraph "
                                 f"(format {data.get('format') if isinstance(data, dict) else None!r}, "
                                 f"expected {MANIFEST_FORMAT}): prepare it again")
    try:
        files = ImportFiles(folder, [tuple(x) for x in data["nodeFiles"]], [tuple(x) for x in data["relationshipFiles"]],
                            bool(data["multiline"]), {tuple(x) for x in data["emptyLists"]}, data["csvNodes"],
                            data["csvRelationships"])
        names = [name for _, name in [*files.node_files, *files.relationship_files]]
        digests = data["sha256"]
        results = []
        for entry in data["files"]:
            r = dict(entry["result"])
            r["removed_nodes"], r["removed_relationships"] = tuple(r["removed_nodes"]), tuple(r["removed_relationships"])
            results.append(IngestResult(**r))
        ids = [list(e["ids"]) for e in data["files"]]
        counts = data["nodes"], data["relationships"], data["datasets"]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise OfflineImportError(f"{folder / MANIFEST} is damaged ({type(exc).__name__}: {exc}): prepare it again") from None
    outside = [n for n in names if not isinstance(n, str) or Path(n).name != n or n in ("", ".", "..")]
    if outside or not isinstance(digests, dict) or set(digests) != set(names):
        raise OfflineImportError(f"{folder / MANIFEST} names files outside {folder} or without their checksum "
                                 f"({', '.join(map(repr, outside[:3])) or 'checksums'}): prepare it again")
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise OfflineImportError(f"{folder} lacks {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}: prepare it again")
    changed = [name for name in names if _sha256(folder / name) != digests[name]]
    if changed:
        raise OfflineImportError(f"{', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''} in {folder} changed since "
                                 f"{'they were' if len(changed) > 1 else 'it was'} prepared (validated): prepare it again")
    return PreparedImport(files, results, ids, *counts)


def _sha256(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def refuse_running_server(opener: Callable[[], Any]) -> None:
    """Raise :class:`OfflineImportError` when the server ``opener()`` connects to answers: the
    load replaces the database of a **stopped** DBMS and then connects there to create the
    schema, so a server that answers is either the one to stop first or another one than
    ``NEO4J_HOME``'s (the schema would land on the wrong database). Nothing is changed."""
    from ..store import StoreError, StoreUnreachable

    try:
        store = opener()
    except StoreUnreachable:
        return  # nobody answers: the stopped server of NEO4J_HOME, as it must be
    except StoreError as exc:  # no or a bad address (nothing could create the schema), or refused credentials
        raise OfflineImportError(f"{exc}. NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD) must name the server of "
                                 "--neo4j-home: after the load repgraph connects there to create the schema. "
                                 "Nothing was changed") from None
    store.close()
    raise OfflineImportError(
        "a Neo4j server answers at NEO4J_URI: stop the server of --neo4j-home first (NEO4J_HOME/bin/neo4j stop); "
        "if NEO4J_URI names another server, point it at this home's server (after the load repgraph connects "
        "there to create the schema). Nothing was changed")


def load_prepared(prepared: PreparedImport, neo4j_home: str | Path, opener: Callable[[], Any], *,
                  database: str = "neo4j", neo4j_admin: str | Path | None = None, overwrite: bool = False,
                  start: bool = True, wait: float = 600.0,
                  on_step: Callable[[str], None] | None = None,
                  on_imported: Callable[[PreparedImport], None] | None = None) -> ImportReport:
    """Steps 3 and 4: ``neo4j-admin database import full`` of a prepared import (the DBMS
    of ``neo4j_home`` stopped), then the server is started (``NEO4J_HOME/bin/neo4j start``;
    with ``start=False`` whoever runs it starts it), and once the store ``opener()``
    returns answers (at most ``wait`` s, tried every :data:`POLL_SECONDS`), empty lists are
    restored (if any), and the schema applied and awaited (:func:`apply_schema_online`).
    This is the whole time the database is unavailable.
    ``on_imported(prepared)`` runs as soon as neo4j-admin has replaced the database (the
    audit: a start or schema failure after it still leaves the new database). Raises
    :class:`OfflineImportError` when neo4j-admin or the server fails."""
    home = Path(neo4j_home)
    admin = admin_command(home, Path(neo4j_admin) if neo4j_admin else None)
    refuse_running_server(opener)
    step = on_step or (lambda _s: None)
    files = prepared.files
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    step("neo4j-admin database import")
    output = run_admin_import(admin, home, database, files, overwrite)
    seconds["import"] = time.perf_counter() - t
    if on_imported:
        on_imported(prepared)
    t = time.perf_counter()
    if start:
        step("starting the server")
        start_server(home)
    else:
        step(f"start the server now; waiting for it (at most {wait:.0f} s)")
    store = open_when_up(opener, wait)
    seconds["start"] = time.perf_counter() - t
    try:
        # no write before this point: the writers' lock node came with the CSV (write_csv);
        # empty lists only from a bookkeeping record that holds one
        if files.empty_lists:
            t = time.perf_counter()
            step("restoring empty lists")
            fill_empty_lists(store, files)
            seconds["lists"] = time.perf_counter() - t
        t = time.perf_counter()
        step("creating constraints and indexes, waiting until online")
        apply_schema_online(store)
        seconds["schema"] = time.perf_counter() - t
    finally:
        store.close()
    return ImportReport(prepared.results, prepared.nodes, prepared.relationships, prepared.datasets, seconds, output,
                        prepared.ids)


def import_neo4j(paths: Iterable[str | Path], neo4j_home: str | Path, opener: Callable[[], Any], *,
                 database: str = "neo4j", neo4j_admin: str | Path | None = None, overwrite: bool = False,
                 start: bool = True, wait: float = 600.0, csv_dir: str | Path | None = None,
                 progress: Callable[[Path, Any, IngestResult], None] | None = None,
                 on_step: Callable[[str], None] | None = None,
                 on_imported: Callable[[PreparedImport], None] | None = None) -> ImportReport:
    """The whole first load (see the module doc): :func:`prepare_import` into ``csv_dir``
    (kept) or a temporary folder (removed), then :func:`load_prepared` (``on_imported``
    as there). ``seconds`` has
    every step: ``stage``, ``csv``, ``import``, ``start``, (``lists``), ``schema``. Raises
    :class:`~repgraph.ingest.CaseFileError` (nothing imported) on bad input,
    :class:`OfflineImportError` when neo4j-admin or the server fails."""
    # fail before the long validation; load_prepared checks the server again before
    # neo4j-admin, since it may have been started in the meantime
    admin_command(Path(neo4j_home), Path(neo4j_admin) if neo4j_admin else None)
    refuse_running_server(opener)
    temporary = csv_dir is None
    folder = Path(tempfile.mkdtemp(prefix="repgraph-import-")) if temporary else Path(csv_dir)
    try:
        prepared = prepare_import(paths, folder, progress=progress, on_step=on_step)
        report = load_prepared(prepared, neo4j_home, opener, database=database, neo4j_admin=neo4j_admin,
                               overwrite=overwrite, start=start, wait=wait, on_step=on_step,
                               on_imported=on_imported)
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
    report.seconds = {**prepared.seconds, **report.seconds}
    return report
