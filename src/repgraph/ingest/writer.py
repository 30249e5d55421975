"""Writing validated case files to a store: idempotent, all-or-nothing per file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .. import queries as Q
from ..ontology import CaseFile, DocumentedIn, RelationshipBase
from ..store import GraphStore
from ..store.base import Transaction
from ..wording import article
from ..statements import STRICTNESS  # noqa: F401  (re-exported: the FtM importer uses it)
from .datasets import DatasetError, apply_dataset
from .errors import CaseFileError
from .loader import SUFFIXES, load_case_file

#: Labels whose citations also become DOCUMENTED_IN relationships to their sources.
DOCUMENTED_LABELS = set(DocumentedIn.sources)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class IngestResult:
    """What one file wrote: nodes and relationships it states (each re-projected), how many
    of those this ingest created (net of what it removed; 0 when another run or process had
    written them), and the ids of elements removed because no dataset states them any more."""

    path: str
    dataset: str
    nodes: int
    relationships: int
    #: not part of equality: two ingests of one file are equal whoever created the elements
    nodes_created: int = field(default=0, compare=False)
    relationships_created: int = field(default=0, compare=False)
    removed_nodes: tuple[str, ...] = ()
    removed_relationships: tuple[str, ...] = ()

    @property
    def elements(self) -> int:
        return self.nodes + self.relationships


def stated_ids(case: CaseFile) -> list[str]:
    """The ids a validated case file states: its nodes', then its relationships' (those with
    an id), as the audit records an ingest of it."""
    return [n.id for n in case.nodes] + [r.id for r in case.relationships if getattr(r, "id", None)]


def _documented_in(case: CaseFile, path: str | Path = "<case>") -> list[RelationshipBase]:
    """The DOCUMENTED_IN relationships a case's citations imply. Raises :class:`CaseFileError`
    (located at the citing node) should one not validate: no input reaches a traceback."""
    explicit = {r.id for r in case.relationships}
    out = []
    for i, node in enumerate(case.nodes):
        if node.label not in DOCUMENTED_LABELS:
            continue
        by_source: dict[str, list] = defaultdict(list)
        for c in node.citations:
            by_source[c.source].append(c)
        for source, cites in sorted(by_source.items()):
            try:
                rel = DocumentedIn.model_validate(
                    {"from": node.id, "to": source, "citations": [c.model_dump() for c in cites],
                     "confidentiality": node.confidentiality}
                )
            except ValidationError as exc:
                j = next(k for k, c in enumerate(node.citations) if c.source == source)
                err = exc.errors()[0]
                raise CaseFileError(path, err["msg"].removeprefix("Value error, "),
                                    f"nodes[{i}] (id={node.id})", f"citations[{j}].source") from None
            if rel.id not in explicit:
                out.append(rel)
    return out


def _referenced(case: CaseFile, relationships: list[RelationshipBase]) -> set[str]:
    """Every id the file refers to: its nodes, relationship ends, cited sources, and the
    ids relationships name in properties."""
    wanted = {n.id for n in case.nodes}
    wanted |= {r.from_ for r in relationships} | {r.to for r in relationships}
    wanted |= {r.because_of for r in relationships if getattr(r, "because_of", None)}
    wanted |= {c.source for n in case.nodes for cites in n.citation_lists().values() for c in cites}
    wanted |= {c.source for r in case.relationships for c in r.citations}
    wanted |= {r.perpetrator for r in relationships if getattr(r, "perpetrator", None)}
    wanted |= {r.position for r in relationships if getattr(r, "position", None)}
    return wanted


def _resolve_labels(tx: Transaction, case: CaseFile, path: Path, wanted: set[str]
                    ) -> tuple[dict[str, str], dict[str, dict]]:
    """Label of every id the file refers to (its own nodes, else the store's), and the
    stored state (label, confidentiality, statements) of every such id already in the
    store, read in the write transaction ``tx``. Raises on a label clash."""
    labels = {n.id: n.label for n in case.nodes}
    rows = tx.read_many(Q.LABEL_OF_ID, [{"id": i} for i in sorted(wanted)])
    existing = {row["id"]: row["label"] for row in rows}
    states = {row["id"]: row for row in rows}
    for i, node in enumerate(case.nodes):
        # a file may correct the label of a node only it states (apply_dataset re-creates
        # the node, refusing when other datasets' elements still use it)
        if node.id in existing and existing[node.id] != node.label and states[node.id].get("datasets") != [case.dataset.name]:
            raise CaseFileError(
                path, f"id {node.id!r} is {article(existing[node.id])} in the store, not {article(node.label)}",
                f"nodes[{i}] (id={node.id})", "label",
            )
    for ident, label in existing.items():
        labels.setdefault(ident, label)
    return labels, states


def _check_references(case: CaseFile, path: Path, labels: dict[str, str]) -> None:
    for i, node in enumerate(case.nodes):
        for key, cites in node.citation_lists().items():
            for j, c in enumerate(cites):
                if labels.get(c.source) != "Source":
                    problem = f"unknown source id {c.source!r}" if c.source not in labels else f"{c.source!r} is {article(labels[c.source])}, not a Source"
                    raise CaseFileError(path, problem, f"nodes[{i}] (id={node.id})", f"{key}[{j}].source")
    for i, rel in enumerate(case.relationships):
        record = f"relationships[{i}] (id={rel.id})"
        for field, ident, allowed in (("from", rel.from_, rel.sources), ("to", rel.to, rel.targets)):
            if ident not in labels:
                raise CaseFileError(path, f"unknown id {ident!r}: not in this file nor in the store", record, field)
            if labels[ident] not in allowed:
                raise CaseFileError(
                    path, f"{rel.type_name} {field} must be {' or '.join(map(article, allowed))}; {ident!r} is {article(labels[ident])}",
                    record, field,
                )
        if rel.pairs is not None and (labels[rel.from_], labels[rel.to]) not in rel.pairs:
            allowed_pairs = ", ".join(f"{a} -> {b}" for a, b in rel.pairs)
            raise CaseFileError(path, f"{rel.type_name} joins {allowed_pairs}; not {labels[rel.from_]} -> {labels[rel.to]}",
                                record, "to")
        for j, c in enumerate(rel.citations):
            if labels.get(c.source) != "Source":
                raise CaseFileError(path, f"unknown source id {c.source!r}", record, f"citations[{j}].source")
        perpetrator = getattr(rel, "perpetrator", None)
        if perpetrator is not None and labels.get(perpetrator) not in ("Person", "Organization"):
            raise CaseFileError(path, f"perpetrator names the person or organization whose link is weakened: unknown id {perpetrator!r}"
                                if perpetrator not in labels else f"{perpetrator!r} is {article(labels[perpetrator])}", record, "perpetrator")
        position = getattr(rel, "position", None)
        if position is not None and labels.get(position) != "Position":
            raise CaseFileError(path, f"position names the post appointed to or removed from: unknown id {position!r}"
                                if position not in labels else f"{position!r} is {article(labels[position])}, not a Position", record, "position")
        because = getattr(rel, "because_of", None)
        if because is not None and labels.get(because) != "Person":
            problem = f"unknown id {because!r}" if because not in labels else f"{because!r} is {article(labels[because])}, not a Person"
            raise CaseFileError(path, f"becauseOf names the relative whose work was punished: {problem}", record, "becauseOf")


def write_case(store: GraphStore, case: CaseFile, path: str | Path = "<case>", progress: Progress | None = None) -> IngestResult:
    """Validate references of an already-parsed case against ``store`` and make its
    statements the whole of its dataset's, in one transaction.

    What an earlier ingest of the same dataset stated and this file no longer states is
    removed; every element the file states is re-projected from all datasets' statements
    (:mod:`repgraph.statements`); confidentiality never drops. Raises
    :class:`CaseFileError` (nothing written) on unknown ids, wrong labels, or a node the
    file drops while another dataset's relationship still uses it; a store failure rolls
    the whole file back."""
    path = Path(path)
    relationships = [*case.relationships, *_documented_in(case, path)]
    wanted = _referenced(case, relationships)

    def resolve(tx: Transaction) -> tuple[dict[str, str], dict[str, dict]]:
        # in the write transaction, after the writers' lock: what other files stated
        # meanwhile is seen (ids of merged entities are split into their own nodes here)
        labels, states = _resolve_labels(tx, case, path, wanted)
        _check_references(case, path, labels)
        return labels, states

    info = {"title": case.dataset.title, "description": case.dataset.description,
            "synthetic": case.dataset.synthetic, "path": str(path)}
    try:
        change = apply_dataset(store, case.dataset.name, info, case.nodes, relationships,
                               progress=progress, resolve=resolve, mentioned=wanted)
    except DatasetError as exc:
        raise CaseFileError(path, str(exc), "dataset", "name") from None
    return IngestResult(str(path), case.dataset.name, len(case.nodes), len(relationships),
                        change.nodes_created, change.relationships_created,
                        tuple(change.nodes_removed), tuple(change.relationships_removed))


def element_count(case: CaseFile) -> int:
    """Nodes plus relationships (including derived DOCUMENTED_IN) a case will write."""
    return len(case.nodes) + len(case.relationships) + len(_documented_in(case))


def ingest_case_file(store: GraphStore, path: str | Path, progress: Progress | None = None) -> IngestResult:
    """Load, validate and write one case file (YAML/JSON): all or nothing.

    Idempotent: a second run of the same file changes no node or relationship (only the
    dataset's ``lastIngested``). Raises :class:`CaseFileError` naming file, record and field; nothing is
    written then.
    """
    return write_case(store, load_case_file(path), path, progress)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the case files (sorted) inside folders named (a subfolder is not
    one, whatever its name ends with).

    Raises :class:`CaseFileError` naming a folder that holds no case file (``.yaml``,
    ``.yml``, ``.json``) or cannot be listed: a mistyped or empty folder is bad input, not
    an ingest of nothing (which created an empty store)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            try:
                found = sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES and not f.is_dir())
            except OSError as exc:
                raise CaseFileError(p, f"cannot list the folder: {exc.strerror or exc}") from None
            if not found:
                raise CaseFileError(p, f"no case file ({', '.join(sorted(SUFFIXES))}) in this folder")
            out.extend(found)
        else:
            out.append(p)
    return out


def ingest_paths(store: GraphStore, paths: Iterable[str | Path], progress: Progress | None = None) -> list[IngestResult]:
    """Ingest files (and folders of case files) in order, each in its own transaction.

    Stops at the first bad file, raising its :class:`CaseFileError`; the files before it
    stay written, the bad one writes nothing.
    """
    return [ingest_case_file(store, p, progress) for p in expand_paths(paths)]
