"""officials-cases pages over perpetrators first on Neo4j (issue 12).

The Cypher page now sorts the perpetrators alone and expands each one's direct and command
links only as far as the page needs (at 100k persons the old statement sorted all ~80k
links). These tests pin the order the page must keep, link by link, on a network where one
person is both a direct perpetrator and the head of a perpetrating unit, and check every
one-link page against the whole list on both backends and both paths (Cypher on Neo4j,
Python on either store).
"""

from __future__ import annotations

import pytest

from repgraph import service as S

from conftest import BACKENDS, case_store

CITE = [{"source": "src-fake-oc", "quote": "Fake quote: who did it."}]

CASE = {
    "dataset": {"name": "officials-paging", "title": "Fake officials (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-fake-oc", "name": "Fake OC Report", "type": "report", "title": "Fake OC Report"},
        {"label": "Person", "id": "p-fake-ana", "name": "Ana Ficticia", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-bruno", "name": "Bruno Ejemplo", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-victim", "name": "Vera Testvictim", "roles": ["defender"]},
        {"label": "Organization", "id": "org-fake-unit", "name": "Fake Unit", "kind": "police"},
        {"label": "Position", "id": "pos-fake-head", "name": "Head of the Fake Unit", "isHead": True},
        *({"label": "Incident", "id": f"inc-fake-{k}", "name": f"Fake raid {k}", "type": "raid", "date": d, "citations": CITE}
          for k, d in ((1, "2021-03-01"), (2, "2021-06-01"), (3, "2022-01-10"), (4, "2019-05-05"))),
    ],
    "relationships": [
        {"type": "IN", "from": "pos-fake-head", "to": "org-fake-unit"},
        # Ana heads the unit from 2020: command of its incidents 1 and 3, not of 4 (2019)
        {"type": "HOLDS", "from": "p-fake-ana", "to": "pos-fake-head", "startDate": "2020-01", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-1", "to": "org-fake-unit", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-3", "to": "org-fake-unit", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-4", "to": "org-fake-unit", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-2", "to": "p-fake-ana", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-1", "to": "p-fake-bruno", "role": "ordered", "citations": CITE},
        *({"type": "TARGETED", "from": f"inc-fake-{k}", "to": "p-fake-victim", "citations": CITE} for k in (1, 2, 3, 4)),
    ],
}

#: (perpetrator, role, incident) in the answer's order: perpetrator name, id, date, incident.
EXPECTED = [
    ("p-fake-ana", "command", "inc-fake-1"),
    ("p-fake-ana", "direct", "inc-fake-2"),
    ("p-fake-ana", "command", "inc-fake-3"),
    ("p-fake-bruno", "ordered", "inc-fake-1"),
    ("org-fake-unit", "direct", "inc-fake-4"),
    ("org-fake-unit", "direct", "inc-fake-1"),
    ("org-fake-unit", "direct", "inc-fake-3"),
]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    st = case_store(CASE, request.param, tmp_path, request)
    yield st
    st.close()


def _links(items):
    return [(c.perpetrator.id, c.role, c.incident.id) for c in items]


@pytest.mark.parametrize("in_database", [True, False], ids=["backend-path", "python-path"])
def test_every_page_is_the_slice_of_the_whole_list(store, in_database, monkeypatch):
    if in_database and not store.sorts_in_database:
        pytest.skip("the Cypher page is Neo4j's path")
    monkeypatch.setattr(store, "sorts_in_database", in_database)
    total, items = S.officials_cases_page(store, None, None, 100, 0)
    assert (total, _links(items)) == (len(EXPECTED), EXPECTED)
    assert [v.id for v in items[0].victims] == ["p-fake-victim"]
    assert (items[0].via_organization, items[0].via_position) == ("org-fake-unit", "pos-fake-head")
    for offset in range(len(EXPECTED) + 1):
        for limit in (1, 2):
            total, page = S.officials_cases_page(store, None, None, limit, offset)
            assert (total, _links(page)) == (len(EXPECTED), EXPECTED[offset:offset + limit]), (offset, limit)
    # one perpetrator: both kinds of link, in date order
    total, page = S.officials_cases_page(store, "p-fake-ana", None, 50, 0)
    assert (total, _links(page)) == (3, EXPECTED[:3])
