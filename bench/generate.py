"""A seedable generator of synthetic repression networks (obviously fake names).

``generate(persons, seed)`` returns case files as plain dicts in dependency order: the
first holds the reference entities (sources, countries, places, laws, operations,
organizations with nested chains of command that change over time, positions, statistics);
each following one a slice of persons with their families, posts, memberships, exile
records and the incidents against them, relationships referring only to the same file or
an earlier one. Every ``dataset`` says ``synthetic: true``; every name carries "Fake",
"Test" or an invented syllable word, so the data can never pass for the real dataset.

About 3-5 relationships per person (including the DOCUMENTED_IN the ingest derives from
incident citations). ``python -m bench.generate --persons 1000 --out DIR`` writes JSON.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from repgraph.ontology import IncidentType, OrganizationKind

SYLLABLES = ["ka", "zu", "mo", "ri", "te", "ba", "lo", "vi", "ne", "shi", "gor", "pel", "dax", "quo", "fen", "yul"]
INCIDENT_TYPES = [t.value for t in IncidentType]
DEFENDER_ROLES = ["defender", "journalist", "lawyer", "trade_unionist", "activist"]
RELATIONS = ["mother", "father", "brother", "sister", "son", "daughter", "spouse"]
ROUTES = ["air", "irregular crossing", "land border", "sea"]
HOSTS = ["Hostia", "Refugia", "Asylonia", "Exilandia", "Safeharbor", "Newhomia", "Distantia", "Borderia"]
PERSONS_PER_FILE = 5000


def fake_word(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def fake_name(rng: random.Random, i: int, kind: str) -> str:
    # "Test"/"Fake" prefixes keep every name obviously invented.
    return f"{fake_word(rng, 2)} Test{kind}{fake_word(rng, 2).lower()} {i}"


def _date(rng: random.Random, y0: int = 2016, y1: int = 2025, precision: str | None = None) -> str:
    y = rng.randint(y0, y1)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    p = precision or rng.choices(["day", "month", "year"], [6, 3, 1])[0]
    return {"day": f"{y}-{m:02d}-{d:02d}", "month": f"{y}-{m:02d}", "year": f"{y}"}[p]


def _cite(rng: random.Random, sources: list[str], what: str) -> list[dict[str, Any]]:
    c = {"source": rng.choice(sources), "quote": f"Fake quote: {what}."}
    if rng.random() < 0.5:
        c["page"] = str(rng.randint(1, 300))
    return [c]


def generate(persons: int, seed: int = 42) -> list[dict[str, Any]]:
    """Case files (dicts, CaseFile-shaped) for a network of about ``persons`` persons."""
    rng = random.Random(seed)
    ds = lambda part: {"name": f"bench-synthetic-{persons}-{part}", "title": f"Synthetic benchmark network, {persons} persons, part {part} (fake names)", "synthetic": True}  # noqa: E731

    # ------------------------------------------------------------------ reference entities
    nodes: list[dict] = []
    rels: list[dict] = []
    sources = [f"src-fake-{i}" for i in range(max(5, persons // 200))]
    for i, s in enumerate(sources):
        nodes.append({"label": "Source", "id": s, "name": f"Fake Report {i}", "type": rng.choice(["report", "interview", "media"]),
                      "title": f"Fake Report {i} on Testland", "publisher": "Fake Monitor", "date": _date(rng, 2018, 2025)})
    nodes.append({"label": "Country", "id": "country-fakeland", "name": "Fakeland", "code": "XF"})
    countries = []
    for i, h in enumerate(HOSTS):
        cid = f"country-{h.lower()}"
        countries.append(cid)
        nodes.append({"label": "Country", "id": cid, "name": h, "code": f"Q{chr(65 + i)}"})
    places = []
    for i in range(20):
        pid = f"place-fake-border-{i}"
        places.append(pid)
        nodes.append({"label": "Place", "id": pid, "name": f"Fake Border Town {fake_word(rng)}", "type": "border area"})
        rels.append({"type": "LOCATED_IN", "from": pid, "to": rng.choice(countries)})
    laws = [f"law-fake-{i}" for i in range(max(10, persons // 500))]
    for i, law in enumerate(laws):
        nodes.append({"label": "Law", "id": law, "name": f"Fake Law {i} on {fake_word(rng)}", "enacted": _date(rng, 2005, 2020, "year")})
    operations = [f"op-fake-{i}" for i in range(max(5, persons // 200))]
    for i, op in enumerate(operations):
        start = _date(rng, 2016, 2024, "month")
        nodes.append({"label": "Operation", "id": op, "name": f"Operation Fake-{fake_word(rng)} {i}", "startDate": start})

    # Organizations: ministries at the top, agencies under them, units under agencies,
    # squads under units (4 levels). Units change agency in 2021 (a dated re-organisation).
    n_orgs = max(12, persons // 50)
    levels = [max(2, n_orgs // 20), max(3, n_orgs // 8), max(4, n_orgs // 3)]
    levels.append(max(3, n_orgs - sum(levels)))
    org_levels: list[list[str]] = []
    kinds = [OrganizationKind.ministry.value, OrganizationKind.state_security.value, OrganizationKind.police.value, OrganizationKind.military.value]
    head_pos: dict[str, str] = {}
    agent_pos: dict[str, list[str]] = {}
    for depth, count in enumerate(levels):
        ids = []
        for i in range(count):
            oid = f"org-fake-l{depth}-{i}"
            ids.append(oid)
            nodes.append({"label": "Organization", "id": oid, "name": f"Fake {['Ministry', 'Agency', 'Unit', 'Squad'][depth]} of {fake_word(rng)} {i}",
                          "kind": kinds[depth] if depth < 2 else rng.choice(kinds[1:]), "country": "XF"})
            hp = f"pos-fake-head-{oid}"
            head_pos[oid] = hp
            nodes.append({"label": "Position", "id": hp, "name": f"Head of {oid}", "isHead": True})
            rels.append({"type": "IN", "from": hp, "to": oid})
            agent_pos[oid] = []
            for k in range(1 if depth < 2 else 2):
                ap = f"pos-fake-agent-{oid}-{k}"
                agent_pos[oid].append(ap)
                nodes.append({"label": "Position", "id": ap, "name": f"Agent {k} of {oid}"})
                rels.append({"type": "IN", "from": ap, "to": oid})
                rels.append({"type": "REPORTS_TO", "from": ap, "to": hp, "startDate": "2010"})
            if depth:
                parents = org_levels[depth - 1]
                first = rng.choice(parents)
                if depth == 2 and rng.random() < 0.5:
                    second = rng.choice([x for x in parents if x != first] or parents)
                    rels.append({"type": "REPORTS_TO", "id": f"REPORTS_TO:{oid}:{first}:2010", "from": oid, "to": first, "startDate": "2010", "endDate": "2020-12"})
                    rels.append({"type": "REPORTS_TO", "id": f"REPORTS_TO:{oid}:{second}:2021", "from": oid, "to": second, "startDate": "2021-01"})
                    rels.append({"type": "REPORTS_TO", "id": f"REPORTS_TO:{hp}:{head_pos[first]}:2010", "from": hp, "to": head_pos[first], "startDate": "2010", "endDate": "2020-12"})
                    rels.append({"type": "REPORTS_TO", "id": f"REPORTS_TO:{hp}:{head_pos[second]}:2021", "from": hp, "to": head_pos[second], "startDate": "2021-01"})
                else:
                    rels.append({"type": "REPORTS_TO", "from": oid, "to": first, "startDate": "2010"})
                    rels.append({"type": "REPORTS_TO", "from": hp, "to": head_pos[first], "startDate": "2010"})
        org_levels.append(ids)
    all_orgs = [o for lvl in org_levels for o in lvl]
    state_orgs = [o for lvl in org_levels[1:] for o in lvl]
    ngos = [f"org-fake-ngo-{i}" for i in range(max(3, persons // 300))]
    for i, o in enumerate(ngos):
        nodes.append({"label": "Organization", "id": o, "name": f"Fake Rights Group {fake_word(rng)} {i}", "kind": "ngo"})
    for i in range(6):
        y = 2019 + i
        nodes.append({"label": "Statistic", "id": f"stat-fake-{y}", "name": f"Fake defenders exiled in {y}",
                      "measure": "defenders forced to migrate", "value": rng.randint(10, 500),
                      "periodStart": f"{y}-01", "periodEnd": f"{y}-12", "citations": _cite(rng, sources, f"exiles in {y}")})
    files = [{"dataset": ds(0), "nodes": nodes, "relationships": rels}]

    # Head positions get successive holders over time: filled from the officials below.
    head_slots = [(o, head_pos[o]) for o in all_orgs]
    rng.shuffle(head_slots)

    # ------------------------------------------------------------------ persons, by slices
    pid = 0
    inc = 0
    part = 0
    while pid < persons:
        part += 1
        nodes, rels = [], []
        upto = min(persons, pid + PERSONS_PER_FILE)
        officials_here: list[str] = []
        targets_here: list[tuple[str, str | None]] = []  # (victim, defender it is because of)
        while pid < upto:
            r = rng.random()
            if r < 0.45:  # a defender with a family
                d = f"p-fake-{pid}"
                pid += 1
                role = rng.choice(DEFENDER_ROLES)
                roles = [role] + ([rng.choice(DEFENDER_ROLES)] if rng.random() < 0.2 else [])
                nodes.append({"label": "Person", "id": d, "name": fake_name(rng, pid, "defender"), "roles": sorted(set(roles)),
                              **({"aliases": [fake_word(rng)]} if rng.random() < 0.2 else {})})
                targets_here.append((d, None))
                if rng.random() < 0.6:
                    rels.append({"type": "MEMBER_OF", "from": d, "to": rng.choice(ngos), "role": rng.choice(["member", "director", "spokesperson"])})
                if rng.random() < 0.2:
                    rels.append({"type": "EXILED_TO", "from": d, "to": rng.choice(countries), "date": _date(rng, 2018, 2025),
                                 "route": rng.choice(ROUTES), **({"via": rng.choice(places)} if rng.random() < 0.3 else {}),
                                 "citations": _cite(rng, sources, "crossed the border")})
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    if pid >= upto:
                        break
                    f = f"p-fake-{pid}"
                    pid += 1
                    nodes.append({"label": "Person", "id": f, "name": fake_name(rng, pid, "relative"), "roles": ["family_member"]})
                    rels.append({"type": "FAMILY_OF", "from": f, "to": d, "relation": rng.choice(RELATIONS)})
                    if rng.random() < 0.4:
                        targets_here.append((f, d))
                    if rng.random() < 0.1:
                        rels.append({"type": "EXILED_TO", "from": f, "to": rng.choice(countries), "date": _date(rng, 2018, 2025)})
            elif r < 0.8:  # an official with posts over time
                o = f"p-fake-{pid}"
                pid += 1
                nodes.append({"label": "Person", "id": o, "name": fake_name(rng, pid, "official"), "roles": ["official"]})
                officials_here.append(o)
                if head_slots and rng.random() < 0.2:
                    org, hp = head_slots.pop()
                    if hp.endswith("#2"):  # the successor
                        rels.append({"type": "HOLDS", "from": o, "to": hp[:-2], "startDate": "2020-07"})
                    else:  # the first head; the successor's slot joins the pool
                        rels.append({"type": "HOLDS", "from": o, "to": hp, "startDate": "2012", "endDate": "2020-06"})
                        head_slots.insert(0, (org, hp + "#2"))
                else:
                    org = rng.choice(state_orgs)
                    start = _date(rng, 2010, 2022, "year")
                    rels.append({"type": "HOLDS", "from": o, "to": rng.choice(agent_pos[org]), "startDate": start})
            else:  # a witness
                w = f"p-fake-{pid}"
                pid += 1
                nodes.append({"label": "Person", "id": w, "name": fake_name(rng, pid, "witness"), "roles": ["witness"]})
        # incidents against this slice's victims, by this slice's officials and the state's organizations
        for victim, because in targets_here:
            for _ in range(rng.choice([1, 1, 2])):
                iid = f"inc-fake-{inc}"
                inc += 1
                itype = INCIDENT_TYPES[inc % len(INCIDENT_TYPES)]  # every type occurs
                date = _date(rng)
                node = {"label": "Incident", "id": iid, "name": f"Fake {itype.replace('_', ' ')} {inc}", "type": itype, "date": date,
                        "citations": _cite(rng, sources, f"incident {inc}")}
                nodes.append(node)
                t = {"type": "TARGETED", "from": iid, "to": victim}
                if because:
                    t.update(basis="guilt_by_association", becauseOf=because)
                rels.append(t)
                if officials_here and rng.random() < 0.6:
                    rels.append({"type": "PERPETRATED_BY", "from": iid, "to": rng.choice(officials_here),
                                 "role": rng.choice(["direct", "ordered", "participated"]),
                                 "citations": _cite(rng, sources, "who did it")})
                else:
                    rels.append({"type": "PERPETRATED_BY", "from": iid, "to": rng.choice(state_orgs), "role": "direct",
                                 "citations": _cite(rng, sources, "which unit did it")})
                if rng.random() < 0.3:
                    rels.append({"type": "APPLIED_LAW", "from": iid, "to": rng.choice(laws)})
                if rng.random() < 0.3:
                    rels.append({"type": "PART_OF", "from": iid, "to": rng.choice(operations)})
                if rng.random() < 0.5:
                    rels.append({"type": "OCCURRED_IN", "from": iid, "to": "country-fakeland"})
        files.append({"dataset": ds(part), "nodes": nodes, "relationships": rels})
    return files


def write(files: list[dict], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, f in enumerate(files):
        p = out / f"part-{i:03d}.json"
        p.write_text(json.dumps(f, ensure_ascii=False))
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    for p in write(generate(a.persons, a.seed), a.out):
        print(p)


if __name__ == "__main__":
    main()
