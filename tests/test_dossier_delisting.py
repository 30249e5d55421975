"""A lifted listing is exculpatory information in the dossier, not only a row of its
sanctions table.

Regression: a dossier whose sanctions table showed an EU listing "lifted" (with the
gazette's quote of the delisting) said "None recorded." under "5. Exculpatory
information", unless someone had also typed the delisting in again as an Exculpation
node. The README promises delistings in that section, and an advocate reading it would
not disclose that an authority removed the person from its list. Now every lifted
listing gives a ``delisting`` item (derived, citing the delisting's own source); a
recorded delisting Exculpation of the same listing stands instead of it; an expired
listing (a sunset, not a decision) gives none; a listing a viewer may not see gives a
viewer no item either. Real stores on both backends; Markdown, HTML and JSON are
rendered from the same model.
"""

from __future__ import annotations

import json

import pytest

from conftest import BACKENDS, case_store, md_section
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render

GAZETTE = {"source": "src-dl-gazette", "quote": "Coronel Ejemplo Delistado is listed."}
EU_END = "Coronel Ejemplo Delistado is removed from the list after the fake court ruling."
UN_END = "The fake committee removed Coronel Ejemplo Delistado from its list."
CA_NOTE = "Canada's fake gazette records the removal."

CASE = {
    "dataset": {"name": "delisting-dossier", "title": "Fake delisting cases", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-dl-gazette", "name": "Fake Gazette DL", "type": "official_document",
         "title": "Fake Gazette DL"},
        {"label": "Source", "id": "src-dl-lead", "name": "Fake Lead DL", "type": "interview",
         "title": "Fake Lead DL", "confidentiality": "confidential"},
        {"label": "Person", "id": "p-dl-official", "name": "Coronel Ejemplo Delistado", "roles": ["official"]},
        {"label": "Sanction", "id": "sanc-dl-eu", "name": "EU listing of Coronel Ejemplo Delistado", "authority": "eu",
         "authorityName": "Council of the European Union", "listedDate": "2018-01-22", "endDate": "2021-03",
         "status": "lifted", "reason": "annulled by the fake General Court",
         "citations": [GAZETTE], "endCitations": [{"source": "src-dl-gazette", "quote": EU_END}]},
        {"label": "Sanction", "id": "sanc-dl-uk", "name": "UK listing of Coronel Ejemplo Delistado", "authority": "uk",
         "listedDate": "2019-01-01", "endDate": "2020-12-31", "status": "expired", "citations": [GAZETTE]},
        {"label": "Sanction", "id": "sanc-dl-un", "name": "Secret UN listing lead", "authority": "un",
         "listedDate": "2019-05", "endDate": "2022-02", "status": "lifted", "confidentiality": "confidential",
         "citations": [{"source": "src-dl-lead", "quote": "The fake committee listed him."}],
         "endCitations": [{"source": "src-dl-lead", "quote": UN_END}]},
        {"label": "Sanction", "id": "sanc-dl-ca", "name": "Canadian listing of Coronel Ejemplo Delistado",
         "authority": "canada", "listedDate": "2018-06", "endDate": "2023-01", "status": "lifted",
         "citations": [GAZETTE]},
        {"label": "Exculpation", "id": "exc-dl-ca", "name": "Canada removes Coronel Ejemplo Delistado",
         "kind": "delisting", "date": "2023-01-15",
         "citations": [{"source": "src-dl-gazette", "quote": CA_NOTE}]},
    ],
    "relationships": [
        {"type": "SANCTIONED", "from": f"sanc-dl-{a}", "to": "p-dl-official"} for a in ("eu", "uk", "un", "ca")
    ] + [{"type": "WEAKENS", "from": "exc-dl-ca", "to": "sanc-dl-ca",
           "citations": [{"source": "src-dl-gazette", "quote": CA_NOTE}]}],
}


@pytest.fixture(params=BACKENDS)
def dl_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()




def test_every_lifted_listing_is_exculpatory_information(dl_store):
    d = build_dossier(dl_store, "p-dl-official", "2026-01-01")
    assert [(e.kind, e.weakens.id, e.derived, e.date, e.description, [c.quote for c in e.citations])
            for e in d.exculpatory] == [
        # its reason is why he was listed, never why it was lifted (tests/test_dossier_delisting_roles.py)
        ("delisting", "sanc-dl-eu", True, "2021-03", "Council of the European Union: listing lifted", [EU_END]),
        ("delisting", "sanc-dl-un", True, "2022-02", "un: listing lifted", [UN_END]),
        # the recorded Exculpation stands for Canada's delisting: one item, not two
        ("delisting", "sanc-dl-ca", False, "2023-01-15", None, [CA_NOTE]),
    ]
    # the UK listing expired (no decision to remove him): no exculpatory item
    assert "sanc-dl-uk" not in {e.weakens.id for e in d.exculpatory}
    md = render(d, "md")
    section = md_section(md, "## 5. Exculpatory information")
    assert section.startswith(
        "- **delisting** (2021-03): Council of the European Union: listing lifted — weakens EU listing of Coronel Ejemplo "
        "Delistado \\[derived by repgraph from the listing's recorded status (section 6)\\][^")
    assert "None recorded" not in section
    assert section.count("**delisting**") == 3
    html = render(d, "html")
    assert "Council of the European Union: listing lifted" in html.split("5. Exculpatory information", 1)[1].split("6. Sanctions", 1)[0]
    assert EU_END in html
    js = json.loads(render(d, "json"))
    assert [(e["kind"], e["weakens"]["id"], e["derived"]) for e in js["exculpatory"]] == [
        ("delisting", "sanc-dl-eu", True), ("delisting", "sanc-dl-un", True), ("delisting", "sanc-dl-ca", False)]


def test_a_viewer_sees_no_delisting_of_a_listing_it_may_not_see(dl_store):
    viewer = disclose(build_dossier(dl_store, "p-dl-official", "2026-01-01"), Viewer("v", Role.viewer), dl_store)
    # the public listings' delistings stay; the confidential UN lead's is gone with its listing
    assert [(e.weakens.id, e.derived) for e in viewer.exculpatory] == [("sanc-dl-eu", True), ("sanc-dl-ca", False)]
    assert "sanc-dl-un" not in {s.id for s in viewer.sanctions}
    for fmt in ("md", "html", "json"):
        text = render(viewer, fmt, full_clearance=False)
        assert "Secret UN listing lead" not in text and UN_END not in text, fmt
        assert "Council of the European Union: listing lifted" in text, fmt
