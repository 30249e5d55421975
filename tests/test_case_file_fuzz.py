"""No case file reaches a traceback (issue 8 item 4).

A citation whose ``source`` is not a valid id crashed the ingest with a pydantic traceback
on the labels that get an automatic DOCUMENTED_IN. The kind: every bad input is a
:class:`CaseFileError` that names the file (and, where there is one, the record and the
field), and nothing of that file is written. Checked three ways: the instance on both
backends and through the CLI; case files generated from the JSON Schema
(``repgraph schema``); and mutations of the valid case files (wrong types, bad ids,
missing fields, unknown keys, broken text).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repgraph import queries as Q
from repgraph.ingest import CaseFileError, ingest_case_file
from repgraph.ontology import DocumentedIn, case_file_json_schema
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.store.embedded import EmbeddedStore

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# --------------------------------------------------------------------------- the instance

MINIMAL = {
    "Incident": {"name": "Raid on Ana Ficticia", "type": "raid", "date": "2024"},
    "Statistic": {"name": "Fake figure", "measure": "fake defenders", "value": 3},
    "Operation": {"name": "Operation Ficticia"},
    "Law": {"name": "Fake Law"},
}


def _bad_citation_file(folder: Path, label: str) -> Path:
    doc = {"dataset": {"name": "fake", "title": "Fake"},
           "nodes": [{"label": label, "id": "inc-1", **MINIMAL[label],
                      "citations": [{"source": "src 1", "quote": "q"}]}]}
    path = folder / f"bad-{label}.yaml"
    path.write_text(_yaml(doc), encoding="utf-8")
    return path


def test_every_documented_label_is_covered():
    assert set(MINIMAL) == set(DocumentedIn.sources)


@pytest.mark.parametrize("label", sorted(MINIMAL))
def test_citation_with_a_bad_source_id_is_a_located_error(empty_store, tmp_path, label):
    path = _bad_citation_file(tmp_path, label)
    with pytest.raises(CaseFileError) as exc:
        ingest_case_file(empty_store, path)
    assert str(exc.value).startswith(f"{path}, record nodes[0] (id=inc-1), field citations[0].source: ")
    assert "should match pattern" in str(exc.value)
    assert empty_store.read(Q.ANY_NODE_COUNT)[0]["n"] == 0


def test_cli_refuses_a_bad_source_id_with_exit_2(tmp_path):
    path = _bad_citation_file(tmp_path, "Incident")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env["COLUMNS"] = "300"
    db = tmp_path / "x.db"
    proc = subprocess.run([sys.executable, "-m", "repgraph", "ingest", str(path), "--db", str(db)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"error: {path}, record nodes[0] (id=inc-1), field citations[0].source: " in proc.stderr
    assert "Traceback" not in proc.stderr and "nothing was written" in proc.stderr
    with EmbeddedStore(db) as store:
        assert store.read(Q.ANY_NODE_COUNT)[0]["n"] == 0


# --------------------------------------------------------------------------- the check


def _yaml(doc) -> str:
    return yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)



@pytest.fixture(scope="module")
def store():
    """One empty in-memory store for all examples (kept empty between them)."""
    s = EmbeddedStore(":memory:")
    s.apply_schema(schema_statements())
    yield s
    s.close()


def _ingest_checked(store, doc, fmt: str = "json", text: str | None = None) -> None:
    """Write ``doc`` (or raw ``text``) as a case file and ingest it into the empty ``store``:
    either it is accepted, or it fails with a located CaseFileError and writes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"case.{fmt}"
        if text is None:
            text = json.dumps(doc, ensure_ascii=False) if fmt == "json" else _yaml(doc)
        path.write_text(text, encoding="utf-8")
        try:
            ingest_case_file(store, path)
        except CaseFileError as exc:
            message = str(exc)
            assert re.match(re.escape(str(path)) + r"(: |, record |, field )", message), message
            assert exc.path == str(path)
            if exc.record is not None:
                assert re.match(r"^(nodes|relationships)\[\d+\]", exc.record), exc.record
            assert exc.problem.strip(), message
            assert store.read(Q.ANY_NODE_COUNT)[0]["n"] == 0, f"written despite: {message}"
            assert store.read(Q.ANY_RELATIONSHIP_COUNT)[0]["n"] == 0
        else:
            with store.transaction() as tx:
                tx.run(Q.DELETE_ALL)


# --------------------------------------------------------------------------- from the JSON Schema

#: Ids drawn from a small pool (so references sometimes resolve) plus malformed ones.
ID_POOL = ["src-a", "src-b", "p-a", "p-b", "inc-1", "org-a", "country-xf", "src 1", "", "-x", "p-a\n"]
ID_FIELDS = {"id", "from", "to", "source", "becauseOf", "place", "country", "position", "via"}


def _from_schema(node: dict, defs: dict, name: str | None = None, memo: dict | None = None):
    """A hypothesis strategy for the JSON Schema ``node`` (the subset pydantic emits)."""
    memo = {} if memo is None else memo
    if "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        if ref not in memo:
            memo[ref] = st.deferred(lambda: _from_schema(defs[ref], defs, name, memo))
        return memo[ref]
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node:
            return st.one_of([_from_schema(n, defs, name, memo) for n in node[key]])
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: _from_schema(v, defs, k, memo) for k, v in props.items() if k in required},
            optional={k: _from_schema(v, defs, k, memo) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        lo = node.get("minItems", 0)
        return st.lists(_from_schema(node.get("items", {}), defs, name, memo), min_size=lo,
                        max_size=max(lo, min(node.get("maxItems", 3), 3)))
    if kind == "string":
        if name in ID_FIELDS:
            return st.sampled_from(ID_POOL)
        lo, hi = node.get("minLength", 0), node.get("maxLength", 40)
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True).filter(lambda s: lo <= len(s) <= hi)
        return st.text(min_size=lo, max_size=min(hi, 30))
    if kind == "integer":
        return st.integers(node.get("minimum", -10**6), node.get("maximum", 10**6))
    if kind == "number":
        return st.floats(node.get("minimum"), node.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.none()  # an unconstrained value


SCHEMA = case_file_json_schema()
SCHEMA_DOCS = _from_schema(SCHEMA, SCHEMA["$defs"])


@FUZZ
@given(doc=SCHEMA_DOCS, fmt=st.sampled_from(["json", "yaml"]))
def test_case_files_from_the_json_schema(store, doc, fmt):
    _ingest_checked(store, doc, fmt)


# --------------------------------------------------------------------------- mutations of valid files

def _small(doc: dict, n: int = 14) -> dict:
    """The first ``n`` nodes of a valid file and the relationships among them (still valid):
    small documents keep the fuzzing within seconds."""
    nodes = doc["nodes"][:n]
    ids = {x["id"] for x in nodes}
    rels = [r for r in doc.get("relationships", []) if r["from"] in ids and r["to"] in ids]
    return {**doc, "nodes": nodes, "relationships": rels}


VALID = [_small(yaml.safe_load(p.read_text(encoding="utf-8")), 40) for p in [SYNTHETIC, *seed_files()]]
WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["src 1", "", " ", "-x", "2024-02-30", "9999-99", "x" * 300, "é" * 5, "Incident", "TARGETED"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(value, prefix=()):
    """Every (path, value) inside a document."""
    yield prefix, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated(draw):
    doc = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p, _ in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        how = draw(st.sampled_from(["replace", "delete", "unknown key", "duplicate"]))
        if how == "replace":
            parent[key] = draw(WRONG_VALUES)
        elif how == "delete":
            del parent[key]
        elif how == "unknown key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "Id", "citation", "label2", ""]))] = draw(WRONG_VALUES)
        elif how == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc


@FUZZ
@given(doc=mutated(), fmt=st.sampled_from(["json", "yaml"]))
def test_mutated_valid_case_files(store, doc, fmt):
    _ingest_checked(store, doc, fmt)


@FUZZ
@given(data=st.data())
def test_broken_text_of_a_valid_case_file(store, data):
    """Truncated, spliced or garbled YAML and JSON text."""
    fmt = data.draw(st.sampled_from(["json", "yaml"]))
    doc = data.draw(st.sampled_from(VALID))
    text = json.dumps(doc, ensure_ascii=False) if fmt == "json" else _yaml(doc)
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 40))
    insert = data.draw(st.one_of(st.text(max_size=10), st.sampled_from(["\t", ": [", "{{", "!!python/object:x ", "&a *a", "\x00"])))
    _ingest_checked(store, None, fmt, text[:at] + insert + text[at + cut:])
