"""A view's drawn link is enriched from its own stored relationship, never from a parallel
one (adv3): a holder of a superior post drawn in a chain view (a link without an id) took
the properties of whichever of the holder's HOLDS of that post the store listed last. With
two tenures of one post, the 2021 chain showed the 1990 tenure's id, dates and confidence on
the embedded store (Neo4j listed them in another order): a wrong date for a command claim.
"""

from __future__ import annotations

from repgraph import viz
from repgraph.ingest.writer import write_case
from repgraph.ontology import CaseFile

CITE = [{"source": "src-par", "quote": "Fake quote: the raid."}]
CASE = {
    "dataset": {"name": "parallel-tenures", "title": "Parallel tenures (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-par", "name": "Fake Tenure Report", "type": "report", "title": "Fake Tenure Report"},
        {"label": "Person", "id": "p-par-agent", "name": "Agente Ficticio Paralelo", "roles": ["official"]},
        {"label": "Person", "id": "p-par-boss", "name": "Jefa Ejemplo Paralela", "roles": ["official"]},
        {"label": "Position", "id": "pos-par-agent", "name": "Fake Agent"},
        {"label": "Position", "id": "pos-par-boss", "name": "Fake Boss", "isHead": True},
        {"label": "Incident", "id": "inc-par", "name": "Fake raid", "type": "raid", "date": "2021-03-01", "citations": CITE},
    ],
    "relationships": [
        {"type": "PERPETRATED_BY", "from": "inc-par", "to": "p-par-agent", "role": "direct", "citations": CITE},
        {"type": "HOLDS", "from": "p-par-agent", "to": "pos-par-agent", "startDate": "2020"},
        {"type": "REPORTS_TO", "from": "pos-par-agent", "to": "pos-par-boss", "startDate": "2015"},
        {"type": "HOLDS", "from": "p-par-boss", "to": "pos-par-boss", "startDate": "2018", "endDate": "2023",
         "confidence": 0.9, "citations": [{"source": "src-par", "quote": "Fake quote: she heads it since 2018."}]},
        {"id": "HOLDS:p-par-boss:pos-par-boss:zz-1990", "type": "HOLDS", "from": "p-par-boss", "to": "pos-par-boss",
         "startDate": "1990", "endDate": "1991", "confidence": 0.2,
         "citations": [{"source": "src-par", "quote": "Fake quote: she headed it in 1990."}]},
    ],
}


def test_chain_view_holder_link_is_not_enriched_from_another_tenure(empty_store):
    write_case(empty_store, CaseFile.model_validate(CASE), "parallel.yaml")
    view = viz.build_chain(empty_store, "inc-par")
    held = [e for e in view.edges if (e.source, e.type, e.target) == ("p-par-boss", "HOLDS", "pos-par-boss")]
    assert len(held) == 1
    edge = held[0]
    assert edge.properties.get("validFrom") == "2018-01-01"
    # nothing of the 1990 tenure: not its id, dates, confidence or quote
    assert edge.id != "HOLDS:p-par-boss:pos-par-boss:zz-1990"
    assert edge.properties.get("startDate") in (None, "2018")
    assert edge.properties.get("confidence") in (None, 0.9)
    assert [c.quote for c in edge.citations] == ["Fake quote: she heads it since 2018."]
    assert "1990" not in repr(view.edges)
    # the links with their own stored id are still enriched from it
    perp = next(e for e in view.edges if e.type == "PERPETRATED_BY")
    assert perp.id == "PERPETRATED_BY:inc-par:p-par-agent" and perp.properties["confidence"] == 1.0
