"""Named queries on the synthetic network: exact answers, on both backends."""

import pytest

from repgraph import service as S
from repgraph.queries import NAMED_QUERIES


def test_guilt_by_association_finds_both_relatives(synthetic_store):
    rows = S.guilt_by_association(synthetic_store)
    got = [(g.relative.id, g.relation, g.defender.id, [i.id for i in g.incidents]) for g in rows]
    assert got == [
        ("p-brother-alpha", "brother", "p-defender-alpha", ["inc-brother-interrogation"]),
        ("p-mother-alpha", "mother", "p-defender-alpha", ["inc-mother-raid"]),
    ]
    mother = rows[1]
    assert mother.relative.confidentiality == "restricted"
    assert [c.quote for c in mother.citations] == ["Her son's work was the reason."]
    assert mother.incidents[0].citations[0].source_title == "Fake Report One"


def test_guilt_by_association_filters_by_defender(synthetic_store):
    assert len(S.guilt_by_association(synthetic_store, "p-defender-alpha")) == 2
    assert S.guilt_by_association(synthetic_store, "p-defender-beta") == []


def test_officials_cases_direct_and_command(synthetic_store):
    cases = S.officials_cases(synthetic_store)
    got = sorted((c.perpetrator.id, c.role, c.incident.id, tuple(v.id for v in c.victims)) for c in cases)
    assert got == [
        # Delta headed the police from 2024-07: command for the August 2024 detention only
        ("org-fake-police", "direct", "inc-alpha-detention", ("p-defender-alpha",)),
        ("org-fake-police", "direct", "inc-beta-threat", ("p-defender-beta",)),
        ("p-agent-gamma", "direct", "inc-alpha-detention", ("p-defender-alpha",)),
        ("p-agent-gamma", "participated", "inc-mother-raid", ("p-mother-alpha",)),
        ("p-chief-delta", "command", "inc-alpha-detention", ("p-defender-alpha",)),
        # the 2023 threat: Oldchief held the post over the whole of 2023
        ("p-chief-old", "command", "inc-beta-threat", ("p-defender-beta",)),
    ]
    delta = next(c for c in cases if c.perpetrator.id == "p-chief-delta")
    assert (delta.via_organization, delta.via_position) == ("org-fake-police", "pos-fpp-director")


def test_officials_cases_filters(synthetic_store):
    only_gamma = S.officials_cases(synthetic_store, official_id="p-agent-gamma")
    assert [c.incident.id for c in only_gamma] == ["inc-alpha-detention", "inc-mother-raid"]
    raids = S.officials_cases(synthetic_store, incident_type="raid")
    assert [(c.perpetrator.id, c.role) for c in raids] == [("p-agent-gamma", "participated")]


def test_responsibility_chain_uses_positions_held_at_the_incident_date(synthetic_store):
    chain = S.responsibility_chain(synthetic_store, "inc-alpha-detention")
    assert (chain.date_from, chain.date_to) == ("2024-08-03", "2024-08-03")
    assert [v.id for v in chain.victims] == ["p-defender-alpha"]
    got = [(l.level, l.kind, l.entity.id, l.below) for l in chain.links]
    assert got == [
        (0, "perpetrator", "org-fake-police", "inc-alpha-detention"),
        (0, "perpetrator", "p-agent-gamma", "inc-alpha-detention"),
        (1, "holder", "p-chief-delta", "org-fake-police"),
        (1, "position", "pos-fpp-agent", "p-agent-gamma"),
        # the police's head post, climbed too (round newc5): it reports to the minister's post
        (1, "position", "pos-fpp-director", "p-chief-delta"),
        (2, "holder", "p-minister-eps", "org-fake-ministry"),
        (2, "holder", "p-chief-delta", "pos-fpp-director"),
        (2, "holder", "p-minister-eps", "pos-minister"),
        (2, "organization", "org-fake-ministry", "org-fake-police"),
        (2, "position", "pos-fpp-director", "pos-fpp-agent"),
        (2, "position", "pos-minister", "pos-fpp-director"),
    ]
    # Oldchief's term ended 2024-06: never in this chain
    assert "p-chief-old" not in {l.entity.id for l in chain.links}
    assert chain.incident.citations[0].page == "12"


def test_responsibility_chain_of_an_older_incident_names_the_chief_of_then(synthetic_store):
    chain = S.responsibility_chain(synthetic_store, "inc-beta-threat")
    holders = {(l.entity.id, l.below) for l in chain.links if l.kind == "holder"}
    assert ("p-chief-old", "org-fake-police") in holders
    assert "p-chief-delta" not in {h for h, _ in holders}


def test_responsibility_chain_unknown_incident(synthetic_store):
    with pytest.raises(S.NotFound, match="inc-nope"):
        S.responsibility_chain(synthetic_store, "inc-nope")


def test_exile_flows_by_country_period_route(synthetic_store):
    by_country = S.exile_flows(synthetic_store, "country")
    # the mother is a family member, not a defender: not counted
    assert [(g.key, g.count, [p.id for p in g.persons]) for g in by_country.groups] == [
        ("Hostia", 1, ["p-defender-alpha"]),
        ("Refugia", 1, ["p-defender-beta"]),
    ]
    by_period = S.exile_flows(synthetic_store, "period")
    assert [(g.key, g.count) for g in by_period.groups] == [("2024-H1", 1), ("2024-H2", 1)]
    by_route = S.exile_flows(synthetic_store, "route")
    assert [(g.key, g.count) for g in by_route.groups] == [("air", 1), ("irregular crossing", 1)]
    assert [(s.id, s.value) for s in by_country.statistics] == [("stat-fake-h2", 28)]
    alpha = next(r for r in by_country.records if r.person.id == "p-defender-alpha")
    assert (alpha.via, alpha.route, alpha.half_year) == ("place-border-town", "irregular crossing", "2024-H2")


def test_search_is_case_and_accent_insensitive_and_ranked(synthetic_store):
    page = S.search(synthetic_store, "ÁLFA")
    # both start a word with "alfa": the person ranks before the incident
    assert [(h.id, h.rank) for h in page.items] == [("p-defender-alpha", 1), ("inc-alpha-detention", 1)]
    assert page.total == 2
    # alias counts
    assert [h.id for h in S.search(synthetic_store, "ley falsa").items] == ["law-fake-ngo"]
    # ranked: exact alias "FPP" (rank 0) before names with a word "FPP", then by name
    page = S.search(synthetic_store, "fpp")
    assert [(h.id, h.rank) for h in page.items] == [
        ("org-fake-police", 0), ("pos-fpp-director", 1), ("pos-fpp-agent", 1)]
    # a word inside a name ranks with prefixes; persons before other labels
    assert [(h.id, h.rank) for h in S.search(synthetic_store, "testdefender").items] == [
        ("p-defender-alpha", 1), ("inc-alpha-detention", 1)]
    # label filter and pagination with a stable order
    fake = S.search(synthetic_store, "fake", label="Person", limit=2, offset=0)
    rest = S.search(synthetic_store, "fake", label="Person", limit=10, offset=2)
    assert fake.total == rest.total == 5
    assert len({h.id for h in fake.items + rest.items}) == 5


def test_search_rejects_empty_and_unknown_label(synthetic_store):
    with pytest.raises(ValueError, match="q:"):
        S.search(synthetic_store, "  !! ")
    with pytest.raises(ValueError, match="unknown node label"):
        S.search(synthetic_store, "x", label="Wizard")


def test_entity_detail_lists_relationships_with_citations(synthetic_store):
    e = S.entity(synthetic_store, "p-defender-alpha")
    assert e.label == "Person" and e.name == "Alfa Testdefender"
    assert "searchText" not in e.properties
    rels = [(r.type, r.direction, r.other.id) for r in e.relationships]
    assert rels == [
        ("EXILED_TO", "out", "country-hostia"),
        ("FAMILY_OF", "in", "p-brother-alpha"),
        ("FAMILY_OF", "in", "p-mother-alpha"),
        ("MEMBER_OF", "out", "org-fake-ngo"),
        ("TARGETED", "in", "inc-alpha-detention"),
    ]
    exile = e.relationships[0]
    assert exile.citations[0].quote == "Alfa crossed into Hostia in November 2024."
    assert exile.citations[0].source_title == "Fake Report One"


def test_ego_graph_depth_and_cap(synthetic_store):
    g1 = S.ego_graph(synthetic_store, "p-agent-gamma", depth=1)
    assert sorted(n.id for n in g1.nodes) == ["inc-alpha-detention", "inc-mother-raid", "p-agent-gamma", "pos-fpp-agent"]
    assert len(g1.edges) == 3 and not g1.truncated
    capped = S.ego_graph(synthetic_store, "p-agent-gamma", depth=3, max_nodes=5)
    assert len(capped.nodes) == 5 and capped.truncated and capped.omitted_nodes > 0
    only = S.ego_graph(synthetic_store, "p-agent-gamma", depth=2, types=["HOLDS", "REPORTS_TO"])
    assert sorted(n.id for n in only.nodes) == ["p-agent-gamma", "pos-fpp-agent", "pos-fpp-director"]


def test_laws_and_operations_with_incidents(synthetic_store):
    assert [(l.id, [i.id for i in l.incidents]) for l in S.laws(synthetic_store)] == [
        ("law-fake-ngo", ["inc-alpha-detention"])]
    assert [(o.id, [i.id for i in o.incidents]) for o in S.operations(synthetic_store)] == [
        ("op-fake-knock", ["inc-alpha-detention", "inc-mother-raid"])]


def test_every_named_query_has_a_handler(synthetic_store):
    from repgraph.cli.core import run_named_query

    required = {"responsibility-chain": {"incident_id": "inc-alpha-detention"}, "search": {"q": "fake"},
                "sanctioned-as-of": {"date": "2024-01-01"}, "sanctions-gap": {"by": "us_ofac", "not_by": "eu"},
                "command-responsibility": {"person_id": "p-chief-delta"}}
    for name in NAMED_QUERIES:
        assert run_named_query(synthetic_store, name, required.get(name, {})) is not None
