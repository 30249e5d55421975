"""The responsibility chain of an incident a person committed while holding a post (issue 12).

At 100k persons this kind of chain was the embedded store's slow p95 (0.6-1.4 s, against a
3 ms median): POSITIONS_HELD read the post's organization with an OPTIONAL MATCH, which
GraphQLite 0.12 answers by a LEFT JOIN over every node. The statement now reads the posts
alone (the chain climbs REPORTS_TO from the post, never from that organization). These
tests pin the answer on both backends: the right posts and the right people above them,
and a post listed once even when it is IN two organizations (the OPTIONAL MATCH repeated it).
POSTS_OF (dossiers, command responsibility) had the same OPTIONAL MATCH (~300 ms a call at
100k): it now reads the organizations with a pattern comprehension, and ``posts_of`` gives
the rows the OPTIONAL MATCH gave.
"""

from __future__ import annotations

import json

import pytest

from repgraph import service as S
from repgraph.accountability.common import posts_of

from conftest import BACKENDS, case_store

CITE = [{"source": "src-fake-chain", "quote": "Fake quote: who was in charge."}]

CASE = {
    "dataset": {"name": "chain-posts", "title": "Fake chain of command (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-fake-chain", "name": "Fake Chain Report", "type": "report", "title": "Fake Chain Report"},
        {"label": "Person", "id": "p-fake-agent", "name": "Pedro Ejemplo Núñez", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-boss", "name": "Ana Ficticia", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-oldboss", "name": "Oldboss Ficticio", "roles": ["official"]},
        {"label": "Person", "id": "p-fake-victim", "name": "Vera Testvictim", "roles": ["defender"]},
        {"label": "Organization", "id": "org-fake-unit", "name": "Fake Unit", "kind": "police"},
        {"label": "Organization", "id": "org-fake-taskforce", "name": "Fake Task Force", "kind": "police"},
        {"label": "Position", "id": "pos-fake-agent", "name": "Agent of the Fake Unit"},
        {"label": "Position", "id": "pos-fake-boss", "name": "Head of the Fake Unit", "isHead": True},
        {"label": "Position", "id": "pos-fake-adviser", "name": "Fake Adviser (in no organization)"},
        {"label": "Incident", "id": "inc-fake-arrest", "name": "Fake arrest", "type": "arbitrary_detention",
         "date": "2023-05-10", "citations": CITE},
    ],
    "relationships": [
        # the agent's post belongs to two organizations (seconded to a task force)
        {"type": "IN", "from": "pos-fake-agent", "to": "org-fake-unit"},
        {"type": "IN", "from": "pos-fake-agent", "to": "org-fake-taskforce"},
        {"type": "IN", "from": "pos-fake-boss", "to": "org-fake-unit"},
        {"type": "REPORTS_TO", "from": "pos-fake-agent", "to": "pos-fake-boss", "startDate": "2010"},
        {"type": "HOLDS", "from": "p-fake-agent", "to": "pos-fake-agent", "startDate": "2020", "citations": CITE},
        {"type": "HOLDS", "from": "p-fake-oldboss", "to": "pos-fake-boss", "startDate": "2015", "endDate": "2021-12",
         "citations": CITE},
        {"type": "HOLDS", "from": "p-fake-boss", "to": "pos-fake-boss", "startDate": "2022-01", "citations": CITE},
        {"type": "HOLDS", "from": "p-fake-oldboss", "to": "pos-fake-adviser", "startDate": "2022-01", "citations": CITE},
        {"type": "TARGETED", "from": "inc-fake-arrest", "to": "p-fake-victim", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-fake-arrest", "to": "p-fake-agent", "role": "direct", "citations": CITE},
    ],
}


@pytest.fixture(params=BACKENDS)
def chain_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def test_posts_of_gives_one_row_per_post_and_organization(chain_store):
    rows = {(r["personId"], r["positionId"], r["organizationId"], r["organization"], r["isHead"])
            for pid in ("p-fake-agent", "p-fake-oldboss", "p-fake-victim") for r in posts_of(chain_store, pid)}
    assert rows == {
        ("p-fake-agent", "pos-fake-agent", "org-fake-taskforce", "Fake Task Force", False),
        ("p-fake-agent", "pos-fake-agent", "org-fake-unit", "Fake Unit", False),
        ("p-fake-oldboss", "pos-fake-boss", "org-fake-unit", "Fake Unit", True),
        ("p-fake-oldboss", "pos-fake-adviser", None, None, False),
    }


def _chain_of(case: dict, backend: str, tmp_path, request):
    """The responsibility chain of inc-fake-arrest in a fresh store holding ``case``."""
    store = case_store(case, backend, tmp_path, request)
    try:
        return S.responsibility_chain(store, "inc-fake-arrest")
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_chain_of_a_person_holding_a_post_names_the_post_once_and_the_head_then(backend, tmp_path, request):
    chain = _chain_of(CASE, backend, tmp_path, request)
    assert [v.id for v in chain.victims] == ["p-fake-victim"]
    assert [(link.level, link.kind, link.entity.id, link.below, link.role) for link in chain.links] == [
        (0, "perpetrator", "p-fake-agent", "inc-fake-arrest", "direct"),
        (1, "position", "pos-fake-agent", "p-fake-agent", "held"),
        (2, "holder", "p-fake-boss", "pos-fake-boss", "held"),
        (2, "position", "pos-fake-boss", "pos-fake-agent", "reports_to"),
    ]
    # the head whose term ended before the incident is not in the chain
    assert "p-fake-oldboss" not in {link.entity.id for link in chain.links}
    post = next(link for link in chain.links if link.kind == "position" and link.level == 1)
    assert (post.valid_from, post.valid_to, post.relationship_id) == ("2020-01-01", None, "HOLDS:p-fake-agent:pos-fake-agent")
    # regression: a holder link carried no relationship id (its HOLDS could not be cited)
    holder = next(link for link in chain.links if link.kind == "holder")
    assert holder.relationship_id == "HOLDS:p-fake-boss:pos-fake-boss"


@pytest.mark.parametrize("backend", BACKENDS)
def test_chain_says_may_have_held_where_the_sources_leave_a_post_open(backend, tmp_path, request):
    """Regression: a post with a known start and no known end was shown as 'held' at the
    incident's date; the command-responsibility answer already said 'may have held'."""
    case = json.loads(json.dumps(CASE))
    for rel in case["relationships"]:
        if rel["type"] == "HOLDS" and rel["from"] == "p-fake-boss":
            rel.update(current=True, asOf="2024")  # still held as of 2024: settles the 2023 date
    chain = _chain_of(case, backend, tmp_path, request)
    assert [(link.kind, link.entity.id, link.certainty) for link in chain.links] == [
        ("perpetrator", "p-fake-agent", None),
        ("position", "pos-fake-agent", "may_have_held"),  # since 2020, end not known
        ("holder", "p-fake-boss", "held"),                 # since 2022-01, still held as of 2024
        ("position", "pos-fake-boss", None),               # a reports_to link: no tenure
    ]
