"""Adversarial tests of the dossier's derived delistings and what each role reads of
section 5 and the proceedings (adv7).

Regressions, each shown through the real CLI (a subprocess, the audit log on, as every
user's command runs) over a real store on both backends:

1. A lifted listing the admin or an analyst may see but a viewer may not (restricted or
   confidential) crashed ``repgraph dossier`` for the admin and the analyst: its derived
   delisting has no id, and the audit log was told it had shown the id ``None``
   (``TypeError`` sorting the shown ids). The admin could not print a dossier at all.
2. A derived delisting read the listing's ``reason`` as the reason it was lifted: the
   seed's reasons are why a person was listed ("involvement in torture ..."), so section
   5 offered "involvement in torture" as exculpatory information.
3. A lifted public listing whose recorded delisting Exculpation is above a viewer's
   clearance gave the viewer no delisting at all (the hidden record suppressed the
   derived item): the viewer's sanctions table said "lifted", section 5 "None you may see".
4. A recorded Exculpation or Proceeding tied to the person (WEAKENS, CONCERNS) by a
   relationship above the viewer's level was shown to the viewer with that
   relationship's quotes; a confidential Proceeding was shown with its body, date, role
   and quotes (only its name withheld).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BACKENDS, case_store, md_section

REPO = Path(__file__).resolve().parents[1]

LISTING_REASON = "involvement in torture and other serious human rights violations"
G = {"source": "src-dr-gazette", "quote": "Coronel Ejemplo Revocado is listed."}
SECRET_END = "Informant says the EU lifted it after a fake bribe."
UK_END = "The UK removes Coronel Ejemplo Revocado from its fake list."
CA_END = "Canada removes Coronel Ejemplo Revocado from its fake list."
CA_LINK = "The fake note links the Canadian removal to the colonel."
CH_END = "The fake Swiss removal of a restricted listing."
SECRET_PROC = "A fake secret court indicts the colonel."
PROC_LINK = "The fake public tribunal's secret link to the colonel."

CASE = {
    "dataset": {"name": "delisting-roles", "title": "Fake delistings by role", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-dr-gazette", "name": "Fake Gazette DR", "type": "official_document",
         "title": "Fake Gazette DR"},
        {"label": "Source", "id": "src-dr-secret", "name": "Fake Informant DR", "type": "interview",
         "title": "Fake Informant DR", "confidentiality": "confidential"},
        {"label": "Person", "id": "p-dr-official", "name": "Coronel Ejemplo Revocado", "roles": ["official"]},
        # lifted, the reason is why he was listed; no end date, no endCitations
        {"label": "Sanction", "id": "sanc-dr-us", "name": "US listing DR", "authority": "us_ofac",
         "listedDate": "2018-01-01", "status": "lifted", "reason": LISTING_REASON, "citations": [G]},
        # lifted; the delisting's only source is confidential
        {"label": "Sanction", "id": "sanc-dr-eu", "name": "EU listing DR", "authority": "eu", "listedDate": "2018-01-22",
         "endDate": "2021-03", "status": "lifted", "citations": [G],
         "endCitations": [{"source": "src-dr-secret", "quote": SECRET_END}]},
        # lifted; its recorded delisting is confidential
        {"label": "Sanction", "id": "sanc-dr-uk", "name": "UK listing DR", "authority": "uk", "listedDate": "2019-01-01",
         "endDate": "2022-05", "status": "lifted", "citations": [G],
         "endCitations": [{"source": "src-dr-gazette", "quote": UK_END}]},
        {"label": "Exculpation", "id": "exc-dr-uk", "name": "Secret note on the UK removal", "kind": "delisting",
         "date": "2022-05-02", "confidentiality": "confidential",
         "citations": [{"source": "src-dr-secret", "quote": "The fake secret note."}]},
        # lifted; its recorded delisting is public, its WEAKENS link confidential
        {"label": "Sanction", "id": "sanc-dr-ca", "name": "Canadian listing DR", "authority": "canada",
         "listedDate": "2019-01-01", "endDate": "2022-06", "status": "lifted", "citations": [G],
         "endCitations": [{"source": "src-dr-gazette", "quote": CA_END}]},
        {"label": "Exculpation", "id": "exc-dr-ca", "name": "Canada removal DR", "kind": "delisting", "date": "2022-06-02",
         "citations": [{"source": "src-dr-gazette", "quote": CA_END}]},
        # a restricted lifted listing: the analyst reads it, the viewer does not
        {"label": "Sanction", "id": "sanc-dr-ch", "name": "Swiss listing DR", "authority": "switzerland",
         "listedDate": "2019-01-01", "endDate": "2023-06", "status": "lifted", "confidentiality": "restricted",
         "citations": [G], "endCitations": [{"source": "src-dr-gazette", "quote": CH_END}]},
        # a confidential proceeding, and a public one concerning him by a confidential link
        {"label": "Proceeding", "id": "proc-dr-secret", "name": "Secret fake case DR", "kind": "indictment",
         "date": "2024-01", "body": "Fake Secret Court DR", "confidentiality": "confidential",
         "citations": [{"source": "src-dr-gazette", "quote": SECRET_PROC}]},
        {"label": "Proceeding", "id": "proc-dr-public", "name": "Public fake case DR", "kind": "indictment",
         "date": "2024-02", "body": "Fake Public Tribunal DR",
         "citations": [{"source": "src-dr-gazette", "quote": "The fake public tribunal's case."}]},
    ],
    "relationships": [
        *({"type": "SANCTIONED", "from": f"sanc-dr-{a}", "to": "p-dr-official"} for a in ("us", "eu", "uk", "ca", "ch")),
        {"type": "WEAKENS", "from": "exc-dr-uk", "to": "sanc-dr-uk",
         "citations": [{"source": "src-dr-gazette", "quote": UK_END}]},
        {"type": "WEAKENS", "from": "exc-dr-ca", "to": "sanc-dr-ca", "confidentiality": "confidential",
         "citations": [{"source": "src-dr-gazette", "quote": CA_LINK}]},
        {"type": "CONCERNS", "from": "proc-dr-secret", "to": "p-dr-official", "role": "accused",
         "citations": [{"source": "src-dr-gazette", "quote": SECRET_PROC}]},
        {"type": "CONCERNS", "from": "proc-dr-public", "to": "p-dr-official", "role": "accused",
         "confidentiality": "confidential", "citations": [{"source": "src-dr-gazette", "quote": PROC_LINK}]},
    ],
}


def cli_dossier(store, person_id: str, tmp_path, request):
    """``run(role, fmt) -> str``: ``repgraph --as ROLE dossier PERSON_ID --on 2026-01-01``
    in a new process over ``store`` (either backend), audited to an access file in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(PYTHONPATH=str(REPO / "src"), COLUMNS="250", REPGRAPH_ACCESS_DB=str(tmp_path / "dossier.access.db"))
    where = ["--db", str(store.location)] if store.backend == "embedded" else []
    if store.backend != "embedded":
        s = request.getfixturevalue("neo4j_settings")
        env.update(NEO4J_URI=s["uri"], NEO4J_USER=s["user"], NEO4J_PASSWORD=s["password"] or "",
                   NEO4J_DATABASE=s["database"])

    def run(role: str, fmt: str = "md") -> str:
        proc = subprocess.run([sys.executable, "-m", "repgraph", "--as", role, "dossier", person_id,
                               "--on", "2026-01-01", "--format", fmt, *where],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (role, fmt, proc.stderr[-2000:])
        return proc.stdout

    return run


@pytest.fixture(params=BACKENDS)
def dr(request, tmp_path):
    """:func:`cli_dossier` of p-dr-official over the case's store, both backends."""
    store = case_store(CASE, request.param, tmp_path, request)
    yield cli_dossier(store, "p-dr-official", tmp_path, request)
    store.close()


def _exculpatory(js: str) -> list[tuple]:
    return [(e["kind"], e["weakens"]["id"], e["derived"], e["description"]) for e in json.loads(js)["exculpatory"]]


def test_every_role_gets_a_dossier_with_protected_lifted_listings(dr):
    """1 and 2: the admin and the analyst read the restricted Swiss delisting (the run
    crashed before); no derived delisting repeats the listing's reason."""
    admin = _exculpatory(dr("admin", "json"))
    assert admin == [
        ("delisting", "sanc-dr-us", True, "us_ofac: listing lifted"),  # undated first
        ("delisting", "sanc-dr-eu", True, "eu: listing lifted"),
        ("delisting", "sanc-dr-uk", True, "uk: listing lifted"),  # the public record's own, beside the secret note
        ("delisting", "sanc-dr-uk", False, None),
        ("delisting", "sanc-dr-ca", True, "canada: listing lifted"),  # its record's link is confidential: the same
        ("delisting", "sanc-dr-ca", False, None),
        ("delisting", "sanc-dr-ch", True, "switzerland: listing lifted"),
    ]
    analyst = _exculpatory(dr("analyst", "json"))
    assert [(k, w, d) for k, w, d, _ in analyst] == [
        ("delisting", "sanc-dr-us", True), ("delisting", "sanc-dr-eu", True), ("delisting", "sanc-dr-uk", True),
        ("delisting", "sanc-dr-ca", True), ("delisting", "sanc-dr-ch", True)]
    for role in ("admin", "analyst"):
        md = dr(role, "md")
        section = md_section(md, "## 5. Exculpatory information")
        assert "switzerland: listing lifted — weakens Swiss listing DR" in section, role
        assert LISTING_REASON not in section, role
        # the reason stays where it belongs: the sanctions table
        assert LISTING_REASON in md_section(md, "## 6. Sanctions by authority"), role


def test_a_viewer_reads_every_public_delisting_and_nothing_above_their_level(dr):
    """3 and 4: the viewer reads a delisting for each public lifted listing (UK: its
    recorded note is confidential; Canada: its recorded note is tied to the listing by a
    confidential link, so the viewer gets the derived item and never that link's quote);
    never the confidential proceeding, nor the public one tied by a confidential link."""
    viewer = _exculpatory(dr("viewer", "json"))
    assert viewer == [
        ("delisting", "sanc-dr-us", True, "us_ofac: listing lifted"),
        ("delisting", "sanc-dr-eu", True, "eu: listing lifted"),
        ("delisting", "sanc-dr-uk", True, "uk: listing lifted"),
        ("delisting", "sanc-dr-ca", True, "canada: listing lifted"),
    ]
    for fmt in ("md", "html", "json"):
        text = dr("viewer", fmt)
        for secret in ("Swiss listing DR", CH_END, SECRET_END, "Secret note on the UK removal", CA_LINK,
                       "Canada removal DR", SECRET_PROC, "Fake Secret Court DR", PROC_LINK, "Public fake case DR",
                       "proc-dr-", "exc-dr-"):
            assert secret not in text, (fmt, secret)
        assert UK_END in text and CA_END in text, fmt
    md = dr("viewer", "md")
    assert "Proceedings concerning the person" not in md
    admin = dr("admin", "md")
    proceedings = md_section(admin, "### Proceedings concerning the person")
    assert "Fake Secret Court DR" in proceedings and "Fake Public Tribunal DR" in proceedings


DENIAL_LINK = "The fake informant ties the denial to the raid."
EVIDENCE_CASE = {
    "dataset": {"name": "weakens-link-level", "title": "A recorded denial tied by a confidential link",
                "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-wl-press", "name": "Fake Press WL", "type": "media", "title": "Fake Press WL"},
        {"label": "Person", "id": "p-wl-official", "name": "Mayor Ejemplo Negador", "roles": ["official"]},
        {"label": "Incident", "id": "inc-wl-raid", "name": "Fake raid WL", "type": "raid", "date": "2020-01-05",
         "citations": [{"source": "src-wl-press", "quote": "A fake raid took place."}]},
        {"label": "Exculpation", "id": "exc-wl-denial", "name": "Mayor's fake denial", "kind": "denial",
         "date": "2020-02-01", "citations": [{"source": "src-wl-press", "quote": "The mayor denies the fake raid."}]},
    ],
    "relationships": [
        {"type": "PERPETRATED_BY", "from": "inc-wl-raid", "to": "p-wl-official",
         "citations": [{"source": "src-wl-press", "quote": "Witnesses blame the fake mayor."}]},
        {"type": "WEAKENS", "from": "exc-wl-denial", "to": "inc-wl-raid", "perpetrator": "p-wl-official",
         "confidentiality": "confidential", "citations": [{"source": "src-wl-press", "quote": DENIAL_LINK}]},
    ],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_api_shows_no_exculpation_through_a_link_above_the_callers_level(backend, tmp_path, request):
    """4, at the API: GET /queries/evidence-strength gave a viewer and an analyst the
    recorded denial and the quote of its confidential WEAKENS link; the admin reads both."""
    from api_access import client_for

    store = case_store(EVIDENCE_CASE, backend, tmp_path, request)
    try:
        seen = {}
        for role in ("viewer", "analyst", "admin"):
            r = client_for(store, role).get("/queries/evidence-strength", params={"incident_id": "inc-wl-raid"})
            assert r.status_code == 200, (role, r.text)
            [allegation] = r.json()["items"]
            seen[role] = [(e["id"], [c["quote"] for c in e["citations"]]) for e in allegation["exculpatory"]]
            # the flag stays, as counts do: no reader is told the allegation is uncontested
            # (tests/test_accountability_protected_links.py)
            assert allegation["flags"] == ["single_source", "contested"], role
            if role != "admin":
                assert DENIAL_LINK not in r.text and "exc-wl-denial" not in r.text, role
        assert seen == {"viewer": [], "analyst": [],
                        "admin": [("exc-wl-denial", ["The mayor denies the fake raid.", DENIAL_LINK])]}
    finally:
        store.close()


HOLDS_SECRET = "The fake informant: the general commanded Unidad Ficticia CH from 2015 to 2017."
MINISTER_SECRET = "The fake informant: the minister held the post from 2018."
REPORTS_SECRET = "The fake informant: the chief reported to the secretary."
CHAIN_CASE = {
    "dataset": {"name": "post-link-levels", "title": "Posts and chain links above a viewer's level", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-ch-press", "name": "Fake Press CH", "type": "media", "title": "Fake Press CH"},
        {"label": "Person", "id": "p-ch-gen", "name": "General Ejemplo Cadena", "roles": ["official"]},
        {"label": "Person", "id": "p-ch-minister", "name": "Ministra Ejemplo Cadena", "roles": ["official"]},
        {"label": "Organization", "id": "org-ch-unit", "name": "Unidad Ficticia CH", "kind": "military"},
        {"label": "Organization", "id": "org-ch-army", "name": "Ejercito Ficticio CH", "kind": "military"},
        {"label": "Position", "id": "pos-ch-cmdr", "name": "Commander of Unidad Ficticia CH", "isHead": True},
        {"label": "Position", "id": "pos-ch-chief", "name": "Chief of Ejercito Ficticio CH", "isHead": True},
        {"label": "Position", "id": "pos-ch-minister", "name": "Fake Minister of Defence CH"},
        {"label": "Position", "id": "pos-ch-secretary", "name": "Fake Secretary of Security CH"},
        {"label": "Incident", "id": "inc-ch-raid", "name": "Fake raid CH", "type": "raid", "date": "2021-03-10",
         "citations": [{"source": "src-ch-press", "quote": "A fake raid CH took place."}]},
        {"label": "Incident", "id": "inc-ch-arrest", "name": "Fake arrests CH", "type": "arbitrary_detention",
         "date": "2016-05-01", "citations": [{"source": "src-ch-press", "quote": "Fake arrests CH took place."}]},
    ],
    "relationships": [
        {"type": "IN", "from": "pos-ch-cmdr", "to": "org-ch-unit"},
        {"type": "IN", "from": "pos-ch-chief", "to": "org-ch-army"},
        # the general's command of the unit is known only from a confidential source
        {"type": "HOLDS", "from": "p-ch-gen", "to": "pos-ch-cmdr", "startDate": "2015-01-01", "endDate": "2017-01-01",
         "confidentiality": "confidential", "citations": [{"source": "src-ch-press", "quote": HOLDS_SECRET}]},
        {"type": "HOLDS", "from": "p-ch-gen", "to": "pos-ch-chief", "startDate": "2019-01-01", "endDate": "2023-01-01",
         "citations": [{"source": "src-ch-press", "quote": "The general was the fake army's chief, 2019 to 2023."}]},
        {"type": "REPORTS_TO", "from": "pos-ch-chief", "to": "pos-ch-minister",
         "citations": [{"source": "src-ch-press", "quote": "The chief reports to the fake minister."}]},
        {"type": "HOLDS", "from": "p-ch-minister", "to": "pos-ch-minister", "startDate": "2018-01-01",
         "confidentiality": "confidential", "citations": [{"source": "src-ch-press", "quote": MINISTER_SECRET}]},
        {"type": "REPORTS_TO", "from": "pos-ch-chief", "to": "pos-ch-secretary", "confidentiality": "confidential",
         "citations": [{"source": "src-ch-press", "quote": REPORTS_SECRET}]},
        {"type": "PERPETRATED_BY", "from": "inc-ch-raid", "to": "org-ch-unit",
         "citations": [{"source": "src-ch-press", "quote": "The fake unit CH raided the village."}]},
        {"type": "PERPETRATED_BY", "from": "inc-ch-arrest", "to": "org-ch-unit",
         "citations": [{"source": "src-ch-press", "quote": "The fake unit CH made the arrests."}]},
    ],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_post_or_chain_link_above_the_callers_level_is_not_in_their_dossier(backend, tmp_path, request):
    """5: the level of a HOLDS or REPORTS_TO relationship was ignored by the dossier and
    by command responsibility: a viewer read the general's confidential command of the
    unit (section 2, the figure, and as a derived 'post ended before incident' in section
    5, with the informant's quote), the minister holding the superior post by a
    confidential HOLDS, and a confidential REPORTS_TO superior. Real CLI and real API."""
    from api_access import client_for

    store = case_store(CHAIN_CASE, backend, tmp_path, request)
    dossier = cli_dossier(store, "p-ch-gen", tmp_path, request)

    try:
        def shape(js: str) -> dict:
            d = json.loads(js)
            return {"posts": [p["position"]["id"] for p in d["posts"]],
                    "chain": [(c["unit"]["id"], (c["holder"] or {}).get("id")) for c in d["chain_of_command"]],
                    "exculpatory": [(e["kind"], e["weakens"]["id"]) for e in d["exculpatory"]],
                    "by_command": [a["incident"]["id"] for a in d["allegations_by_command"]],
                    "figure": sorted(n["id"] for n in d["figure"]["nodes"]),
                    "edges": sorted((e["source"], e["target"]) for e in d["figure"]["edges"])}

        assert shape(dossier("admin", "json")) == {
            "posts": ["pos-ch-cmdr", "pos-ch-chief"],
            "chain": [("pos-ch-minister", "p-ch-minister"), ("pos-ch-secretary", None)],
            "exculpatory": [("post_ended_before_incident", "inc-ch-raid")], "by_command": ["inc-ch-arrest"],
            "figure": ["p-ch-gen", "p-ch-minister", "pos-ch-chief", "pos-ch-cmdr", "pos-ch-minister", "pos-ch-secretary"],
            "edges": [("p-ch-gen", "pos-ch-chief"), ("p-ch-gen", "pos-ch-cmdr"), ("p-ch-minister", "pos-ch-minister"),
                      ("pos-ch-chief", "pos-ch-minister"), ("pos-ch-chief", "pos-ch-secretary")]}
        # the viewer: the public post only. The superior entry names its holder by a
        # confidential HOLDS, so the whole entry is withheld (fail closed: the entry's
        # dates and citations are the holder's term); the confidential superior too
        assert shape(dossier("viewer", "json")) == {
            # never accused by command through a post they may not see
            "posts": ["pos-ch-chief"], "chain": [], "exculpatory": [], "by_command": [],
            "figure": ["p-ch-gen", "pos-ch-chief"], "edges": [("p-ch-gen", "pos-ch-chief")]}
        for fmt in ("md", "html", "json"):
            text = dossier("viewer", fmt)
            for secret in (HOLDS_SECRET, MINISTER_SECRET, REPORTS_SECRET, "Commander of Unidad Ficticia CH",
                           "Ministra Ejemplo Cadena", "Fake Secretary of Security CH", "2015-01-01", "2017-01-01",
                           "Fake arrests CH"):
                assert secret not in text, (fmt, secret)
        posts = {}
        for role in ("viewer", "admin"):
            r = client_for(store, role).get("/persons/p-ch-gen/command-responsibility")
            assert r.status_code == 200, r.text
            posts[role] = [(p["position"]["id"], [e["kind"] for e in p["excluded"]]) for p in r.json()["posts"]]
            if role == "viewer":
                assert HOLDS_SECRET not in r.text and "2015-01-01" not in r.text
        assert posts == {"viewer": [("pos-ch-chief", [])],
                         "admin": [("pos-ch-cmdr", ["post_ended_before_incident"]), ("pos-ch-chief", [])]}
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_api_dossier_of_protected_lifted_listings_answers_every_role(backend, tmp_path, request):
    """1 to 4 at GET /persons/{id}/dossier (real app, real keys, the audit log on): the
    admin's and the analyst's dossier answered 500 (the audit told of the id None); the
    viewer reads each public delisting and nothing above their level."""
    from api_access import client_for, new_access

    store = case_store(CASE, backend, tmp_path, request)
    try:
        got = {}
        for role in ("admin", "analyst", "viewer"):
            client = client_for(store, role, access=new_access(tmp_path / role))
            r = client.get("/persons/p-dr-official/dossier", params={"format": "json", "date": "2026-01-01"})
            assert r.status_code == 200, (role, r.text[:500])
            got[role] = [(e["weakens"]["id"], e["derived"]) for e in r.json()["exculpatory"]]
            md = client.get("/persons/p-dr-official/dossier", params={"format": "md", "date": "2026-01-01"})
            assert md.status_code == 200 and LISTING_REASON not in md_section(md.text, "## 5. Exculpatory information")
            if role == "viewer":
                for secret in ("Swiss listing DR", SECRET_END, CA_LINK, SECRET_PROC, PROC_LINK, "exc-dr-", "proc-dr-"):
                    assert secret not in r.text and secret not in md.text, secret
        assert got == {
            "admin": [("sanc-dr-us", True), ("sanc-dr-eu", True), ("sanc-dr-uk", True), ("sanc-dr-uk", False),
                      ("sanc-dr-ca", True), ("sanc-dr-ca", False), ("sanc-dr-ch", True)],
            "analyst": [("sanc-dr-us", True), ("sanc-dr-eu", True), ("sanc-dr-uk", True), ("sanc-dr-ca", True),
                        ("sanc-dr-ch", True)],
            "viewer": [("sanc-dr-us", True), ("sanc-dr-eu", True), ("sanc-dr-uk", True), ("sanc-dr-ca", True)]}
    finally:
        store.close()


LINK_SECRET = "The fake informant: the J. Ejemplo on the US list is the general."
MEMBER_SECRET = "The fake informant: the general is a member of the fake club."
SANCTION_CASE = {
    "dataset": {"name": "sanction-link-levels", "title": "Sanctions and ties above a viewer's level", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-sl-press", "name": "Fake Press SL", "type": "media", "title": "Fake Press SL"},
        {"label": "Person", "id": "p-sl-gen", "name": "General Ejemplo Listado", "roles": ["official"]},
        {"label": "Organization", "id": "org-sl-club", "name": "Club Ficticio SL", "kind": "company"},
        # a confidential EU listing: the viewer's table has no EU row, and neither may the gap
        {"label": "Sanction", "id": "sanc-sl-eu", "name": "Secret EU listing SL", "authority": "eu",
         "listedDate": "2019-01-01", "status": "active", "confidentiality": "confidential",
         "citations": [{"source": "src-sl-press", "quote": "The fake EU lists him (secret)."}]},
        # a public US listing of 'J. Ejemplo', tied to the general only by a confidential identification
        {"label": "Sanction", "id": "sanc-sl-us", "name": "US listing of J. Ejemplo", "authority": "us_ofac",
         "listedDate": "2019-01-01", "status": "active",
         "citations": [{"source": "src-sl-press", "quote": "OFAC lists a fake J. Ejemplo."}]},
        # a public Canadian listing, publicly his
        {"label": "Sanction", "id": "sanc-sl-ca", "name": "Canadian listing SL", "authority": "canada",
         "listedDate": "2019-01-01", "status": "active",
         "citations": [{"source": "src-sl-press", "quote": "Canada lists General Ejemplo Listado."}]},
    ],
    "relationships": [
        {"type": "SANCTIONED", "from": "sanc-sl-eu", "to": "p-sl-gen"},
        {"type": "SANCTIONED", "from": "sanc-sl-us", "to": "p-sl-gen", "confidentiality": "confidential",
         "citations": [{"source": "src-sl-press", "quote": LINK_SECRET}]},
        {"type": "SANCTIONED", "from": "sanc-sl-ca", "to": "p-sl-gen"},
        {"type": "MEMBER_OF", "from": "p-sl-gen", "to": "org-sl-club", "confidentiality": "confidential",
         "citations": [{"source": "src-sl-press", "quote": MEMBER_SECRET}]},
    ],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_viewer_reads_no_sanction_gap_or_tie_resting_on_what_they_may_not_see(backend, tmp_path, request):
    """6: the dossier's gap was computed from every listing, so a viewer read "listed, no
    end recorded: eu" beside a table without the (confidential) EU listing; a public
    listing tied to the person by a confidential SANCTIONED link, and a confidential
    MEMBER_OF, were shown to the viewer with their quotes (also by
    /queries/sanctioned-as-of). Real CLI (md, json) and real API, both backends."""
    from api_access import client_for

    store = case_store(SANCTION_CASE, backend, tmp_path, request)
    dossier = cli_dossier(store, "p-sl-gen", tmp_path, request)

    try:
        def shape(js: str) -> dict:
            d = json.loads(js)
            return {"sanctions": [s["id"] for s in d["sanctions"]], "gap": d["sanctions_gap"]["in_force_by"],
                    "not_by": d["sanctions_gap"]["not_by"], "affiliations": [a["other"]["id"] for a in d["affiliations"]]}

        assert shape(dossier("admin", "json")) == {
            "sanctions": ["sanc-sl-us", "sanc-sl-eu", "sanc-sl-ca"], "gap": ["us_ofac", "eu", "canada"],
            "not_by": ["uk", "un", "switzerland"], "affiliations": ["org-sl-club"]}
        assert shape(dossier("viewer", "json")) == {
            "sanctions": ["sanc-sl-ca"], "gap": ["canada"], "not_by": ["us_ofac", "eu", "uk", "un", "switzerland"],
            "affiliations": []}
        md = dossier("viewer", "md")
        assert "listed, no end recorded: canada;" in md
        for secret in (LINK_SECRET, MEMBER_SECRET, "Club Ficticio SL", "US listing of J. Ejemplo", "OFAC lists"):
            assert secret not in md, secret
        for role, expected in (("viewer", ["sanc-sl-ca"]), ("admin", ["sanc-sl-us", "sanc-sl-eu", "sanc-sl-ca"])):
            r = client_for(store, role).get("/queries/sanctioned-as-of", params={"date": "2026-01-01"})
            assert r.status_code == 200, r.text
            assert [s["id"] for e in r.json()["items"] for s in e["sanctions"]] == expected, role
    finally:
        store.close()
