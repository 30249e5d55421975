"""Recorded exculpatory information that a person's dossier left out.

Regressions found by a newcomer pass (a sanctions advocate's dossier of an official):
- a commander's own denial of an incident of the unit they headed (an ``Exculpation``
  that WEAKENS the incident with ``perpetrator:`` the commander) was accepted by ingest
  and then shown nowhere: not beside the allegation by command, not in "5. Exculpatory
  information", not in ``command-responsibility``, and the allegation was not flagged
  ``contested``;
- a denial of the unit's link (``perpetrator:`` the unit) showed beside the allegation by
  command but not in section 5, which listed the same kind of item for direct allegations;
- after a merge, a denial whose ``perpetrator`` names the merged-away id stopped weakening
  the merged person's direct allegation (it was compared with the canonical id).
Real stores on both backends; the CLI and the API render the same model.
"""

from __future__ import annotations

import pytest

from conftest import BACKENDS, case_store, md_section
from repgraph import resolution as R
from repgraph.accountability import command_responsibility
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render

SRC = "src-n7-interview"
CASE = {
    "dataset": {"name": "newc7-exculpatory", "title": "Fake exculpatory cases", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": SRC, "name": "Interview Fake 7", "type": "interview", "title": "Interview Fake 7",
         "publisher": "Fake NGO 7"},
        {"label": "Source", "id": "src-n7-memo", "name": "Memo Fake 7", "type": "interview", "title": "Memo Fake 7",
         "confidentiality": "confidential"},
        {"label": "Person", "id": "p-n7-commander", "name": "Comandante Ejemplo Siete", "roles": ["official"]},
        {"label": "Person", "id": "p-n7-commander-dup", "name": "SIETE, Comandante Ejemplo", "roles": ["official"]},
        {"label": "Person", "id": "p-n7-victim", "name": "Ana Ficticia Siete", "roles": ["defender"]},
        {"label": "Organization", "id": "org-n7-unit", "name": "Unidad Ficticia 7", "kind": "state_security"},
        {"label": "Position", "id": "pos-n7-head", "name": "Commander of Unidad Ficticia 7", "isHead": True},
        {"label": "Incident", "id": "inc-n7-detention", "name": "Detention of Ana Ficticia Siete",
         "type": "arbitrary_detention", "date": "2024-08-03",
         "citations": [{"source": SRC, "quote": "They took her on 3 August."}]},
        {"label": "Incident", "id": "inc-n7-beating", "name": "Beating in custody", "type": "torture",
         "date": "2024-09", "citations": [{"source": SRC, "quote": "He beat the detainee."}]},
        {"label": "Exculpation", "id": "exc-n7-own-denial", "name": "The commander's denial", "kind": "denial",
         "date": "2024-10", "citations": [{"source": SRC, "quote": "The commander denied any part in the detention."}]},
        {"label": "Exculpation", "id": "exc-n7-unit-denial", "name": "The unit's denial", "kind": "denial",
         "date": "2024-11", "citations": [{"source": SRC, "quote": "The unit denied detaining anyone that day."}]},
        {"label": "Exculpation", "id": "exc-n7-secret-alibi", "name": "A confidential alibi", "kind": "other",
         "date": "2024-12", "confidentiality": "confidential",
         "citations": [{"source": "src-n7-memo", "quote": "He was abroad that week."}]},
        {"label": "Exculpation", "id": "exc-n7-dup-denial", "name": "Denial of the beating", "kind": "denial",
         "date": "2025-01", "citations": [{"source": SRC, "quote": "SIETE denied beating anyone."}]},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-n7-detention", "to": "p-n7-victim"},
        {"type": "PERPETRATED_BY", "from": "inc-n7-detention", "to": "org-n7-unit",
         "citations": [{"source": SRC, "quote": "Unidad Ficticia 7 carried out the detention."}]},
        {"type": "PERPETRATED_BY", "from": "inc-n7-beating", "to": "p-n7-commander",
         "citations": [{"source": SRC, "quote": "Comandante Ejemplo Siete beat the detainee himself."}]},
        {"type": "HOLDS", "from": "p-n7-commander", "to": "pos-n7-head", "startDate": "2020", "startQualifier": "at_least",
         "endUnknown": True},
        {"type": "IN", "from": "pos-n7-head", "to": "org-n7-unit"},
        {"type": "WEAKENS", "from": "exc-n7-own-denial", "to": "inc-n7-detention", "perpetrator": "p-n7-commander",
         "citations": [{"source": SRC, "quote": "The commander denied any part in the detention."}]},
        {"type": "WEAKENS", "from": "exc-n7-unit-denial", "to": "inc-n7-detention", "perpetrator": "org-n7-unit",
         "citations": [{"source": SRC, "quote": "The unit denied detaining anyone that day."}]},
        {"type": "WEAKENS", "from": "exc-n7-secret-alibi", "to": "inc-n7-detention", "perpetrator": "p-n7-commander",
         "confidentiality": "confidential", "citations": [{"source": "src-n7-memo", "quote": "He was abroad that week."}]},
        {"type": "WEAKENS", "from": "exc-n7-dup-denial", "to": "inc-n7-beating", "perpetrator": "p-n7-commander-dup",
         "citations": [{"source": SRC, "quote": "SIETE denied beating anyone."}]},
    ],
}


@pytest.fixture(params=BACKENDS)
def n7_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()




def _ids(items) -> list[str]:
    return [e.id for e in items]


def test_a_commanders_own_denial_weakens_the_allegation_by_command(n7_store):
    cr = command_responsibility(n7_store, "p-n7-commander")
    [link] = cr.posts[0].links
    assert link.incident.id == "inc-n7-detention"
    assert _ids(link.evidence.exculpatory) == ["exc-n7-own-denial", "exc-n7-unit-denial", "exc-n7-secret-alibi"]
    assert link.evidence.flags == ["single_source", "contested", "derived"]

    admin = build_dossier(n7_store, "p-n7-commander", "2026-01-01")
    [by_command] = admin.allegations_by_command
    assert _ids(by_command.evidence.exculpatory) == ["exc-n7-own-denial", "exc-n7-unit-denial", "exc-n7-secret-alibi"]
    # section 5 lists each once, with what it weakens named
    assert sorted((e.id, e.weakens.id, e.weakens.name) for e in admin.exculpatory if e.weakens.id == "inc-n7-detention") == [
        ("exc-n7-own-denial", "inc-n7-detention", "Detention of Ana Ficticia Siete"),
        ("exc-n7-secret-alibi", "inc-n7-detention", "Detention of Ana Ficticia Siete"),
        ("exc-n7-unit-denial", "inc-n7-detention", "Detention of Ana Ficticia Siete"),
    ]
    md = render(admin, "md", full_clearance=True)
    section5 = md_section(md, "## 5. Exculpatory information")
    for name in ("The commander's denial", "The unit's denial", "A confidential alibi"):
        assert section5.count(name) == 1, (name, section5)
    assert "contested" in md_section(md, "### 4.2 By command")
    html = render(admin, "html", full_clearance=True)
    assert "The commander&#x27;s denial" in html or "The commander's denial" in html


def test_a_viewer_sees_the_public_denials_and_not_the_confidential_one(n7_store):
    viewer = disclose(build_dossier(n7_store, "p-n7-commander", "2026-01-01"), Viewer("v", Role.viewer), n7_store)
    [by_command] = viewer.allegations_by_command
    assert _ids(by_command.evidence.exculpatory) == ["exc-n7-own-denial", "exc-n7-unit-denial"]
    assert "exc-n7-secret-alibi" not in _ids(viewer.exculpatory)
    for fmt in ("md", "html", "json"):
        text = render(viewer, fmt, full_clearance=False)
        assert "confidential alibi" not in text and "abroad that week" not in text, fmt
        assert "any part in the detention" in text, fmt


def test_a_denial_naming_a_merged_away_id_still_weakens_the_merged_persons_allegation(n7_store):
    R.merge(n7_store, "p-n7-commander", "p-n7-commander-dup", "same person, two spellings", by="tester")
    dossier = build_dossier(n7_store, "p-n7-commander-dup", "2026-01-01")
    assert dossier.person.id == "p-n7-commander"
    [direct] = dossier.allegations_direct
    assert direct.incident.id == "inc-n7-beating"
    assert _ids(direct.evidence.exculpatory) == ["exc-n7-dup-denial"]
    assert "contested" in direct.evidence.flags
    assert "exc-n7-dup-denial" in _ids(dossier.exculpatory)
    # the commander's own denial of the unit's incident holds through the merge too
    assert "exc-n7-own-denial" in _ids(dossier.allegations_by_command[0].evidence.exculpatory)
