"""Issue 8 item 9: every element in every answer carries its confidentiality, and every
element that states something carries its citations. Walks every JSON route of the
OpenAPI spec on the real seed dataset, on both backends, and checks every object."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_access import client_for

PATH_VALUES = {
    "entity_id": ["person-yendri-velasquez", "op-tun-tun", "inc-velasquez-detention-2024-08-03"],
    "incident_id": ["inc-velasquez-detention-2024-08-03"],
    "operation_id": ["op-tun-tun"],
    "law_id": ["law-ngo-oversight"],
    "source": ["person-yendri-velasquez"],
    "target": ["person-luis-peche"],
}
QUERY_VALUES = {"q": "velasquez", "subjects": "all", "depth": "2"}


def _objects(value, where="$"):
    if isinstance(value, dict):
        yield where, value
        for k, v in value.items():
            if k not in ("properties", "values"):  # an element's (or a statement's) property values, not elements
                yield from _objects(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _objects(v, f"{where}[{i}]")


def _problems(body) -> list[str]:
    """Elements without a confidentiality, or stating facts without a citations list."""
    out = []
    for where, obj in _objects(body):
        if "quote" in obj and "source" in obj or "dataset" in obj and "values" in obj:  # a citation, a dataset's statement
            continue
        is_element = "id" in obj and ("name" in obj or "label" in obj or "type" in obj)
        states = is_element and not set(obj) <= {"id", "label", "name", "confidentiality"}  # more than a reference
        if (is_element or "citations" in obj) and not obj.get("confidentiality"):
            out.append(f"{where}: no confidentiality ({sorted(obj)})")
        if (states or "confidentiality" in obj and not set(obj) <= {"id", "label", "name", "confidentiality"}) \
                and not isinstance(obj.get("citations"), list) and "scores" not in obj:
            out.append(f"{where}: no citations ({sorted(obj)})")
    return out


def test_every_element_of_every_route_carries_citations_and_confidentiality(seed_store):
    with client_for(seed_store, "admin") as client:
        spec = client.get("/openapi.json").json()
        checked = set()
        problems = []
        for path, ops in spec["paths"].items():
            if "get" not in ops or path.startswith("/viz") or path == "/health":
                continue
            params = ops["get"].get("parameters", [])
            names = [p["name"] for p in params if p["in"] == "path"]
            if any(p.get("required") and p["in"] == "query" and p["name"] not in QUERY_VALUES for p in params) \
                    or any(n not in PATH_VALUES for n in names) or path == "/audit":
                continue  # routes of other issues with parameters of their own (sanctions, dossiers, audit)
            query = "&".join(f"{p['name']}={QUERY_VALUES[p['name']]}" for p in params
                             if p["in"] == "query" and p["name"] in QUERY_VALUES)
            for i in range(max((len(PATH_VALUES[n]) for n in names), default=1)):
                url = path
                for n in names:
                    url = url.replace("{" + n + "}", PATH_VALUES[n][min(i, len(PATH_VALUES[n]) - 1)])
                r = client.get(url + (f"?{query}" if query else ""))
                assert r.status_code == 200, (url, r.text[:300])
                problems += [f"{url}: {p}" for p in _problems(r.json())]
                checked.add(path)
    assert problems == [], "\n".join(problems[:40])
    assert {"/entities", "/entities/{entity_id}", "/graph/ego/{entity_id}", "/queries/officials-cases",
            "/analytics/centrality", "/analytics/communities", "/analytics/brokers", "/analytics/path/{source}/{target}",
            "/stats/exile", "/incidents/{incident_id}/responsibility-chain"} <= checked


def test_officials_cases_incidents_carry_their_citations(seed_store):
    with client_for(seed_store, "admin") as client:
        items = client.get("/queries/officials-cases").json()["items"]
    assert items and all(c["incident"]["citations"] for c in items)
    assert all(c["incident"]["confidentiality"] == "public" for c in items)


def test_ego_graph_nodes_and_edges_carry_citations(seed_store):
    with client_for(seed_store, "admin") as client:
        sub = client.get("/graph/ego/person-yendri-velasquez").json()
    exile = next(e for e in sub["edges"] if e["type"] == "EXILED_TO")
    assert exile["citations"][0]["quote"].startswith("Velásquez had to flee") and exile["confidentiality"] == "public"
    person = next(n for n in sub["nodes"] if n["id"] == "person-yendri-velasquez")
    assert person["citations"] and person["confidentiality"] == "public"
