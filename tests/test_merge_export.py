"""Judgements travel with the graph (issue 9): ``export-ftm`` writes merged entities with
their ``referents`` and, with ``--judgements FILE``, every judgement as nomenklatura
resolver lines; ``import-ftm --judgements FILE`` records them again, so the moved graph
keeps its merges and its "different" pairs. Both backends."""

from __future__ import annotations

import json

from nomenklatura.resolver.edge import Edge

from repgraph import resolution as R
from repgraph import service as S
from repgraph.disclosure import Role, Viewer
from repgraph.ftm import export_ftm, import_ftm

from conftest import wipe_test_database
from test_merge_graph import A, B, C, _ingest


def test_export_and_import_keep_judgements(empty_store, tmp_path):
    _ingest(empty_store, tmp_path, A, B, C)
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same list entry", by="tester")
    R.merge_not(empty_store, "person-pe", "person-z-ejemplo", "another man", by="tester")
    out, judged = tmp_path / "graph.ftm.json", tmp_path / "judgements.json"
    result = export_ftm(empty_store, out, dataset="moved", judgements=judged)
    assert result.judgements == 2
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    people = {e["id"]: e for e in lines if e["schema"] == "Person"}
    assert "person-pedro-ejemplo" not in people
    assert people["person-pe"]["referents"] == ["person-pedro-ejemplo"]
    assert {"Pedro Ejemplo Núñez", "NUÑEZ, Pedro Ejemplo"} <= set(people["person-pe"]["properties"]["name"]
                                                                 + people["person-pe"]["properties"].get("alias", []))
    # nomenklatura reads the file as its own
    edges = [Edge.from_line(line) for line in judged.read_text(encoding="utf-8").splitlines()]
    assert sorted((sorted((e.target.id, e.source.id)), e.judgement.value, e.user) for e in edges) == [
        (["person-pe", "person-pedro-ejemplo"], "positive", "tester"),
        (["person-pe", "person-z-ejemplo"], "negative", "tester")]

    # a viewer's export leaves out judgements on what they may not see: person-pedro-ejemplo
    # was restricted, so the merged entity is pseudonymised for a viewer
    viewer_judged = tmp_path / "viewer-judgements.json"
    export_ftm(empty_store, tmp_path / "viewer.json", Viewer(name="t", role=Role.viewer), judgements=viewer_judged)
    assert "pedro" not in viewer_judged.read_text(encoding="utf-8").lower()

    # into a fresh store of the same backend
    if empty_store.backend == "neo4j":
        wipe_test_database(empty_store)
        target = empty_store
    else:
        from repgraph.schema import schema_statements
        from repgraph.store.embedded import EmbeddedStore

        target = EmbeddedStore(tmp_path / "moved.db")
        target.apply_schema(schema_statements())
    try:
        imported = import_ftm(target, out, judgements=judged)
        assert imported.judgements == 2
        page = S.entity(target, "ftm-person-pedro-ejemplo")
        assert page.id == "ftm-person-pe" and page.name == "Pedro Ejemplo Núñez"
        j = R.judgements(target)
        same = j[("ftm-person-pe", "ftm-person-pedro-ejemplo")]
        assert (same.verdict, same.reason, same.by) == ("same", "same list entry", "tester")
        different = j[("ftm-person-pe", "ftm-person-z-ejemplo")]
        assert (different.verdict, different.reason) == ("different", "another man")
        assert not [c for c in R.dedupe(target) if {c.a.id, c.b.id} == {"ftm-person-pe", "ftm-person-z-ejemplo"}]
        # importing again changes nothing
        import_ftm(target, out, judgements=judged)
        assert len(R.judgements(target)) == 2 and S.entity(target, "ftm-person-pedro-ejemplo").id == "ftm-person-pe"
    finally:
        if target is not empty_store:
            target.close()
