"""Redaction at every exit: every route of the OpenAPI spec, called as a viewer, an analyst
and an admin over a case file with a public defender, a restricted relative targeted
because of him, and a confidential witness with an alias (tests/fixtures/protected.yaml,
fake names), on both backends. The whole of every answer is scanned for every protected
name, id, alias and quote fragment.

Each role calls with a real API key (tests/api_access.py: real users, argon2-hashed
keys): the shipped app, nothing swapped.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from repgraph.disclosure import Role, add_listener, remove_listener
from repgraph.ontology import fold

from api_access import client_for


#: Words, ids and quote fragments that name the restricted relative.
RESTRICTED = ["Ana Ficticia", "Ficticia", "Escondidatest", "p-relative-ana"]
#: ... and the confidential witness, her incident and the confidential interview.
CONFIDENTIAL = ["Xiomara", "Inventada", "Xiomi", "Testigo", "Panaderiatest", "p-witness-xiomara", "inc-xiomara-threat",
                "src-prot-interview", "Interview Nine Testcase"]

ENTITY_IDS = ["p-defender-pedro", "p-relative-ana", "p-witness-xiomara", "p-agent-fake", "org-prot-unit",
              "country-prot-host", "country-prot-home", "inc-pedro-detention", "inc-family-home-raid", "inc-xiomara-threat",
              "src-prot-report", "src-prot-interview", "stat-prot-exiled",
              # public, but their ids name the restricted relative: opaque ids for a viewer
              "inc-raid-on-ana-ficticia-home", "org-ficticia-family-support"]
PAIR_IDS = ["p-defender-pedro", "p-relative-ana", "p-witness-xiomara", "org-prot-unit", "country-prot-host"]
QUERY_VALUES = {
    "q": ["ana", "ficticia", "xiomi", "testigo", "inventada", "raid", "pedro", "nunez", "threats", "escondidatest", "home"],
    "by": ["country", "period", "route"],
    "defender_id": [None, "p-defender-pedro", "p-relative-ana"],
    "official_id": [None, "org-prot-unit", "p-agent-fake"],
    "root": [None, "p-defender-pedro", "p-relative-ana", "inc-pedro-detention"],
    "subjects": ["all"],
    "depth": [2],
}



def client_as(store, role: Role) -> TestClient:
    """A client sending a real key of ``role`` (repgraph.access users, argon2-hashed keys)."""
    return client_for(store, role.value)


def _calls(spec: dict) -> list[str]:
    """A URL for every GET route of the spec and every combination of the values above."""
    urls = []
    for path, ops in spec["paths"].items():
        if "get" not in ops or path in ("/openapi.json", "/docs", "/redoc"):
            continue
        params = ops["get"].get("parameters", [])
        path_names = [p["name"] for p in params if p["in"] == "path"]
        values = {}
        for p in params:
            if p["in"] != "query":
                continue
            def deref(x):
                return spec["components"]["schemas"][x["$ref"].rsplit("/", 1)[1]] if "$ref" in x else x

            schema = deref(p.get("schema", {}))
            enum = schema.get("enum") or next((deref(a).get("enum") for a in schema.get("anyOf", []) if deref(a).get("enum")), None)
            chosen = [v for v in QUERY_VALUES.get(p["name"], []) if v is None or not enum or v in enum]
            if not chosen and p.get("required"):
                chosen = [enum[0]] if enum else ["2024-06-01"] if "date" in p["name"] else []
            if chosen:
                values[p["name"]] = chosen
        query_names = list(values)
        if path_names == ["source", "target"]:
            path_sets = [dict(zip(path_names, pair)) for pair in itertools.permutations(PAIR_IDS, 2)]
        else:
            path_sets = [dict(zip(path_names, combo)) for combo in itertools.product(ENTITY_IDS, repeat=len(path_names))]
        query_sets = [dict(zip(query_names, combo)) for combo in itertools.product(*(values[n] for n in query_names))]
        for ps in path_sets:
            base = path
            for k, v in ps.items():
                base = base.replace("{" + k + "}", v)
            for qs in query_sets:
                query = "&".join(f"{k}={v}" for k, v in qs.items() if v is not None)
                urls.append(base + (f"?{query}" if query else ""))
    return urls


def _answers(store, role: Role) -> tuple[dict[str, str], set[str]]:
    """Every answer (URL -> body) with status 200, and the spec paths that answered 200."""
    with client_as(store, role) as client:
        spec = client.get("/openapi.json").json()
        bodies, answered = {}, set()
        for url in _calls(spec):
            r = client.get(url)
            assert r.status_code in (200, 404) or (r.status_code == 403 and role is not Role.admin), \
                (url, r.status_code, r.text[:300])
            if r.status_code == 403:  # a route above the role (/audit): nothing shown
                assert r.json()["detail"].startswith("this needs the role"), (url, r.text)
                continue
            if r.status_code == 404:
                assert r.json()["detail"].startswith("no "), (url, r.text)
                continue
            bodies[url] = r.text
            answered.add(next(p for p in spec["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), url.split("?")[0])))
    return bodies, answered


def _readable(body: str) -> str:
    """The answer as text, JSON and HTML escapes decoded; a search's echo of the caller's own
    query is left out (it is their input, not the store's)."""
    try:
        data = json.loads(body)
    except ValueError:
        return html.unescape(body)
    if isinstance(data, dict):
        data.pop("query", None)
    return json.dumps(data, ensure_ascii=False)


def _hits(bodies: dict[str, str], needles: list[str]) -> dict[str, list[str]]:
    """needle -> URLs whose answer contains it (case and accents ignored)."""
    folded = {url: fold(_readable(body)) for url, body in bodies.items()}
    return {n: [u for u, b in folded.items() if fold(n) in b] for n in needles}


@pytest.fixture
def answers(protected_store, request):
    return lambda role: _answers(protected_store, role)


def test_viewer_sees_no_protected_name_id_alias_or_quote_on_any_route(answers):
    bodies, answered = answers(Role.viewer)
    hits = {n: urls for n, urls in _hits(bodies, RESTRICTED + CONFIDENTIAL).items() if urls}
    assert hits == {}
    # every route of the spec answered something (a route that only 404s proves nothing)
    assert {"/health", "/entities", "/entities/{entity_id}", "/graph/ego/{entity_id}", "/queries/guilt-by-association",
            "/queries/officials-cases", "/incidents/{incident_id}/responsibility-chain", "/stats/exile",
            "/analytics/centrality", "/analytics/brokers", "/analytics/communities", "/analytics/path/{source}/{target}",
            "/viz/ego/{entity_id}", "/viz/chain/{incident_id}", "/viz/exile", "/viz/path/{source}/{target}",
            "/viz/graph"} <= answered
    # the protected relative still counts, as a pseudonym
    assert any("Protected person" in b for u, b in bodies.items() if u.startswith("/stats/exile"))


def test_analyst_sees_restricted_but_not_confidential(answers):
    bodies, _ = answers(Role.analyst)
    hits = _hits(bodies, RESTRICTED + CONFIDENTIAL)
    assert {n for n in RESTRICTED if not hits[n]} == set()
    assert {n: u for n, u in hits.items() if n in CONFIDENTIAL and u} == {}


def test_admin_sees_everything(answers):
    bodies, _ = answers(Role.admin)
    hits = _hits(bodies, RESTRICTED + CONFIDENTIAL)
    assert {n for n, urls in hits.items() if not urls} == set()


# --------------------------------------------------------------------------- exact answers


def test_protected_person_is_unknown_to_a_viewer(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        r = viewer.get("/entities/p-relative-ana")
        assert (r.status_code, r.json()) == (404, {"detail": "no entity with id 'p-relative-ana'"})
        unknown = viewer.get("/entities/p-nobody-at-all")
        assert unknown.status_code == 404 and unknown.json()["detail"] == "no entity with id 'p-nobody-at-all'"
        assert viewer.get("/graph/ego/p-witness-xiomara").status_code == 404
        assert viewer.get("/entities/inc-xiomara-threat").status_code == 404  # a confidential incident: hidden
    with client_as(protected_store, Role.analyst) as analyst:
        assert analyst.get("/entities/p-relative-ana").json()["name"] == "Ana Ficticia Núñez"
        assert analyst.get("/entities/p-witness-xiomara").status_code == 404


def test_search_never_matches_a_protected_name_and_totals_are_the_viewers(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        assert viewer.get("/entities?q=ficticia").json()["total"] == 0
        # the caller's own words come back as typed: masked, they told a viewer that
        # 'ficticia' is a protected person's name (an unknown word came back unchanged)
        assert viewer.get("/entities?q=ficticia").json()["query"] == "ficticia"
        assert viewer.get("/entities?q=zzzunknown").json()["query"] == "zzzunknown"
        assert viewer.get("/entities?q=xiomi").json()["total"] == 0
        nunez = viewer.get("/entities?q=nunez").json()
        # Pedro and his detention; the raid's name names the relative, masked: not a match
        assert (nunez["total"], sorted(h["id"] for h in nunez["items"])) == (2, ["inc-pedro-detention", "p-defender-pedro"])
        raid = viewer.get("/entities?q=raid").json()
        assert raid["total"] == 2 and raid["items"][0]["name"].startswith("Raid on the home of Protected person ")
        # the second raid's id names the relative: shown under an opaque id
        assert raid["items"][1]["name"] == "Second raid on a family home in Villa Nortetest"
        assert re.fullmatch(r"protected-[0-9a-f]{16}", raid["items"][1]["id"])
    with client_as(protected_store, Role.analyst) as analyst:
        assert [h["id"] for h in analyst.get("/entities?q=ficticia").json()["items"]] == ["p-relative-ana", "inc-family-home-raid"]
        assert analyst.get("/entities?q=xiomi").json()["total"] == 0
    with client_as(protected_store, Role.admin) as admin:
        assert sorted(h["id"] for h in admin.get("/entities?q=xiomi").json()["items"]) == ["inc-xiomara-threat",
                                                                                           "p-witness-xiomara"]


def test_counts_include_protected_persons_as_numbers(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        flows = viewer.get("/stats/exile").json()
        host = next(g for g in flows["groups"] if g["key"] == "Hostlandtest")
        assert host["count"] == 3  # Pedro, the relative and the witness
        names = [p["name"] for p in host["persons"]]
        assert names[0].startswith("Protected person ") and names[1:] == ["Pedro Ejemplo Núñez"] or \
            names[1].startswith("Protected person ") and names[0] == "Pedro Ejemplo Núñez"
        # the witness's record is confidential: neither paged nor counted in records_total
        # (the group's count, a statistic, still includes her)
        assert flows["records_total"] == 2 and len(flows["records"]) == 2
        pseudo = next(p for p in host["persons"] if p["name"].startswith("Protected person"))
        assert re.fullmatch(r"protected-[0-9a-f]{16}", pseudo["id"])
        # the same pseudonym and id in the record and in the masked incident name, every time
        again = viewer.get("/stats/exile").json()
        assert next(g for g in again["groups"] if g["key"] == "Hostlandtest")["persons"] == host["persons"]
        raid = viewer.get("/entities/inc-family-home-raid").json()
        assert raid["name"] == f"Raid on the home of {pseudo['name']}"
        gba = viewer.get("/queries/guilt-by-association").json()
        assert (gba["total"], gba["items"]) == (0, [])  # the targeting is restricted: neither shown nor counted
    with client_as(protected_store, Role.analyst) as analyst:
        other = next(g for g in analyst.get("/stats/exile").json()["groups"] if g["key"] == "Hostlandtest")
        ana = [p for p in other["persons"] if p["name"] == "Ana Ficticia Núñez"]
        witness = [p for p in other["persons"] if p["name"].startswith("Protected person")]
        assert ana and witness == []  # the witness's record is confidential: not listed, still counted
        assert other["count"] == 3
        gba = analyst.get("/queries/guilt-by-association").json()
        assert [g["relative"]["name"] for g in gba["items"]] == ["Ana Ficticia Núñez"]


def test_opaque_ids_differ_per_role_and_reveal_nothing(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        v = [p["id"] for g in viewer.get("/stats/exile").json()["groups"] for p in g["persons"] if p["id"].startswith("protected-")]
    with client_as(protected_store, Role.analyst) as analyst:
        chain = analyst.get("/incidents/inc-pedro-detention/responsibility-chain").json()
    # the analyst sees the witness only masked in the quote naming her
    quotes = " ".join(c["quote"] for c in chain["incident"]["citations"])
    assert "Xiomara" not in quotes and "Protected person" in quotes
    assert v and all("ana" not in i and "relative" not in i for i in v)


def test_quotes_naming_a_protected_person_are_masked(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        inc = viewer.get("/entities/inc-pedro-detention").json()
    quote = inc["citations"][0]["quote"]
    assert quote.startswith("Pedro Ejemplo Núñez was detained; Protected person ") and quote.endswith(" saw the arrest.")


def test_disclosure_tells_listeners_which_protected_ids_were_shown(protected_store):
    seen = []

    def listener(viewer, ids):
        seen.append((viewer.role, list(ids)))

    add_listener(listener)
    try:
        with client_as(protected_store, Role.analyst) as analyst:
            analyst.get("/entities/p-relative-ana")
        with client_as(protected_store, Role.viewer) as viewer:
            viewer.get("/entities/p-defender-pedro")
    finally:
        remove_listener(listener)
    assert seen and seen[0][0] == Role.analyst and "p-relative-ana" in seen[0][1]
    assert all(role != Role.viewer for role, _ in seen)  # a viewer is never shown a protected element


def test_analytics_run_on_the_viewers_graph(protected_store):
    with client_as(protected_store, Role.viewer) as viewer:
        scores = viewer.get("/analytics/centrality?subjects=all").json()
        path = viewer.get("/analytics/path/p-defender-pedro/org-prot-unit").json()
    ids = {s["id"] for s in scores["scores"]}
    assert "inc-xiomara-threat" not in ids and "src-prot-interview" not in ids
    assert path["hops"] == 2
    with client_as(protected_store, Role.admin) as admin:
        assert "inc-xiomara-threat" in {s["id"] for s in admin.get("/analytics/centrality?subjects=all").json()["scores"]}


def test_a_victim_targeted_through_a_protected_link_is_not_listed(protected_store):
    def raid_victims(client):
        items = client.get("/queries/officials-cases?official_id=org-prot-unit").json()["items"]
        return [[v["name"] for v in c["victims"]] for c in items if c["incident"]["id"] == "inc-family-home-raid"]

    with client_as(protected_store, Role.viewer) as viewer:
        assert raid_victims(viewer) == [[]]  # the guilt-by-association targeting is restricted
        chain = viewer.get("/incidents/inc-family-home-raid/responsibility-chain").json()
        assert chain["victims"] == [] and chain["incident"]["name"].startswith("Raid on the home of Protected person ")
    with client_as(protected_store, Role.analyst) as analyst:
        assert raid_victims(analyst) == [["Ana Ficticia Núñez"]]


def test_entity_relationship_total_and_pages_are_the_callers(protected_store):
    """``relationships_total`` once counted relationships the exit then hid (an analyst saw
    "3" on Hostlandtest with two exile records listed: the confidential witness's record
    existed); pages were cut before hiding, so a page came back short."""
    with client_as(protected_store, Role.analyst) as analyst:
        host = analyst.get("/entities/country-prot-host").json()
        assert (host["relationships_total"], sorted(r["other"]["id"] for r in host["relationships"])) == \
            (2, ["p-defender-pedro", "p-relative-ana"])
    with client_as(protected_store, Role.viewer) as viewer:
        raid = viewer.get("/entities/inc-family-home-raid").json()
        assert (raid["relationships_total"], [r["type"] for r in raid["relationships"]]) == \
            (2, ["DOCUMENTED_IN", "PERPETRATED_BY"])
        pedro = viewer.get("/entities/p-defender-pedro?limit=1&offset=1").json()
        assert (pedro["relationships_total"], [r["type"] for r in pedro["relationships"]]) == (3, ["MEMBER_OF"])
    with client_as(protected_store, Role.admin) as admin:
        assert admin.get("/entities/country-prot-host").json()["relationships_total"] == 3


def test_list_by_label_is_the_viewers_graph(protected_store):
    """``list_entities`` for a viewer: the confidential incident neither listed nor counted
    (on both backends; the CLI's ``list`` passes the page through disclose)."""
    from repgraph.disclosure import Viewer, disclose
    from repgraph.listing import list_entities

    viewer = Viewer("v", Role.viewer)
    page = disclose(list_entities(protected_store, "Incident", 1, 1, viewer), viewer, protected_store)
    assert (page.total, [i.id for i in page.items]) == (3, ["inc-pedro-detention"])
    analyst = Viewer("a", Role.analyst)
    assert list_entities(protected_store, "Incident", 50, 0, analyst).total == 3
    assert list_entities(protected_store, "Incident", 50, 0).total == 4


def test_a_hidden_id_is_answered_exactly_like_an_unknown_id_on_every_route(protected_store):
    """No existence oracle: every GET route with an id parameter answers a protected or
    hidden id with the status and wording it gives an unknown id. Routes word an unknown
    id by kind ("no person with id ...", "no incident with id ..."); a hidden id once got
    "no entity with id ...", which confirmed that a guessed id (ids are slugs of names)
    belonged to a protected person in the store."""
    hidden = {Role.viewer: ["p-relative-ana", "p-witness-xiomara", "inc-xiomara-threat", "src-prot-interview"],
              Role.analyst: ["p-witness-xiomara", "inc-xiomara-threat", "src-prot-interview"]}
    for role, ids in hidden.items():
        with client_as(protected_store, role) as client:
            spec = client.get("/openapi.json").json()
            tried = set()
            for path, ops in spec["paths"].items():
                params = ops.get("get", {}).get("parameters", [])
                required = {p["name"]: p for p in params if p.get("required") and p["in"] == "query"}
                for p in params:
                    if not (p["name"].endswith("_id") or p["name"] in ("source", "target", "root")):
                        continue
                    for ident in ids:
                        answers = []
                        for given in (ident, "p-nobody-" + ident):
                            url = path
                            for o in params:
                                if o["in"] == "path":
                                    url = url.replace("{" + o["name"] + "}", given if o is p else "p-defender-pedro")
                            query = {"by": "us_ofac", "date": "2024-06-01"}
                            query = {k: v for k, v in query.items() if k in required}
                            if p["in"] == "query":
                                query[p["name"]] = given
                            r = client.get(url, params=query)
                            answers.append((r.status_code, r.text.replace(given, "<id>")))
                        assert answers[0] == answers[1], (role, path, p["name"], ident, answers)
                        assert answers[0][0] == 404, (role, path, p["name"], ident, answers[0])
                        tried.add((path, p["name"]))
            assert {("/persons/{person_id}/dossier", "person_id"), ("/incidents/{incident_id}/responsibility-chain",
                    "incident_id"), ("/queries/evidence-strength", "perpetrator_id"),
                    ("/queries/officials-cases", "official_id")} <= tried


def test_dossier_markdown_and_html_for_a_viewer(protected_store):
    """The md and html dossier once answered a viewer 500 (disclosed without the store)."""
    with client_as(protected_store, Role.viewer) as viewer:
        for fmt in ("md", "html"):
            r = viewer.get(f"/persons/p-agent-fake/dossier?format={fmt}")
            assert r.status_code == 200, (fmt, r.text[:300])
            text = html.unescape(r.text)
            assert re.search(r"Protected person \d+ saw the arrest", text) and "Xiomara" not in text, fmt


#: Every paged answer of the API: (url, items key, total key).
PAGED = [("/queries/guilt-by-association", "items", "total"),
         ("/queries/officials-cases", "items", "total"),
         ("/queries/relatives-and-associates", "items", "total"),
         ("/queries/evidence-strength", "items", "total"),
         ("/stats/exile", "records", "records_total"),
         ("/entities?q=fake", "items", "total"),
         ("/entities/p-agent-fake", "relationships", "relationships_total")]


def test_every_paged_total_is_the_callers(protected_store):
    """``Page.of`` once counted before redaction: a viewer asking /queries/evidence-strength
    was told ``total: 4`` and could page through 3 (the confidential threat's allegation
    existed). Every paged answer, for every role, counts what that role can page through,
    and hidden elements do reach each route (the admin's total is larger)."""
    totals = {}
    for role in (Role.viewer, Role.analyst, Role.admin):
        with client_as(protected_store, role) as client:
            for url, items_key, total_key in PAGED:
                sep = "&" if "?" in url else "?"
                body = client.get(f"{url}{sep}limit=1000").json()
                assert body[total_key] == len(body[items_key]), (role, url, body[total_key], len(body[items_key]))
                paged = []
                for offset in range(body[total_key] + 1):
                    page = client.get(f"{url}{sep}limit=1&offset={offset}").json()
                    assert page[total_key] == body[total_key], (role, url, offset)
                    paged += page[items_key]
                assert paged == body[items_key], (role, url)
                totals[role, url] = body[total_key]
    for url, _, _ in PAGED:
        if url.startswith("/entities?"):
            continue  # no protected name matches "fake": the same for every role
        assert totals[Role.viewer, url] < totals[Role.admin, url], (url, totals[Role.viewer, url], totals[Role.admin, url])
    assert totals[Role.viewer, "/queries/guilt-by-association"] == 0
    assert totals[Role.analyst, "/queries/guilt-by-association"] == 1


#: Public elements whose ids name the restricted relative (Ana Ficticia Núñez).
NAMING_IDS = {"inc-raid-on-ana-ficticia-home": "Second raid on a family home in Villa Nortetest",
              "org-ficticia-family-support": "Family Support Committee (fake)"}


def test_public_ids_naming_a_protected_person_are_opaque_and_navigable(protected_store, tmp_path):
    """Ids are slugs: ``inc-raid-on-ana-ficticia-home`` is public but names the restricted
    relative. A viewer sees such elements under opaque ids (the same for every answer),
    navigates by them, and is answered 404 (audited as a probe) for the real id; an
    analyst, who may see the relative, sees the real ids."""
    from repgraph.access import audit

    from api_access import new_access

    access = new_access(tmp_path)
    with client_for(protected_store, "viewer", access=access) as viewer:
        found = {}
        for q, real in (("committee", "org-ficticia-family-support"), ("nortetest", "inc-raid-on-ana-ficticia-home")):
            items = viewer.get("/entities", params={"q": q}).json()["items"]
            assert [i["name"] for i in items] == [NAMING_IDS[real]]
            found[real] = items[0]["id"]
            assert re.fullmatch(r"protected-[0-9a-f]{16}", found[real]), found[real]
        org, inc = found["org-ficticia-family-support"], found["inc-raid-on-ana-ficticia-home"]
        # navigable: the opaque id is accepted back, and every answer uses the same one
        page = viewer.get(f"/entities/{org}").json()
        assert (page["id"], page["name"]) == (org, NAMING_IDS["org-ficticia-family-support"])
        assert [r["other"]["id"] for r in page["relationships"]] == ["p-defender-pedro"]
        incident = viewer.get(f"/entities/{inc}").json()
        assert incident["id"] == inc and "org-prot-unit" in [r["other"]["id"] for r in incident["relationships"]]
        chain = viewer.get(f"/incidents/{inc}/responsibility-chain")
        assert chain.status_code == 200 and chain.json()["incident"]["id"] == inc
        cases = viewer.get("/queries/officials-cases", params={"official_id": "org-prot-unit"}).json()
        assert inc in [c["incident"]["id"] for c in cases["items"]]
        ego = viewer.get("/graph/ego/p-defender-pedro", params={"depth": 1}).json()
        assert org in {n["id"] for n in ego["nodes"]} and any(e["target"] == org for e in ego["edges"])
        unit = viewer.get("/entities/org-prot-unit").json()
        assert inc in [r["other"]["id"] for r in unit["relationships"]]
        # the real ids: unknown to the viewer (404 worded as for any unknown id), audited
        for real in NAMING_IDS:
            r = viewer.get(f"/entities/{real}")
            assert (r.status_code, r.json()) == (404, {"detail": f"no entity with id {real!r}"})
        assert viewer.get(f"/graph/ego/{inc}").status_code == 200
        # the views and analytics check ids themselves: they accept the opaque id too
        view = viewer.get(f"/viz/ego/{org}")
        assert view.status_code == 200 and "ficticia" not in fold(view.text) and org in view.text
        assert viewer.get("/analytics/centrality", params={"root": inc}).status_code == 200
        assert viewer.get(f"/viz/chain/{inc}").status_code == 200
        body = viewer.get("/entities/org-prot-unit").text + viewer.get("/graph/ego/org-prot-unit?depth=2").text
        assert "ficticia" not in fold(body)
    probes = [e.ids for e in audit.entries(access) if e.action == "denied"]
    assert probes == [["inc-raid-on-ana-ficticia-home"], ["org-ficticia-family-support"]]
    with client_as(protected_store, Role.analyst) as analyst:
        assert [i["id"] for i in analyst.get("/entities", params={"q": "committee"}).json()["items"]] == \
            ["org-ficticia-family-support"]
        assert analyst.get("/entities/inc-raid-on-ana-ficticia-home").json()["name"] == NAMING_IDS["inc-raid-on-ana-ficticia-home"]


#: A string of an answer that is an id with a protected name masked *inside* it as text
#: (``PERPETRATED_BY:inc-raid-on-Protected person 1-home:org-x``) instead of replaced by an
#: opaque id: it tells where a protected person's name stood in an id, and is no usable id.
_HALF_MASKED_ID = re.compile(r"[A-Za-z0-9_.]+[-:][A-Za-z0-9_.:-]*(?:Protected person \d+|\[withheld\])")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_every_id_field_naming_a_protected_person_is_opaque_never_masked_as_text(protected_store):
    """Newcomer run 4: a viewer's responsibility chain (and its view) gave the perpetrator
    link's ``relationship_id`` as ``PERPETRATED_BY:inc-raid-on-Protected person 1-home:...``:
    ``relationship_id`` was masked as text, not as an id. It is now the same opaque id as on
    the incident's entity page (navigable), on both backends, in JSON and in the view."""
    with client_as(protected_store, Role.viewer) as viewer:
        inc = viewer.get("/entities", params={"q": "nortetest"}).json()["items"][0]["id"]
        assert re.fullmatch(r"protected-[0-9a-f]{16}", inc)
        page = viewer.get(f"/entities/{inc}").json()
        rel = next(r["id"] for r in page["relationships"] if r["type"] == "PERPETRATED_BY")
        assert re.fullmatch(r"protected-[0-9a-f]{16}", rel)
        chain = viewer.get(f"/incidents/{inc}/responsibility-chain").json()
        perpetrators = [(link["entity"]["id"], link["relationship_id"]) for link in chain["links"] if link["kind"] == "perpetrator"]
        assert perpetrators == [("org-prot-unit", rel)]
        view = viewer.get(f"/viz/chain/{inc}").text
        assert rel in view and not _HALF_MASKED_ID.search(html.unescape(view))
        bodies = [chain, page, viewer.get("/queries/officials-cases", params={"official_id": "org-prot-unit"}).json(),
                  viewer.get("/stats/exile", params={"by": "period"}).json(), viewer.get(f"/graph/ego/{inc}").json()]
        assert [s for body in bodies for s in _strings(body) if _HALF_MASKED_ID.search(s)] == []
    with client_as(protected_store, Role.analyst) as analyst:  # cleared: the real id
        chain = analyst.get("/incidents/inc-raid-on-ana-ficticia-home/responsibility-chain").json()
        assert [link["relationship_id"] for link in chain["links"] if link["kind"] == "perpetrator"] == \
            ["PERPETRATED_BY:inc-raid-on-ana-ficticia-home:org-prot-unit"]
