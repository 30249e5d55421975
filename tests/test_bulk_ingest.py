"""Bulk loading (``repgraph ingest --bulk``): the same graph as the default ingest, idempotent,
and a bad file still writes nothing of itself."""

from __future__ import annotations

import json

import pytest

from repgraph import service as S
from repgraph.ingest import CaseFileError, ingest_case_file
from repgraph.ingest.bulk import bulk_ingest_paths
from repgraph.seed import seed_files

from conftest import SYNTHETIC


def _answers(store) -> dict:
    stats = S.stats(store).model_dump()
    stats.pop("location")
    return {
        "stats": stats,
        "entities": [S.entity(store, i).model_dump() for i in ("p-defender-alpha", "org-fake-police", "inc-alpha-detention")],
        "officials": [c.model_dump() for c in S.officials_cases(store)],
        "search": S.search(store, "fake").model_dump(),
    }


def test_bulk_ingest_writes_what_the_default_ingest_writes_and_is_idempotent(empty_store):
    bulk = bulk_ingest_paths(empty_store, [SYNTHETIC, *seed_files()])
    got = _answers(empty_store)
    assert got["stats"]["nodes"]["Person"] >= 9 and any(c["perpetrator"]["id"] == "p-chief-delta" for c in got["officials"])
    again = bulk_ingest_paths(empty_store, [SYNTHETIC, *seed_files()])
    assert [r.elements for r in again] == [r.elements for r in bulk]
    assert _answers(empty_store) == got  # nothing new the second time
    # the same files through the default, transactional ingest: the same answers
    from repgraph import queries as Q

    with empty_store.transaction() as tx:
        tx.run(Q.DELETE_ALL)
    for f in [SYNTHETIC, *seed_files()]:
        ingest_case_file(empty_store, f)
    assert _answers(empty_store) == got


def test_bulk_ingest_refuses_a_bad_file_and_writes_nothing_of_it(empty_store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "dataset": {"name": "bad-fake", "title": "bad (fake)", "synthetic": True},
        "nodes": [{"label": "Person", "id": "p-bulk-fake", "name": "Bulk Fakeperson", "roles": ["witness"]}],
        "relationships": [{"type": "FAMILY_OF", "from": "p-bulk-fake", "to": "p-no-such-fake", "relation": "sibling"}],
    }))
    with pytest.raises(CaseFileError, match="p-no-such-fake") as exc:
        bulk_ingest_paths(empty_store, [SYNTHETIC, bad])
    assert exc.value.path.endswith("bad.json") and exc.value.field == "to"
    assert S.entity(empty_store, "p-defender-alpha").id == "p-defender-alpha"  # the file before stays
    with pytest.raises(S.NotFound):
        S.entity(empty_store, "p-bulk-fake")
