"""What a viewer saw of protected links in the accountability answers (dossier, evidence
strength, sanctioned-as-of).

Regressions found by a newcomer pass: those answers read the level of the node (the
Exculpation, the Proceeding, the Sanction) and not of the link tying it to the person or
the incident. So a viewer's dossier showed, with their quotes:
- an exculpation whose WEAKENS link is confidential (what it concerns was told in confidence);
- a confidential proceeding (a sealed investigation: name withheld, but its kind, date,
  the person's role "accused" and every quote shown), and a public proceeding whose
  CONCERNS link to the person is confidential;
- a sanction whose SANCTIONED link is confidential (who the listed person is), in the
  table, in the gap line ("listed, no end recorded: uk") and in ``sanctioned-as-of``.
``repgraph show`` already hid all of them. Real stores on both backends.
"""

from __future__ import annotations

import json

import pytest

from conftest import BACKENDS, case_store
from repgraph.accountability import evidence_strength, sanctioned_as_of
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render

PUB, SECRET = "src-pl-interview", "src-pl-memo"
CASE = {
    "dataset": {"name": "protected-links", "title": "Fake protected links", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": PUB, "name": "Interview Fake PL", "type": "interview", "title": "Interview Fake PL"},
        {"label": "Source", "id": "src-pl-gazette", "name": "Gazette Fake PL", "type": "official_document",
         "title": "Gazette Fake PL"},
        {"label": "Person", "id": "p-pl-colonel", "name": "Coronel Ejemplo Ficticio", "roles": ["official"]},
        {"label": "Incident", "id": "inc-pl-beating", "name": "Beating of a protester", "type": "torture",
         "date": "2024-09", "citations": [{"source": PUB, "quote": "A protester was beaten."}]},
        {"label": "Exculpation", "id": "exc-pl-statement", "name": "Statement of the ministry", "kind": "other",
         "date": "2024-12", "citations": [{"source": PUB, "quote": "The ministry issued a statement."}]},
        {"label": "Proceeding", "id": "proc-pl-sealed", "name": "Sealed investigation of the colonel",
         "kind": "investigation", "date": "2025-01", "confidentiality": "confidential",
         "citations": [{"source": PUB, "quote": "A sealed investigation was opened."}]},
        {"label": "Proceeding", "id": "proc-pl-trial", "name": "Trial in absentia", "kind": "indictment",
         "date": "2025-02", "citations": [{"source": PUB, "quote": "A trial was announced."}]},
        {"label": "Sanction", "id": "sanc-pl-uk", "name": "UK listing of an unnamed colonel", "authority": "uk",
         "listedDate": "2022-05-01", "citations": [{"source": "src-pl-gazette", "quote": "The UK listed a colonel."}]},
        {"label": "Sanction", "id": "sanc-pl-us", "name": "OFAC listing of Coronel Ejemplo Ficticio",
         "authority": "us_ofac", "listedDate": "2019-11-05",
         "citations": [{"source": "src-pl-gazette", "quote": "OFAC designated Coronel Ejemplo Ficticio."}]},
    ],
    "relationships": [
        {"type": "PERPETRATED_BY", "from": "inc-pl-beating", "to": "p-pl-colonel",
         "citations": [{"source": PUB, "quote": "Coronel Ejemplo Ficticio beat the protester."}]},
        {"type": "WEAKENS", "from": "exc-pl-statement", "to": "inc-pl-beating", "perpetrator": "p-pl-colonel",
         "confidentiality": "confidential",
         "citations": [{"source": PUB, "quote": "The statement was about the beating, we were told in confidence."}]},
        {"type": "CONCERNS", "from": "proc-pl-sealed", "to": "p-pl-colonel", "role": "accused",
         "citations": [{"source": PUB, "quote": "The colonel is under sealed investigation."}]},
        {"type": "CONCERNS", "from": "proc-pl-trial", "to": "p-pl-colonel", "role": "accused",
         "confidentiality": "confidential",
         "citations": [{"source": PUB, "quote": "The trial concerns the colonel, we were told in confidence."}]},
        {"type": "SANCTIONED", "from": "sanc-pl-uk", "to": "p-pl-colonel", "confidentiality": "confidential",
         "citations": [{"source": PUB, "quote": "The listed colonel is ours, a source told us in confidence."}]},
        {"type": "SANCTIONED", "from": "sanc-pl-us", "to": "p-pl-colonel"},
    ],
}
#: What a viewer must not read anywhere.
PROTECTED = ("in confidence", "Statement of the ministry", "sealed", "Sealed", "Trial in absentia", "trial was announced",
             "investigation", "UK listing", "The UK listed")


@pytest.fixture(params=BACKENDS)
def pl_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def test_a_viewers_dossier_hides_what_protected_links_tie_to_the_person(pl_store):
    viewer = disclose(build_dossier(pl_store, "p-pl-colonel", "2026-01-01"), Viewer("v", Role.viewer), pl_store)
    assert viewer.proceedings == []
    assert [s.id for s in viewer.sanctions] == ["sanc-pl-us"]
    assert viewer.exculpatory == []
    [direct] = viewer.allegations_direct
    # the item is hidden; its flag stays, as counts do (the allegation is contested: a
    # reader is never told an allegation is stronger than the sources make it)
    assert direct.evidence.exculpatory == [] and "contested" in direct.evidence.flags
    # the gap is worked out from the listings the viewer may see, and says so
    assert (viewer.sanctions_gap.in_force_by, viewer.sanctions_gap.unknown_by) == (["us_ofac"], [])
    assert "uk" in viewer.sanctions_gap.not_by
    for fmt in ("md", "html", "json"):
        text = render(viewer, fmt, full_clearance=False)
        for word in PROTECTED:
            assert word not in text, (fmt, word)
    md = render(viewer, "md", full_clearance=False)
    assert ("listed, no end recorded: us\\_ofac; no listing you may see: eu, uk, canada, un, switzerland.") in md
    json.loads(render(viewer, "json", full_clearance=False))


def test_the_admin_reads_all_of_them(pl_store):
    admin = build_dossier(pl_store, "p-pl-colonel", "2026-01-01")
    assert sorted(p.id for p in admin.proceedings) == ["proc-pl-sealed", "proc-pl-trial"]
    assert {p.id: p.confidentiality for p in admin.proceedings} == {"proc-pl-sealed": "confidential",
                                                                     "proc-pl-trial": "confidential"}
    assert [s.id for s in admin.sanctions] == ["sanc-pl-us", "sanc-pl-uk"]
    assert admin.sanctions_gap.in_force_by == ["us_ofac", "uk"]
    assert [e.id for e in admin.allegations_direct[0].evidence.exculpatory] == ["exc-pl-statement"]
    md = render(admin, "md", full_clearance=True)
    assert "listed, no end recorded: us\\_ofac, uk;" in md
    for quote in ("we were told in confidence", "Sealed investigation of the colonel", "Trial in absentia"):
        assert quote in md, quote


def test_evidence_strength_and_sanctioned_as_of_hide_protected_links_from_a_viewer(pl_store):
    viewer = Viewer("v", Role.viewer)
    [ev] = disclose(evidence_strength(pl_store, perpetrator_id="p-pl-colonel"), viewer, pl_store)
    assert ev.exculpatory == [] and "contested" in ev.flags
    [admin_ev] = evidence_strength(pl_store, perpetrator_id="p-pl-colonel")
    assert [e.id for e in admin_ev.exculpatory] == ["exc-pl-statement"] and "contested" in admin_ev.flags

    assert [e.entity.id for e in sanctioned_as_of(pl_store, "2023-01-01", "uk").items] == ["p-pl-colonel"]
    assert disclose(sanctioned_as_of(pl_store, "2023-01-01", "uk"), viewer, pl_store).items == []
    # a listing the viewer may see stays, with only what they may see of the entity's sanctions
    [entry] = disclose(sanctioned_as_of(pl_store, "2023-01-01"), viewer, pl_store).items
    assert [s.id for s in entry.sanctions] == ["sanc-pl-us"]
