"""``/queries/laws`` and ``/queries/operations`` (newcomer run 4: the CLI's ``query laws`` and
``query operations`` had no API counterpart, though the README says ``--as viewer`` shows
what the API gives). Real stores on both backends, real keys; fake names only."""

from __future__ import annotations

import re

import pytest

from repgraph import service as S

from api_access import client_for
from conftest import BACKENDS, case_store

OPAQUE = r"protected-[0-9a-f]{16}"

#: A law and an operation, each with: a public incident, a public incident whose id and
#: name name a restricted relative, and a confidential incident.
CASE = {
    "dataset": {"name": "laws-ops-fake", "title": "Laws and operations (fake names)"},
    "nodes": [
        {"label": "Source", "id": "src-lo-report", "name": "Fake Laws Report", "type": "report", "title": "Fake Laws Report"},
        {"label": "Source", "id": "src-lo-secret", "name": "Secret Fake Interview", "type": "interview",
         "title": "Secret Fake Interview", "confidentiality": "confidential"},
        {"label": "Person", "id": "p-lo-defender", "name": "Pedro Ejemplo Núñez", "roles": ["defender"]},
        {"label": "Person", "id": "p-lo-relative", "name": "Ana Ficticia", "roles": ["family_member"]},
        {"label": "Law", "id": "law-lo-fake", "name": "Fake Anti-Hate Law",
         "citations": [{"source": "src-lo-report", "quote": "The Fake Anti-Hate Law was used against him."}]},
        {"label": "Operation", "id": "op-lo-fake", "name": "Operation Fake Sweep",
         "citations": [{"source": "src-lo-report", "quote": "Operation Fake Sweep targeted activists."}]},
        {"label": "Law", "id": "law-lo-unused", "name": "Fake Unused Law"},
        {"label": "Incident", "id": "inc-lo-detention", "name": "Detention of Pedro Ejemplo Núñez", "type": "arbitrary_detention",
         "date": "2024-07", "citations": [{"source": "src-lo-report", "quote": "He was detained in July 2024."}]},
        {"label": "Incident", "id": "inc-raid-on-ana-ficticia-home", "name": "Raid on the home of Ana Ficticia", "type": "raid",
         "date": "2024-08-03", "citations": [{"source": "src-lo-report", "quote": "They raided Ana Ficticia's home."}]},
        {"label": "Incident", "id": "inc-lo-secret", "name": "A beating told in confidence", "type": "torture",
         "date": "2024-09", "confidentiality": "confidential",
         "citations": [{"source": "src-lo-secret", "quote": "He was beaten in September."}]},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-lo-detention", "to": "p-lo-defender"},
        {"type": "FAMILY_OF", "from": "p-lo-relative", "to": "p-lo-defender", "relation": "sister"},
        *({"type": "APPLIED_LAW", "from": i, "to": "law-lo-fake"}
          for i in ("inc-lo-detention", "inc-raid-on-ana-ficticia-home", "inc-lo-secret")),
        *({"type": "PART_OF", "from": i, "to": "op-lo-fake"}
          for i in ("inc-lo-detention", "inc-raid-on-ana-ficticia-home", "inc-lo-secret")),
    ],
}


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = case_store(CASE, request.param, tmp_path, request)
    yield s
    s.close()


@pytest.mark.parametrize("route, owner", [("/queries/laws", "law-lo-fake"), ("/queries/operations", "op-lo-fake")])
def test_laws_and_operations_over_http_per_role(store, route, owner):
    with client_for(store, "admin") as admin:
        body = admin.get(route).json()
        assert body == [w.model_dump(mode="json") for w in (S.laws(store) if "laws" in route else S.operations(store))]
        item = next(w for w in body if w["id"] == owner)
        # by date: the July detention, the August raid, the September beating; each with its quote
        assert [(i["id"], i["date"]) for i in item["incidents"]] == [
            ("inc-lo-detention", "2024-07"), ("inc-raid-on-ana-ficticia-home", "2024-08-03"), ("inc-lo-secret", "2024-09")]
        assert [c["quote"] for c in item["incidents"][1]["citations"]] == ["They raided Ana Ficticia's home."]
        assert item["citations"][0]["source_title"] == "Fake Laws Report"
        if "laws" in route:
            assert [w["id"] for w in body] == ["law-lo-fake", "law-lo-unused"]  # by name
            assert body[1]["incidents"] == []
    with client_for(store, "viewer") as viewer:
        response = viewer.get(route)
        assert response.status_code == 200
        item = next(w for w in response.json() if w["id"] == owner)
        incidents = item["incidents"]
        # the confidential incident is left out; the raid is shown under an opaque id, the
        # restricted relative's name as a pseudonym
        assert [i["date"] for i in incidents] == ["2024-07", "2024-08-03"]
        assert incidents[0]["id"] == "inc-lo-detention"
        assert re.fullmatch(OPAQUE, incidents[1]["id"])
        assert re.fullmatch(r"Raid on the home of Protected person \d+", incidents[1]["name"])
        assert viewer.get(f"/entities/{incidents[1]['id']}").json()["name"] == incidents[1]["name"]  # navigable
        text = response.text.lower()
        assert "ficticia" not in text and "inc-lo-secret" not in text and "beating" not in text and "secret" not in text
    with client_for(store, "analyst") as analyst:
        item = next(w for w in analyst.get(route).json() if w["id"] == owner)
        assert [i["id"] for i in item["incidents"]] == ["inc-lo-detention", "inc-raid-on-ana-ficticia-home"]
        assert item["incidents"][1]["name"] == "Raid on the home of Ana Ficticia"

