"""Command links of officials-cases judge a head's term by its dates as stated.

Regression (found comparing the two paths of ``officials_cases`` on the 10k synthetic
network): the embedded store's join (``_official_rows_here``) passed a head's HOLDS
without its partial dates, so a post taken "in 2019" was judged from its ISO day
(2019-01-01) and an incident in June 2019 came out ``held``; Neo4j's statement passed
them and said ``may_have_held`` (the post may have been taken in December). 28 of 8,083
links differed at 10k persons. Both backends now answer ``may_have_held``, in the whole
list and in a page.
"""

from __future__ import annotations

import pytest

from repgraph import service as S

from conftest import BACKENDS, case_store

CITE = [{"source": "src-fake-heads", "quote": "Fake quote: who headed the unit."}]

CASE = {
    "dataset": {"name": "heads-partial-dates", "title": "Fake heads with partial dates (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-fake-heads", "name": "Fake Heads Report", "type": "report", "title": "Fake Heads Report"},
        {"label": "Person", "id": "p-fake-head-2019", "name": "Hector Ejemplo Jefe", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-head-2015", "name": "Olga Ficticia Jefa", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-target", "name": "Tania Testdefensora", "roles": ["defender"]},
        {"label": "Organization", "id": "org-fake-brigade", "name": "Fake Brigade", "kind": "police"},
        {"label": "Organization", "id": "org-fake-guard", "name": "Fake Guard", "kind": "military"},
        {"label": "Position", "id": "pos-fake-brigade-head", "name": "Head of the Fake Brigade", "isHead": True},
        {"label": "Position", "id": "pos-fake-guard-head", "name": "Head of the Fake Guard", "isHead": True},
        {"label": "Incident", "id": "inc-fake-raid", "name": "Fake raid", "type": "raid", "date": "2019-06-01",
         "citations": CITE},
    ],
    "relationships": [
        {"type": "IN", "from": "pos-fake-brigade-head", "to": "org-fake-brigade"},
        {"type": "IN", "from": "pos-fake-guard-head", "to": "org-fake-guard"},
        # taken "in 2019": maybe after June
        {"type": "HOLDS", "from": "p-fake-head-2019", "to": "pos-fake-brigade-head", "startDate": "2019",
         "endDate": "2021-03", "citations": CITE},
        # since 2015, until 2020: settles June 2019
        {"type": "HOLDS", "from": "p-fake-head-2015", "to": "pos-fake-guard-head", "startDate": "2015",
         "endDate": "2020", "citations": CITE},
        {"type": "TARGETED", "from": "inc-fake-raid", "to": "p-fake-target", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-raid", "to": "org-fake-brigade", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-raid", "to": "org-fake-guard", "role": "direct", "citations": CITE},
    ],
}

EXPECTED = [
    ("p-fake-head-2015", "command", "held", "org-fake-guard"),
    ("p-fake-head-2019", "command", "may_have_held", "org-fake-brigade"),
    ("org-fake-brigade", "direct", None, None),
    ("org-fake-guard", "direct", None, None),
]


@pytest.fixture(params=BACKENDS)
def heads_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def _links(cases):
    return sorted(((c.perpetrator.id, c.role, c.certainty, c.via_organization) for c in cases),
                  key=lambda x: (x[1], x[0]))


def test_a_post_taken_in_the_incidents_year_may_have_been_held_then(heads_store):
    assert _links(S.officials_cases(heads_store)) == EXPECTED


def test_a_page_and_one_official_judge_the_same(heads_store):
    total, page = S.officials_cases_page(heads_store, None, None, 2, 0)
    assert total == 4
    rest = S.officials_cases_page(heads_store, None, None, 2, 2)[1]
    assert _links(page + rest) == EXPECTED
    assert [(c.perpetrator.id, c.certainty) for c in S.officials_cases(heads_store, "p-fake-head-2019")] == [
        ("p-fake-head-2019", "may_have_held")]
