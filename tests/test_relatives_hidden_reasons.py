"""Relatives and associates (RCA) count only the reasons the caller may see.

Regression found by a newcomer pass: ``query relatives-and-associates`` (CLI, API, the
dossier's section 7) chose its anchors and their ``why`` from every SANCTIONED,
PERPETRATED_BY and CONCERNS link, whatever its level. A viewer read ``why:
["sanctioned"]`` of a person whose only listing is confidential (or tied to them by a
confidential link), and that person's relatives were listed because of it: the answer
said what the viewer may not know. Now a reason above the caller's level is no reason
for them. Real stores on both backends; the CLI and a real HTTP server answer the same.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import BACKENDS, case_store
from repgraph.accountability import relatives_and_associates
from repgraph.cli import app
from repgraph.disclosure import Role, Viewer, disclose
from repgraph.dossier import build_dossier, render
from test_api_server import live

GAZETTE = "src-rh-gazette"
CITE = [{"source": GAZETTE, "quote": "Stated in the fake gazette."}]


def _family(n: str, of: str) -> list[dict]:
    """A public relative of ``of`` and the public FAMILY_OF link (a public source states it)."""
    return [{"label": "Person", "id": f"p-rh-relative-{n}", "name": f"Pariente Ejemplo {n.capitalize()}",
             "roles": ["family_member"]},
            {"type": "FAMILY_OF", "from": f"p-rh-relative-{n}", "to": of, "relation": "brother",
             "confidentiality": "public", "citations": CITE}]


RELS = [*_family("oculto", "p-rh-hidden"), *_family("enlace", "p-rh-link"), *_family("mixto", "p-rh-mixed")]
CASE = {
    "dataset": {"name": "rca-hidden-reasons", "title": "Fake RCA reasons", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": GAZETTE, "name": "Fake Gazette RH", "type": "official_document", "title": "Fake Gazette RH"},
        {"label": "Person", "id": "p-rh-hidden", "name": "Oficial Ejemplo Oculto", "roles": ["official"]},
        {"label": "Person", "id": "p-rh-link", "name": "Oficial Ejemplo Enlace", "roles": ["official"]},
        {"label": "Person", "id": "p-rh-mixed", "name": "Oficial Ejemplo Mixto", "roles": ["official"]},
        # a confidential lead: a listing not yet public
        {"label": "Sanction", "id": "sanc-rh-secret", "name": "Listing lead RH", "authority": "eu",
         "listedDate": "2024-01-01", "confidentiality": "confidential", "citations": CITE},
        # a public listing whose target was identified in confidence
        {"label": "Sanction", "id": "sanc-rh-public", "name": "UK listing of an unnamed official", "authority": "uk",
         "listedDate": "2023-01-01", "citations": CITE},
        {"label": "Sanction", "id": "sanc-rh-mixed", "name": "Listing lead RH two", "authority": "us_ofac",
         "listedDate": "2024-02-01", "confidentiality": "confidential", "citations": CITE},
        {"label": "Incident", "id": "inc-rh-raid", "name": "Raid of a fake office", "type": "raid", "date": "2024-03",
         "citations": CITE},
        *[x for x in RELS if "label" in x],
    ],
    "relationships": [
        {"type": "SANCTIONED", "from": "sanc-rh-secret", "to": "p-rh-hidden"},
        {"type": "SANCTIONED", "from": "sanc-rh-public", "to": "p-rh-link", "confidentiality": "confidential",
         "citations": CITE},
        {"type": "SANCTIONED", "from": "sanc-rh-mixed", "to": "p-rh-mixed"},
        {"type": "PERPETRATED_BY", "from": "inc-rh-raid", "to": "p-rh-mixed", "citations": CITE},
        *[x for x in RELS if "type" in x],
    ],
}
#: ordered by the anchor's name: Enlace, Mixto, Oculto
ADMIN = [("p-rh-link", ["sanctioned"]), ("p-rh-mixed", ["accused", "sanctioned"]), ("p-rh-hidden", ["sanctioned"])]


@pytest.fixture(params=BACKENDS)
def rh_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def test_a_reason_above_the_callers_level_is_no_reason(rh_store):
    assert [(a.person.id, a.why) for a in relatives_and_associates(rh_store)] == ADMIN
    for role in (Role.viewer, Role.analyst):
        viewer = Viewer("v", role)
        shown = disclose(relatives_and_associates(rh_store, viewer=viewer), viewer, rh_store)
        # only the public accusation of the third official remains: one anchor, one reason
        # (a viewer reads the relative, a family member, under a pseudonym)
        assert [(a.person.id, a.why) for a in shown] == [("p-rh-mixed", ["accused"])]
        assert shown[0].other.name == "Pariente Ejemplo Mixto" if role is Role.analyst \
            else shown[0].other.name.startswith("Protected person ")
        assert relatives_and_associates(rh_store, "p-rh-hidden", viewer) == []
        assert relatives_and_associates(rh_store, "p-rh-link", viewer) == []


def test_a_viewers_dossier_lists_no_relative_for_a_hidden_reason(rh_store):
    viewer = Viewer("v", Role.viewer)
    hidden = disclose(build_dossier(rh_store, "p-rh-hidden", "2026-01-01", viewer), viewer, rh_store)
    assert hidden.relatives_and_associates == []
    md = render(hidden, "md", full_clearance=False)
    assert "Pariente Ejemplo Oculto" not in md
    assert "you may see no sanction or allegation against this person." in md.split("## 7.", 1)[1]
    mixed = disclose(build_dossier(rh_store, "p-rh-mixed", "2026-01-01", viewer), viewer, rh_store)
    assert [a.why for a in mixed.relatives_and_associates] == [["accused"]]
    admin = build_dossier(rh_store, "p-rh-hidden", "2026-01-01")
    assert [(a.other.id, a.why) for a in admin.relatives_and_associates] == [("p-rh-relative-oculto", ["sanctioned"])]


def test_the_api_and_the_cli_answer_the_same(rh_store, tmp_path, request):
    with live(rh_store, "viewer") as client:
        page = client.get("/queries/relatives-and-associates").json()
        assert (page["total"], [(i["person"]["id"], i["why"]) for i in page["items"]]) == (1, [("p-rh-mixed", ["accused"])])
        assert client.get("/queries/relatives-and-associates", params={"person_id": "p-rh-hidden"}).json()["total"] == 0
        dossier = client.get("/persons/p-rh-link/dossier").json()
        assert dossier["relatives_and_associates"] == []
    with live(rh_store, "admin") as client:
        page = client.get("/queries/relatives-and-associates").json()
        assert [(i["person"]["id"], i["why"]) for i in page["items"]] == ADMIN
    if request.node.callspec.params["rh_store"] != "embedded":
        return  # the CLI's store is a file
    db = tmp_path / "rh-cli.db"
    path = tmp_path / "rh.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["--as", "viewer", "query", "relatives-and-associates", "--db", str(db), "-f", "json"])
    assert out.exit_code == 0, out.output
    assert [(i["person"]["id"], i["why"]) for i in json.loads(out.output)] == [("p-rh-mixed", ["accused"])]
    out = runner.invoke(app, ["query", "relatives-and-associates", "--db", str(db), "-f", "json"])
    assert [(i["person"]["id"], i["why"]) for i in json.loads(out.output)] == ADMIN
