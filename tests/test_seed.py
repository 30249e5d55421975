"""The real seed dataset: only what the sources say, each fact with its verbatim quote."""

import re
from pathlib import Path

import pytest

from repgraph import service as S
from repgraph.ingest import load_case_file
from repgraph.seed import GUILT_BY_ASSOCIATION_QUOTE, seed_files

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", " ")).strip()


def _quotes(case):
    for element in [*case.nodes, *case.relationships]:
        for c in element.citations:
            yield element.id, c


def test_seed_files_are_the_report_and_the_treasury_release():
    assert [f.name for f in seed_files()] == ["pddhe-2025-report.yaml", "us-treasury-2019-11-05.yaml"]


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_every_quote_is_verbatim_in_its_local_source(path):
    case = load_case_file(path)
    sources = {n.id: n for n in case.nodes if n.label == "Source"}
    texts = {sid: _normalise((SOURCES / s.local_ref).read_text(encoding="utf-8")) for sid, s in sources.items()}
    quotes = list(_quotes(case))
    assert len(quotes) > 30
    missing = [(eid, c.quote) for eid, c in quotes if _normalise(c.quote) not in texts[c.source]]
    assert missing == []


def test_the_demos_guilt_by_association_sentence_is_the_reports():
    text = _normalise((SOURCES / "000_606dcfb9794b40fe.txt").read_text(encoding="utf-8"))
    assert GUILT_BY_ASSOCIATION_QUOTE in text


def test_claims_are_cited_and_no_family_member_is_invented():
    for path in seed_files():
        case = load_case_file(path)
        for node in case.nodes:
            if node.label != "Source":
                assert node.citations, f"{path.name}: {node.id} has no citation"
        persons = [n for n in case.nodes if n.label == "Person"]
        assert not [p.id for p in persons if "family_member" in p.roles or "witness" in p.roles]


def test_named_defenders_fled_to_colombia(seed_store):
    flows = S.exile_flows(seed_store, "country")
    assert [(g.key, [p.id for p in g.persons]) for g in flows.groups] == [
        ("Colombia", ["person-luis-peche", "person-yendri-velasquez"])]
    routes = {r.person.id: r.route for r in flows.records}
    assert routes == {"person-yendri-velasquez": "irregular crossing", "person-luis-peche": "land border crossing"}


def test_half_year_statistics_with_their_quotes(seed_store):
    stats = {s.id: s for s in S.exile_flows(seed_store).statistics}
    by_value = {(s.value, s.period_start, s.period_end) for s in stats.values()}
    assert (7, "2024-01", "2024-06") in by_value
    assert (28, "2024-07", "2024-12") in by_value
    assert (69, "2020", "2025-10") in by_value
    seven = next(s for s in stats.values() if s.value == 7)
    assert "recorded 7 cases of defenders who left the country" in seven.citations[0].quote
    assert seven.citations[0].source_title.startswith("Defending Human Rights in Venezuela")
    colombia = next(s for s in stats.values() if s.unit == "percent")
    assert colombia.value == 45 and colombia.qualifier == "about"


def test_velasquez_detention_and_passport(seed_store):
    e = S.entity(seed_store, "person-yendri-velasquez")
    incidents = {r.other.id for r in e.relationships if r.type == "TARGETED"}
    types = {S.entity(seed_store, i).properties["type"] for i in incidents}
    assert {"arbitrary_detention", "passport_confiscation", "passport_annulment", "threat", "surveillance"} <= types
    detention = [S.entity(seed_store, i) for i in incidents if S.entity(seed_store, i).properties["type"] == "arbitrary_detention"]
    assert [d.properties["date"] for d in detention] == ["2024-08-03"]


def test_tun_tun_and_laws_are_present_without_invented_links(seed_store):
    ops = S.operations(seed_store)
    assert [o.name for o in ops] == ["Operation Tun-Tun"] and ops[0].incidents == []
    assert {law.name for law in S.laws(seed_store)} == {"NGO Oversight Law", "Anti-Hate Law", "anti-terrorism provisions"}
    assert S.guilt_by_association(seed_store) == []


def test_search_velasquez_without_accent(seed_store):
    page = S.search(seed_store, "velasquez")
    assert page.items[0].id == "person-yendri-velasquez" and page.items[0].name == "Yendri Velásquez"
    # accents in the Spanish spelling of Treasury names are aliases
    assert S.search(seed_store, "Carreño").items[0].id == S.search(seed_store, "carreno escobar").items[0].id


def test_treasury_allegations_carry_their_lower_confidence(seed_store):
    """An accusation the source reports as 'accused'/'reportedly' must not read as fact."""
    cases = {(c.perpetrator.id, c.incident.id): c for c in S.officials_cases(seed_store)}
    calderon = [c for (p, _), c in cases.items() if p.startswith("person-carlos-alberto-calderon")]
    assert [c.confidence for c in calderon] == [0.5]
    assert all(c.confidence is not None and c.confidence <= 1 for c in cases.values())
    assert not [c for c in cases.values() if c.victims]  # the Treasury release names no victim
