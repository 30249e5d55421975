"""Two answers a newcomer's fake case file got wrong (round newc5), pinned on both backends.

1. The responsibility chain of an incident a *unit* committed stopped at the unit's head:
   the head's post REPORTS_TO a higher post, but the chain climbed only from the unit
   itself, so the person above the head never appeared (the same structure climbed fine
   when a *person* was the perpetrator).
2. A dossier read below full clearance showed a relative targeted because of a defender
   (a guilt-by-association TARGETED link, restricted by default) as a victim under a
   pseudonym, while every other answer hides that link; and it said "not named" where the
   sources do name a victim the reader may not see.
"""

from __future__ import annotations

import pytest

from repgraph import service as S
from repgraph import viz
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render

from conftest import BACKENDS, case_store

CITE = [{"source": "src-fake-n5", "quote": "Fake quote: the unit did it."}]

CASE = {
    "dataset": {"name": "newc5-fake", "title": "Fake unit and its chain (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-fake-n5", "name": "Fake Interview", "type": "interview", "title": "Fake Interview"},
        {"label": "Person", "id": "p-n5-defender", "name": "Pedro Ejemplo Núñez", "roles": ["defender"]},
        {"label": "Person", "id": "p-n5-sister", "name": "Lucía Ficticia Ejemplo", "roles": ["family_member"]},
        {"label": "Person", "id": "p-n5-head", "name": "Comandante Inventado Pérez", "roles": ["official"]},
        {"label": "Person", "id": "p-n5-general", "name": "General Supuesto Ramírez", "roles": ["official"]},
        {"label": "Organization", "id": "org-n5-unit", "name": "Unidad Falsa", "kind": "state_security"},
        {"label": "Position", "id": "pos-n5-head", "name": "Head of Unidad Falsa", "isHead": True},
        {"label": "Position", "id": "pos-n5-general", "name": "Director General (fake)"},
        {"label": "Incident", "id": "inc-n5-detention", "name": "Detention of Pedro Ejemplo Núñez",
         "type": "arbitrary_detention", "date": "2024-06-10", "citations": CITE},
        {"label": "Incident", "id": "inc-n5-raid", "name": "Raid on a relative's home", "type": "raid",
         "date": "2024-07", "citations": CITE},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-n5-detention", "to": "p-n5-defender", "citations": CITE},
        {"type": "TARGETED", "from": "inc-n5-raid", "to": "p-n5-sister", "basis": "guilt_by_association",
         "becauseOf": "p-n5-defender", "citations": CITE},
        {"type": "FAMILY_OF", "from": "p-n5-sister", "to": "p-n5-defender", "relation": "sister", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-n5-detention", "to": "org-n5-unit", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-n5-raid", "to": "org-n5-unit", "role": "direct", "citations": CITE},
        {"type": "IN", "from": "pos-n5-head", "to": "org-n5-unit"},
        {"type": "HOLDS", "from": "p-n5-head", "to": "pos-n5-head", "startDate": "2023-01", "endDate": "2025-01",
         "citations": CITE},
        {"type": "HOLDS", "from": "p-n5-general", "to": "pos-n5-general", "startDate": "2024", "citations": CITE},
        {"type": "REPORTS_TO", "from": "pos-n5-head", "to": "pos-n5-general"},
    ],
}


@pytest.fixture(params=BACKENDS)
def n5_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def test_chain_of_a_unit_climbs_from_its_head_post(n5_store):
    chain = S.responsibility_chain(n5_store, "inc-n5-detention")
    assert [(link.level, link.kind, link.entity.id, link.below, link.role, link.certainty) for link in chain.links] == [
        (0, "perpetrator", "org-n5-unit", "inc-n5-detention", "direct", None),
        (1, "holder", "p-n5-head", "org-n5-unit", "command", "held"),
        (1, "position", "pos-n5-head", "p-n5-head", "head_post", "held"),
        # the general's post began "in 2024": a year containing the incident's date
        (2, "holder", "p-n5-general", "pos-n5-general", "held", "may_have_held"),
        (2, "position", "pos-n5-general", "pos-n5-head", "reports_to", None),
    ]


def test_chain_view_draws_the_general_above_the_units_head(n5_store):
    view = viz.build_chain(n5_store, "inc-n5-detention")
    level = {n.id: n.level for n in view.nodes}
    assert level["p-n5-general"] == level["pos-n5-general"] > level["pos-n5-head"] == level["p-n5-head"] > level["org-n5-unit"]
    assert ("pos-n5-head", "pos-n5-general", "REPORTS_TO") in {(e.source, e.target, e.type) for e in view.edges}
    assert ("p-n5-head", "pos-n5-head", "HOLDS") in {(e.source, e.target, e.type) for e in view.edges}


@pytest.mark.parametrize("backend", BACKENDS)
def test_chain_of_a_unit_whose_head_post_reports_to_nothing_is_unchanged(backend, tmp_path, request):
    case = {**CASE, "relationships": [r for r in CASE["relationships"] if r["type"] != "REPORTS_TO"]}
    store = case_store(case, backend, tmp_path, request)
    try:
        chain = S.responsibility_chain(store, "inc-n5-detention")
    finally:
        store.close()
    assert [(link.kind, link.entity.id) for link in chain.links] == [("perpetrator", "org-n5-unit"), ("holder", "p-n5-head")]


def test_dossier_hides_a_guilt_by_association_victim_below_its_clearance(n5_store):
    viewer = Viewer("v", Role.viewer)
    built = disclose(build_dossier(n5_store, "p-n5-head"), viewer, n5_store)
    victims = {a.incident.id: [v.name for v in a.victims] for a in built.allegations_by_command}
    assert victims == {"inc-n5-detention": ["Pedro Ejemplo Núñez"], "inc-n5-raid": []}
    for fmt in ("md", "html", "json"):
        text = render(built, fmt, full_clearance=False)
        assert "Protected person" not in text and "Lucía" not in text and "p-n5-sister" not in text, fmt
    md = render(built, "md", full_clearance=False)
    assert "victims: none you may see" in md and "not named" not in md


def test_dossier_shows_the_relative_to_an_analyst_and_admin(n5_store):
    for role in (Role.analyst, Role.admin):
        built = disclose(build_dossier(n5_store, "p-n5-head"), Viewer("a", role), n5_store)
        victims = {a.incident.id: [v.name for v in a.victims] for a in built.allegations_by_command}
        assert victims == {"inc-n5-detention": ["Pedro Ejemplo Núñez"], "inc-n5-raid": ["Lucía Ficticia Ejemplo"]}, role
