"""A dossier's empty sections below full clearance, and its sanctions-gap line.

Regressions found by a newcomer pass:
- a viewer's dossier of an official whose only direct allegation is confidential said
  "None recorded." under "4.1 Direct": an advocate would publish that no direct allegation
  is on file. Below full clearance every empty section now says what the reader may see
  ("None you may see."), as the victims line already did;
- the gap line said "no listing recorded: eu" of an official whose EU listing the same
  dossier's sanctions table shows (lifted): a delisting read as "never listed". An
  authority with a listing in the table that is not in force is now named apart.
Real stores on both backends; the CLI renders through the same function.
"""

from __future__ import annotations

import pytest

from conftest import BACKENDS, case_store, md_section
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render

CASE = {
    "dataset": {"name": "newc6-dossier", "title": "Fake dossier cases", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-n6-interview", "name": "Interview Fake 6", "type": "interview",
         "title": "Interview Fake 6", "confidentiality": "confidential"},
        {"label": "Source", "id": "src-n6-gazette", "name": "Fake Gazette 6", "type": "official_document",
         "title": "Fake Gazette 6"},
        {"label": "Person", "id": "p-n6-official", "name": "Comandante Ejemplo Falso", "roles": ["official"]},
        {"label": "Person", "id": "p-n6-witness", "name": "Ana Ficticia Testigo", "roles": ["witness"],
         "confidentiality": "confidential"},
        {"label": "Incident", "id": "inc-n6-threat", "name": "Threat against a witness", "type": "threat",
         "date": "2024-10", "confidentiality": "confidential",
         "citations": [{"source": "src-n6-interview", "quote": "The witness was threatened."}]},
        {"label": "Sanction", "id": "sanc-n6-eu", "name": "EU listing of Comandante Ejemplo Falso", "authority": "eu",
         "listedDate": "2018-01-22", "endDate": "2021-03", "status": "lifted",
         "citations": [{"source": "src-n6-gazette", "quote": "Comandante Ejemplo Falso is listed."}],
         "endCitations": [{"source": "src-n6-gazette", "quote": "Comandante Ejemplo Falso is removed from the list."}]},
        {"label": "Sanction", "id": "sanc-n6-us", "name": "OFAC listing of Comandante Ejemplo Falso",
         "authority": "us_ofac", "listedDate": "2019-11-05",
         "citations": [{"source": "src-n6-gazette", "quote": "OFAC designated Comandante Ejemplo Falso."}]},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-n6-threat", "to": "p-n6-witness", "confidentiality": "confidential"},
        {"type": "PERPETRATED_BY", "from": "inc-n6-threat", "to": "p-n6-official", "role": "direct",
         "confidentiality": "confidential",
         "citations": [{"source": "src-n6-interview", "quote": "Comandante Ejemplo Falso threatened her."}]},
        {"type": "SANCTIONED", "from": "sanc-n6-eu", "to": "p-n6-official"},
        {"type": "SANCTIONED", "from": "sanc-n6-us", "to": "p-n6-official"},
    ],
}


@pytest.fixture(params=BACKENDS)
def n6_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()




def test_a_viewer_dossier_says_none_you_may_see_of_a_hidden_allegation(n6_store):
    viewer = disclose(build_dossier(n6_store, "p-n6-official", "2026-01-01"), Viewer("v", Role.viewer), n6_store)
    assert viewer.allegations_direct == []
    for fmt in ("md", "html"):
        text = render(viewer, fmt, full_clearance=False)
        assert "None recorded" not in text and "Threat against" not in text and "Ana Ficticia" not in text, fmt
    md = render(viewer, "md", full_clearance=False)
    assert md_section(md, "### 4.1 Direct (perpetrated, ordered, took part)") == "None you may see."
    # the EU delisting is public: a viewer reads it (tests/test_dossier_delisting.py)
    assert md_section(md, "## 5. Exculpatory information").startswith(
        "- **delisting** (2021-03): eu: listing lifted — weakens EU listing of Comandante Ejemplo Falso")
    assert md_section(md, "## 2. Posts over time") == "No post you may see."
    # the admin, who sees everything, reads the allegation; an empty section is "None recorded."
    admin = build_dossier(n6_store, "p-n6-official", "2026-01-01")
    md = render(admin, "md", full_clearance=True)
    assert md_section(md, "### 4.1 Direct (perpetrated, ordered, took part)").startswith("**2024-10 — Threat against a witness**")
    assert md_section(md, "## 5. Exculpatory information").count("**delisting**") == 1
    assert md_section(md, "## 2. Posts over time") == "No post is recorded."


def test_the_gap_names_a_lifted_listing_apart_from_no_listing(n6_store):
    dossier = build_dossier(n6_store, "p-n6-official", "2026-01-01")
    assert (dossier.sanctions_gap.in_force_by, sorted(dossier.sanctions_gap.not_by)) == (
        ["us_ofac"], sorted(["eu", "uk", "canada", "un", "switzerland"]))
    for fmt in ("md", "html"):
        text = render(dossier, fmt)
        assert "no listing recorded: eu" not in text, fmt
    md = render(dossier, "md")
    assert ("**Gap as of 2026-01-01:** listed, no end recorded: us\\_ofac; listing recorded, not in force: eu; "
            "no listing recorded: uk, canada, un, switzerland.") in md
    # before the EU listing began, it is recorded and not in force either: still not "no listing"
    early = render(build_dossier(n6_store, "p-n6-official", "2017-06-01"), "md")
    assert "listed, no end recorded: none; listing recorded, not in force: us\\_ofac, eu;" in early or \
        "listed, no end recorded: none; listing recorded, not in force: eu, us\\_ofac;" in early
