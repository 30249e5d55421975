"""The sanctions gap counts only the listings the caller may see.

Regression found by a newcomer pass: ``sanctions-gap`` (CLI, API) worked out who is
"covered" by ``not_by`` from every listing, also those above the caller's level. A
viewer then missed from the gap a person publicly listed by ``by`` whose ``not_by``
listing is confidential (or tied to them by a confidential link), and learnt from the
absence that a hidden listing exists. Now a listing hidden from the caller neither covers
nor lists anyone; the admin's answer is unchanged. Real stores on both backends; a real
HTTP server and the CLI.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import BACKENDS, case_store
from repgraph.accountability import sanctions_gap
from repgraph.cli import app
from repgraph.disclosure import Role, Viewer, disclose
from test_api_server import live

CITE = [{"source": "src-sg-gazette", "quote": "Stated in the fake gazette."}]


def _official(key: str, eu: dict, link: str = "public") -> tuple[list[dict], list[dict]]:
    """An official listed publicly by OFAC and by the EU as ``eu`` says, the EU listing
    tied by a SANCTIONED link of level ``link``."""
    pid = f"p-sg-{key}"
    nodes = [{"label": "Person", "id": pid, "name": f"Oficial Ejemplo {key.capitalize()}", "roles": ["official"]},
             {"label": "Sanction", "id": f"sanc-sg-{key}-us", "name": f"OFAC listing {key}", "authority": "us_ofac",
              "listedDate": "2019-11-05", "citations": CITE},
             {"label": "Sanction", "id": f"sanc-sg-{key}-eu", "name": f"EU listing {key}", "authority": "eu",
              "citations": CITE, **eu}]
    rels = [{"type": "SANCTIONED", "from": f"sanc-sg-{key}-us", "to": pid},
            {"type": "SANCTIONED", "from": f"sanc-sg-{key}-eu", "to": pid, "confidentiality": link, "citations": CITE}]
    return nodes, rels


PARTS = [
    _official("abierto", {"listedDate": "2020-01-01"}),  # public on both: in no one's gap
    _official("brecha", {"listedDate": "2020-01-01", "confidentiality": "confidential"}),  # a confidential EU lead
    _official("vinculo", {"listedDate": "2020-01-01"}, link="confidential"),  # identified in confidence
    _official("duda", {"confidentiality": "confidential"}),  # a confidential EU lead without a date
]
CASE = {
    "dataset": {"name": "gap-hidden", "title": "Fake gap listings", "synthetic": True},
    "nodes": [{"label": "Source", "id": "src-sg-gazette", "name": "Fake Gazette SG", "type": "official_document",
               "title": "Fake Gazette SG"}, *(n for nodes, _ in PARTS for n in nodes)],
    "relationships": [r for _, rels in PARTS for r in rels],
}


@pytest.fixture(params=BACKENDS)
def sg_store(request, tmp_path):
    store = case_store(CASE, request.param, tmp_path, request)
    yield store
    store.close()


def _ids(entries) -> list[str]:
    return [e.entity.id for e in entries]


def test_a_listing_the_caller_may_not_see_covers_no_one(sg_store):
    admin = sanctions_gap(sg_store, "us_ofac", "eu", "2026-01-01")
    assert (_ids(admin.items), _ids(admin.unknown)) == ([], ["p-sg-duda"])
    for role in (Role.viewer, Role.analyst):
        viewer = Viewer("v", role)
        gap = disclose(sanctions_gap(sg_store, "us_ofac", "eu", "2026-01-01", viewer), viewer, sg_store)
        assert (_ids(gap.items), _ids(gap.unknown)) == (["p-sg-brecha", "p-sg-duda", "p-sg-vinculo"], [])
        assert [s.id for e in gap.items for s in e.sanctions] == ["sanc-sg-brecha-us", "sanc-sg-duda-us", "sanc-sg-vinculo-us"]


def test_the_api_and_the_cli_answer_the_same(sg_store, tmp_path, request):
    params = {"by": "us_ofac", "not_by": "eu", "date": "2026-01-01"}
    with live(sg_store, "viewer") as client:
        gap = client.get("/queries/sanctions-gap", params=params).json()
        assert ([e["entity"]["id"] for e in gap["items"]], gap["unknown"]) == (["p-sg-brecha", "p-sg-duda", "p-sg-vinculo"], [])
        assert "EU listing" not in json.dumps(gap)
    with live(sg_store, "admin") as client:
        gap = client.get("/queries/sanctions-gap", params=params).json()
        assert (gap["items"], [e["entity"]["id"] for e in gap["unknown"]]) == ([], ["p-sg-duda"])
    if request.node.callspec.params["sg_store"] != "embedded":
        return  # the CLI's store is a file
    db, path = tmp_path / "sg.db", tmp_path / "sg.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    query = ["query", "sanctions-gap", "-p", "by=us_ofac", "-p", "not_by=eu", "-p", "date=2026-01-01", "--db", str(db), "-f", "json"]
    out = runner.invoke(app, ["--as", "viewer", *query])
    assert out.exit_code == 0, out.output
    assert [e["entity"]["id"] for e in json.loads(out.output)["items"]] == ["p-sg-brecha", "p-sg-duda", "p-sg-vinculo"]
    out = runner.invoke(app, query)
    assert [e["entity"]["id"] for e in json.loads(out.output)["unknown"]] == ["p-sg-duda"]
