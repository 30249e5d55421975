"""Shared helpers of the view tests (no tests here): the hostile-names case file and the
elements each view of the synthetic network must hold, worked out by hand from
tests/fixtures/synthetic.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.store.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic.yaml"

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
ACCENTED_NAME = "José \"Pepe\" Núñez & <b>Hijos</b> O'Brien"
HOSTILE_ORG = "</script><script>alert(3)</script>"
HOSTILE_QUOTE = "<script>alert(5)</script> & “quoted” 'text'"

HOSTILE_CASE = {
    "dataset": {"name": "synthetic-hostile", "title": "Synthetic hostile names (fake)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-hostile", "name": "Report </script><b>x</b>", "type": "report",
         "title": "Report </script><b>x</b> & co"},
        {"label": "Person", "id": "p-hostile", "name": HOSTILE_NAME, "roles": ["defender"], "aliases": ["Zoë"]},
        {"label": "Person", "id": "p-accents", "name": ACCENTED_NAME, "roles": ["journalist"]},
        {"label": "Organization", "id": "org-hostile", "name": HOSTILE_ORG, "kind": "police"},
        {"label": "Operation", "id": "op-hostile", "name": "Operation <Ñandú> & co"},
        {"label": "Law", "id": "law-hostile", "name": "Ley <b>X</b> “de control”"},
        {"label": "Country", "id": "country-hostile-host", "name": "Hóst <Country>"},
        {"label": "Incident", "id": "inc-hostile", "name": "Raid on <img src=x onerror=alert(4)>", "type": "raid",
         "date": "2024-05-02", "citations": [{"source": "src-hostile", "quote": HOSTILE_QUOTE, "page": "<b>3</b>"}]},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-hostile", "to": "p-hostile"},
        {"type": "PERPETRATED_BY", "from": "inc-hostile", "to": "org-hostile",
         "citations": [{"source": "src-hostile", "quote": HOSTILE_QUOTE}]},
        {"type": "FAMILY_OF", "from": "p-accents", "to": "p-hostile", "relation": "<i>cousin</i>"},
        {"type": "PART_OF", "from": "inc-hostile", "to": "op-hostile"},
        {"type": "APPLIED_LAW", "from": "inc-hostile", "to": "law-hostile"},
        {"type": "EXILED_TO", "from": "p-hostile", "to": "country-hostile-host", "date": "2024-06",
         "route": "<svg onload=alert(6)>", "citations": [{"source": "src-hostile", "quote": HOSTILE_QUOTE}]},
        {"type": "MEMBER_OF", "from": "p-hostile", "to": "org-fake-ngo"},
    ],
}


def hostile_store(folder: Path) -> EmbeddedStore:
    """An embedded store holding the synthetic network plus the hostile names."""
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(HOSTILE_CASE, allow_unicode=True), encoding="utf-8")
    store = EmbeddedStore(folder / "hostile.db")
    store.apply_schema(schema_statements())
    ingest_case_file(store, SYNTHETIC)
    ingest_case_file(store, path)
    return store


#: (kind, builder arguments) -> (node ids, (source, type, target) links) on the synthetic network.
EXPECTED: dict[str, tuple[set[str], set[tuple[str, str, str]]]] = {
    "ego": (
        {"p-defender-alpha", "inc-alpha-detention", "p-mother-alpha", "p-brother-alpha", "org-fake-ngo", "country-hostia"},
        {("inc-alpha-detention", "TARGETED", "p-defender-alpha"), ("p-mother-alpha", "FAMILY_OF", "p-defender-alpha"),
         ("p-brother-alpha", "FAMILY_OF", "p-defender-alpha"), ("p-defender-alpha", "MEMBER_OF", "org-fake-ngo"),
         ("p-defender-alpha", "EXILED_TO", "country-hostia"),
         # between two nodes of the outermost ring: drawn too (issue 8, item 6)
         ("p-mother-alpha", "EXILED_TO", "country-hostia")},
    ),
    "chain": (
        {"inc-alpha-detention", "p-defender-alpha", "p-agent-gamma", "org-fake-police", "pos-fpp-agent",
         "pos-fpp-director", "p-chief-delta", "pos-minister", "p-minister-eps", "org-fake-ministry"},
        {("inc-alpha-detention", "TARGETED", "p-defender-alpha"),
         ("inc-alpha-detention", "PERPETRATED_BY", "p-agent-gamma"),
         ("inc-alpha-detention", "PERPETRATED_BY", "org-fake-police"),
         ("p-agent-gamma", "HOLDS", "pos-fpp-agent"),
         ("pos-fpp-agent", "REPORTS_TO", "pos-fpp-director"),
         ("pos-fpp-director", "REPORTS_TO", "pos-minister"),
         ("org-fake-police", "REPORTS_TO", "org-fake-ministry"),
         ("p-chief-delta", "HOLDS", "pos-fpp-director"),  # from 2024-07: the old chief left in 2024-06
         ("p-minister-eps", "HOLDS", "pos-minister"),
         ("p-chief-delta", "COMMANDS", "org-fake-police"),
         ("p-minister-eps", "COMMANDS", "org-fake-ministry")},
    ),
    "operation": (
        {"op-fake-knock", "inc-alpha-detention", "inc-mother-raid", "p-defender-alpha", "p-mother-alpha",
         "p-agent-gamma", "org-fake-police"},
        {("inc-alpha-detention", "PART_OF", "op-fake-knock"), ("inc-mother-raid", "PART_OF", "op-fake-knock"),
         ("inc-alpha-detention", "TARGETED", "p-defender-alpha"), ("inc-mother-raid", "TARGETED", "p-mother-alpha"),
         ("inc-alpha-detention", "PERPETRATED_BY", "p-agent-gamma"),
         ("inc-alpha-detention", "PERPETRATED_BY", "org-fake-police"),
         ("inc-mother-raid", "PERPETRATED_BY", "p-agent-gamma")},
    ),
    "law": (
        {"law-fake-ngo", "inc-alpha-detention", "p-defender-alpha", "p-agent-gamma", "org-fake-police"},
        {("inc-alpha-detention", "APPLIED_LAW", "law-fake-ngo"), ("inc-alpha-detention", "TARGETED", "p-defender-alpha"),
         ("inc-alpha-detention", "PERPETRATED_BY", "p-agent-gamma"),
         ("inc-alpha-detention", "PERPETRATED_BY", "org-fake-police")},
    ),
    "exile": (  # the mother is not a defender: her exile record is not in this view
        {"p-defender-alpha", "p-defender-beta", "country-hostia", "country-refugia", "place-border-town"},
        {("p-defender-alpha", "EXILED_TO", "country-hostia"), ("p-defender-beta", "EXILED_TO", "country-refugia"),
         ("p-defender-alpha", "VIA", "place-border-town")},
    ),
    "path": (
        {"p-defender-beta", "inc-beta-threat", "org-fake-police", "inc-alpha-detention", "p-defender-alpha"},
        {("inc-beta-threat", "TARGETED", "p-defender-beta"), ("inc-beta-threat", "PERPETRATED_BY", "org-fake-police"),
         ("inc-alpha-detention", "PERPETRATED_BY", "org-fake-police"),
         ("inc-alpha-detention", "TARGETED", "p-defender-alpha")},
    ),
}


def build(kind: str, store):
    """The view of ``kind`` on the synthetic network whose elements EXPECTED lists."""
    from repgraph import viz

    return {
        "ego": lambda: viz.build_ego(store, "p-defender-alpha", depth=1),
        "chain": lambda: viz.build_chain(store, "inc-alpha-detention"),
        "operation": lambda: viz.build_operation(store, "op-fake-knock"),
        "law": lambda: viz.build_law(store, "law-fake-ngo"),
        "exile": lambda: viz.build_exile(store),
        "path": lambda: viz.build_path(store, "p-defender-beta", "p-defender-alpha"),
        "graph": lambda: viz.build_whole(store),
    }[kind]()


#: API path of each view on the synthetic network.
API_PATHS = {
    "ego": "/viz/ego/p-defender-alpha?depth=1",
    "chain": "/viz/chain/inc-alpha-detention",
    "operation": "/viz/operation/op-fake-knock",
    "law": "/viz/law/law-fake-ngo",
    "exile": "/viz/exile",
    "path": "/viz/path/p-defender-beta/p-defender-alpha",
    "graph": "/viz/graph",
}


def elements(view) -> tuple[set[str], set[tuple[str, str, str]]]:
    return {n.id for n in view.nodes}, {(e.source, e.type, e.target) for e in view.edges}
