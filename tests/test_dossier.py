"""The dossier (issue 11): the five Treasury officials from a fresh clone's seed files in
md, html and json with their E.O. 13884 identification and the EU/Canadian sanctions
footnoted to their quotes; the synthetic fixture with exact expected sections on both
backends; the JSON against the published JSON Schema; the HTML offline in Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from repgraph.cli import app
from repgraph.dossier import build_dossier, dossier_json_schema, render
from repgraph.ingest import ingest_case_file
from repgraph.seed import seed_files
from repgraph.service import NotFound

from conftest import BACKENDS, fresh_store

REPO = Path(__file__).resolve().parents[1]
DOSSIER_FIXTURE = Path(__file__).parent / "fixtures" / "dossier.yaml"
SCHEMA_FILE = REPO / "docs" / "dossier.schema.json"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

EO = "Today, the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC) identified five current officials of the Government of Venezuela pursuant to Executive Order (E.O.) 13884"
EU_QUOTE = "In September 2019, he was sanctioned by the EU for his involvement in torture and other serious human rights violations."
CA_QUOTE = "He is sanctioned as a person subject to Special Economic Measures by the Government of Canada for playing a key role in the political and economic crisis in Venezuela."

#: The five officials and the sanctions the release states: (authority, listed, qualifier, programme, legal basis).
US = ("us_ofac", "2019-11-05", "exact", "E.O. 13884", "E.O. 13884")
EU = ("eu", "2019-09", "exact", None, None)
CA = ("canada", "2019-11-05", "at_least", "Special Economic Measures", None)
TREASURY = {
    "person-remigio-ceballos-ichaso": [US, CA],
    "person-nestor-neptali-blanco-hurtado": [US, EU],
    "person-jose-adelino-ornelas-ferreira": [US, CA],
    "person-pedro-miguel-carreno-escobar": [US, CA],
    "person-carlos-alberto-calderon-chirinos": [US, EU],
}


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    """The seed files ingested through the CLI into a new embedded store (a fresh clone)."""
    db = tmp_path_factory.mktemp("dossier") / "seed.db"
    result = CliRunner().invoke(app, ["ingest", *map(str, seed_files()), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(params=BACKENDS, scope="module")
def fixture_store(request, tmp_path_factory):
    st = fresh_store(request.param, tmp_path_factory.mktemp("dossier-fixture"), request)
    ingest_case_file(st, DOSSIER_FIXTURE)
    yield st
    st.close()


def _footnote_of(md: str, quote: str) -> int:
    m = re.search(r"^\[\^(\d+)\]: .*“" + re.escape(quote) + "”$", md, re.M)
    assert m, f"no footnote quoting {quote!r}"
    return int(m.group(1))


# --------------------------------------------------------------------------- the Treasury officials


@pytest.mark.parametrize("person_id", sorted(TREASURY))
def test_treasury_official_dossier_in_three_formats(seed_db, tmp_path, person_id):
    runner = CliRunner()
    out = {}
    for fmt in ("md", "html", "json"):
        path = tmp_path / f"{person_id}.{fmt}"
        result = runner.invoke(app, ["dossier", person_id, "--format", fmt, "-o", str(path), "--db", str(seed_db), "--on", "2019-11-05"])
        assert result.exit_code == 0, result.output
        out[fmt] = path.read_text(encoding="utf-8")
    data = json.loads(out["json"])
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))
    got = [(s["authority"], s["listed_date"], s["listed_qualifier"], s["programme"], s["legal_basis"]) for s in data["sanctions"]]
    assert got == TREASURY[person_id]
    assert data["sanctions_gap"]["in_force_by"] == [a for a, *_ in TREASURY[person_id]]
    us = data["sanctions"][0]
    assert us["reason"] == "identified as a member of the Government of Venezuela"
    assert EO in [c["quote"] for c in us["listed_citations"]]
    md = out["md"]
    # the E.O. 13884 identification, footnoted to its quote
    eo_note = _footnote_of(md, EO)
    assert re.search(r"^\| \*\*us\\_ofac\*\* .*E\.O\. 13884.*\| 2019-11-05\[\^%d\]" % eo_note, md, re.M)
    # the EU or Canadian sanction, footnoted to the sentence of the release that states it
    other = TREASURY[person_id][1][0]
    quote = EU_QUOTE if other == "eu" else CA_QUOTE
    note = next(n for n in range(1, 200) if re.search(r"^\[\^%d\]: .*%s" % (n, re.escape(quote)), md, re.M))
    row = next(line for line in md.splitlines() if line.startswith(f"| **{other}**"))
    assert f"[^{note}]" in row
    if other == "canada":
        assert "since at least 2019-11-05" in row and "Special Economic Measures" in row
    else:
        assert "| 2019-09[^" in row
    html = out["html"]
    assert "E.O. 13884" in html and "<svg" in html and 'id="fn-1"' in html and "<script" not in html


def test_treasury_posts_say_current_and_former(seed_db):
    from repgraph.store.embedded import EmbeddedStore

    with EmbeddedStore(seed_db) as st:
        d = build_dossier(st, "person-pedro-miguel-carreno-escobar", "2019-11-05")
    assert sorted((p.position.id, p.dates) for p in d.posts) == [
        ("pos-anc-deputy", "start not stated, still held as of 2019-11-05"),
        ("pos-army-captain", "former, dates unknown"),
        ("pos-na-parlatino-parliamentarian", "former, dates unknown"),
    ]
    assert d.allegations_direct == [] and d.allegations_by_command == []


def test_unknown_person_is_refused(seed_db):
    result = CliRunner().invoke(app, ["dossier", "person-nobody", "--db", str(seed_db)])
    assert result.exit_code == 2 and "no person with id 'person-nobody'" in result.output
    result = CliRunner().invoke(app, ["dossier", "person-remigio-ceballos-ichaso", "-f", "pdf", "--db", str(seed_db)])
    assert result.exit_code == 2 and "--format: one of md, html, json" in result.output


# --------------------------------------------------------------------------- the synthetic fixture, both backends


def test_synthetic_dossier_sections(fixture_store):
    d = build_dossier(fixture_store, "p-dos-general", "2023-01-01")
    assert [(n.type, n.value) for n in d.identity.names] == [
        ("primary", "Pedro Ejemplo Núñez"), ("nickname", "El Ejemplo"), ("alias", "Pedro Ejemplo Nunez")]
    assert (d.identity.birth_date, d.identity.birth_date_precision, d.identity.nationality, d.identity.identifiers) == (
        "1970-05", "month", ["VE"], [{"scheme": "passport", "value": "FAKE-P-0001"}])
    assert [(p.position.id, p.organization.id, p.dates) for p in d.posts] == [
        ("pos-dos-brigade-cmdr", "org-dos-brigade", "from 2018-01-01 to 2020-06-30"),
        ("pos-dos-army-chief", "org-dos-army", "since at least 2021 (year), end unknown"),
    ]
    assert [(c.post, c.direction, c.unit.id, c.holder.id, c.overlap_from, c.overlap_to) for c in d.chain_of_command] == [
        ("pos-dos-army-chief", "subordinate", "pos-dos-brigade-cmdr", "p-dos-successor", "2021-01-01", None),
        ("pos-dos-brigade-cmdr", "superior", "pos-dos-army-chief", "p-dos-oldchief", "2018-01-01", "2020-06-30"),
    ]
    assert [(a.incident.id, a.roles, a.evidence.independent_sources, a.evidence.flags) for a in d.allegations_direct] == [
        ("inc-dos-bribe-2022", ["direct"], 1, ["single_source", "contested"]),
        ("inc-dos-torture-2022", ["ordered"], 1, ["single_source", "contested"]),
    ]
    assert [p.id for p in d.allegations_direct[1].proceedings] == ["pr-dos-indictment"]
    assert [(a.incident.id, a.organization.id, a.certainty, a.evidence.highest_confidence) for a in d.allegations_by_command] == [
        ("inc-dos-raid-2019", "org-dos-brigade", "held", 0.8),
        ("inc-dos-army-killing-2022", "org-dos-army", "may_have_held", 0.7),
    ]
    assert [(e.kind, e.weakens.id, e.derived) for e in d.exculpatory] == [
        ("post_ended_before_incident", "inc-dos-detention-2021", True),
        ("denial", "inc-dos-torture-2022", False),
        ("delisting", "sanc-dos-eu", False),
        ("acquittal", "inc-dos-bribe-2022", False),
    ]
    assert [(s.authority, s.status, s.end_date) for s in d.sanctions] == [("us_ofac", "active", None), ("eu", "lifted", "2022-06-30")]
    assert (d.sanctions_gap.in_force_by, d.sanctions_gap.not_by) == (["us_ofac"], ["eu", "uk", "canada", "un", "switzerland"])
    assert [(a.other.id, a.relation) for a in d.relatives_and_associates] == [("p-dos-partner", "business partner"), ("p-dos-wife", "wife")]
    assert [(a.type, a.direction, a.other.id) for a in d.affiliations] == [
        ("ACTING_FOR", "in", "p-dos-partner"), ("APPOINTED_BY", "out", "p-dos-minister"), ("OWNS", "out", "org-dos-shell")]
    assert {(n.id, n.role, n.layer) for n in d.figure.nodes} == {
        ("p-dos-general", "subject", 1), ("pos-dos-brigade-cmdr", "post", 1), ("pos-dos-army-chief", "post", 1),
        ("p-dos-oldchief", "holder", 0), ("p-dos-successor", "holder", 2)}
    with pytest.raises(NotFound):
        build_dossier(fixture_store, "org-dos-army")


def test_synthetic_markdown_footnotes_every_statement(fixture_store):
    md = render(build_dossier(fixture_store, "p-dos-general", "2023-01-01"), "md")
    assert "- birth date: 1970-05 (month)\n- nationality: VE\n- identifier: passport FAKE-P-0001\n" in md
    assert "- nickname: **El Ejemplo**\n- alias: **Pedro Ejemplo Nunez**\n" in md
    assert "| Commander of Brigada Ficticia 7 (head)[^1] | Brigada Ficticia 7 | from 2018-01-01 to 2020-06-30 | 0.90 |" in md
    delisting = _footnote_of(md, "Pedro Ejemplo Núñez is removed from the list as of 30 June 2022.")
    assert re.search(r"^\| \*\*eu\*\* \| — \| lifted \| 2020-01-15\[\^\d+\] \| 2022-06-30\[\^%d\] \|" % delisting, md, re.M)
    assert "may have held Chief of Ejército Inventado (Ejército Inventado) at the incident's date (the end is not known)" in md
    assert "evidence: 2 independent source(s) (ONG Ficticia, Diario Inventado); confidence 0.60–0.80; flags: derived" in md
    # the EU listing was lifted (the table above shows it): not "no listing recorded"
    assert ("**Gap as of 2023-01-01:** listed, no end recorded: us\\_ofac; listing recorded, not in force: eu; no "
            "listing recorded: uk, canada, un, switzerland. Recorded means in the sources ingested here; check each "
            "authority's current list.") in md
    # every footnote mark resolves, every footnote is used
    marks = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", md)}
    notes = {int(n) for n in re.findall(r"^\[\^(\d+)\]:", md, re.M)}
    assert marks == notes and notes == set(range(1, len(notes) + 1))


def test_hostile_names_stay_text(tmp_path):
    from repgraph.store.embedded import EmbeddedStore
    from repgraph.schema import schema_statements

    text = DOSSIER_FIXTURE.read_text(encoding="utf-8").replace(
        "    name: Pedro Ejemplo Núñez\n", "    name: \"Pedro <script>alert(1)</script> [x](javascript:y) | Núñez\"\n")
    path = tmp_path / "hostile.yaml"
    assert text.count("<script>") == 1
    path.write_text(text, encoding="utf-8")
    with EmbeddedStore(tmp_path / "h.db") as st:
        st.apply_schema(schema_statements())
        ingest_case_file(st, path)
        d = build_dossier(st, "p-dos-general", "2023-01-01")
    html, md = render(d, "html"), render(d, "md")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in md and "\\[x\\](javascript:y) \\| Núñez" in md


def test_published_schema_is_the_generated_one():
    assert json.loads(SCHEMA_FILE.read_text()) == dossier_json_schema()
    result = CliRunner().invoke(app, ["dossier-schema"])
    assert json.loads(result.output) == dossier_json_schema()


def test_json_validates_and_a_broken_one_does_not(fixture_store):
    data = json.loads(render(build_dossier(fixture_store, "p-dos-general"), "json"))
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.validate(data, schema)
    data["sanctions"][0]["authority"] = None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


# --------------------------------------------------------------------------- the API


def test_api_dossier_formats(fixture_store):
    from api_access import client_for

    with client_for(fixture_store) as client:  # a real admin key (the API needs one)
        r = client.get("/persons/p-dos-general/dossier?date=2023-01-01")
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert [s["id"] for s in r.json()["sanctions"]] == ["sanc-dos-us", "sanc-dos-eu"]
        r = client.get("/persons/p-dos-general/dossier", headers={"Accept": "text/html"})
        assert r.headers["content-type"].startswith("text/html") and "<svg" in r.text
        r = client.get("/persons/p-dos-general/dossier?format=md", headers={"Accept": "text/html"})
        assert r.headers["content-type"].startswith("text/markdown") and r.text.startswith("# Dossier: Pedro Ejemplo Núñez")
        assert client.get("/persons/p-nobody/dossier").status_code == 404
        assert client.get("/persons/p-dos-general/dossier?format=pdf").status_code == 422


# --------------------------------------------------------------------------- the HTML in a real browser


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent: apt-get install -y chromium")
@pytest.mark.parametrize("which", ["synthetic", "treasury"])
def test_html_opens_offline_in_chromium(fixture_store, seed_db, tmp_path, which):
    from playwright.sync_api import sync_playwright

    from repgraph.store.embedded import EmbeddedStore

    if which == "synthetic":
        d = build_dossier(fixture_store, "p-dos-general", "2023-01-01")
    else:
        with EmbeddedStore(seed_db) as st:
            d = build_dossier(st, "person-remigio-ceballos-ichaso", "2019-11-05")
    page_file = tmp_path / "dossier.html"
    page_file.write_text(render(d, "html"), encoding="utf-8")
    blocked, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                                     "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else (blocked.append(route.request.url), route.abort()))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_file.as_uri())
        boxes = page.locator("#chain-figure svg rect").count()
        notes = page.locator("ol.sources li").count()
        marks = page.locator("sup a").count()
        title = page.title()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"dossier-{which}.png"), full_page=True)
        browser.close()
    assert blocked == [] and errors == []
    assert boxes == len(d.figure.nodes) and notes > 0 and marks >= notes
    assert title == f"Dossier: {d.person.name}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_name_with_blank_lines_cannot_escape_the_markdown_figure(backend, tmp_path, request):
    """The chain figure is an HTML block inside the Markdown dossier; a blank line in a
    holder's name ended it, and what followed became live Markdown: a link (or a forged
    footnote) rendered from a name."""
    from markdown_it import MarkdownIt

    hostile = "Jefe\\n\\n[click me](https://evil.example/x)\\n\\n[^1]: forged source"
    text = DOSSIER_FIXTURE.read_text(encoding="utf-8").replace("name: Jefe Antiguo Pérez,", f'name: "{hostile}",')
    assert "evil.example" in text
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    st = fresh_store(backend, tmp_path, request)
    try:
        ingest_case_file(st, path)
        d = build_dossier(st, "p-dos-general", "2023-01-01")
    finally:
        st.close()
    assert "p-dos-oldchief" in {n.id for n in d.figure.nodes}
    md = render(d, "md")
    svg = md[md.index("<svg"):md.index("</svg>")]
    assert "\n\n" not in svg and "<title>Jefe [click me](https://evil.example/x) [^1]: forged source (holder)</title>" in svg
    html = MarkdownIt("commonmark").render(md)
    assert "evil.example" in html and 'href="https://evil.example' not in html
    assert not re.search(r"^\[\^\d+\]: forged", md, re.M)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_person_two_datasets_state_has_no_bookkeeping_in_the_dossier(backend, tmp_path, request):
    """Stated by two datasets, a person's raw ``statements`` and ``conflicts`` JSON (every
    dataset's notes and values) was dumped into the identity section; datasets as a list repr."""
    def case(name, gender):
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps({"dataset": {"name": name, "title": f"Fake {name}", "synthetic": True}, "nodes": [
            {"label": "Person", "id": "p-two", "name": "Ana Ficticia", "roles": ["official"], "gender": gender,
             "notes": f"internal note of {name}"}]}), encoding="utf-8")
        return p
    st = fresh_store(backend, tmp_path, request)
    try:
        ingest_case_file(st, case("fake-a", "female"))
        ingest_case_file(st, case("fake-b", "male"))
        d = build_dossier(st, "p-two", "2023-01-01")
    finally:
        st.close()
    assert d.identity.other == {"datasets": ["fake-a", "fake-b"], "gender": "female"}
    md = render(d, "md")
    assert "- datasets: fake-a, fake-b\n- gender: female\n" in md
    for out in (md, render(d, "html"), render(d, "json")):
        assert "internal note" not in out and "statements" not in out


def test_a_defenders_dossier_says_why_no_relative_is_listed(synthetic_store):
    """Relatives and associates are listed for sanctioned or accused persons only (a
    defender's family is never screened here); for a defender with a brother and a mother
    on file, "None recorded." read as a fault."""
    md = render(build_dossier(synthetic_store, "p-defender-alpha", "2024-12-31"), "md")
    section = md.split("## 7. Relatives and associates", 1)[1]
    assert "Not listed: this section covers the circle of sanctioned or accused persons only" in section
    assert "None recorded." not in section.split("##", 1)[0]
    assert "Brother" not in section and "p-brother-alpha" not in section
    accused = render(build_dossier(synthetic_store, "p-agent-gamma", "2024-12-31"), "md")
    assert "Not listed:" not in accused.split("## 7. Relatives and associates", 1)[1]
