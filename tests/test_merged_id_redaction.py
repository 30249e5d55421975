"""A merged-away id of a protected person never reaches a viewer (adv3).

After ``repgraph merge`` of a public official with a confidential one, the merged entity is
confidential and a viewer sees it under an opaque id; but the relationships it took over keep
the merged-away id in their ids (``HOLDS:p-mrg-secret:pos-mrg-head``) and in ``statedFrom``,
and the inventory of protected ids held only the canonical id: the viewer's chain and ego views
showed ``p-mrg-secret`` (a slug of the confidential person's name). Both backends.
"""

from __future__ import annotations

import json

from repgraph import resolution as R
from repgraph import viz
from repgraph.disclosure import Role, Viewer, disclose
from repgraph import service as S
from repgraph.ingest.writer import write_case
from repgraph.ontology import CaseFile

CITE = [{"source": "src-mrg", "quote": "Fake quote: the raid."}]
CASE = {
    "dataset": {"name": "merged-protected", "title": "Merged protected official (fake names)", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-mrg", "name": "Fake Merge Report", "type": "report", "title": "Fake Merge Report"},
        {"label": "Person", "id": "p-mrg-public", "name": "Oficial Ficticio Publico", "roles": ["official"]},
        {"label": "Person", "id": "p-mrg-secret", "name": "Oficial Ejemplo Secreto", "roles": ["official"],
         "confidentiality": "confidential"},
        {"label": "Organization", "id": "org-mrg-unit", "name": "Fake Merge Unit", "kind": "police"},
        {"label": "Position", "id": "pos-mrg-head", "name": "Head of the Fake Merge Unit", "isHead": True},
        {"label": "Incident", "id": "inc-mrg", "name": "Fake merge raid", "type": "raid", "date": "2021-03-01",
         "citations": CITE},
    ],
    "relationships": [
        {"type": "IN", "from": "pos-mrg-head", "to": "org-mrg-unit"},
        {"type": "HOLDS", "from": "p-mrg-secret", "to": "pos-mrg-head", "startDate": "2020"},
        {"type": "PERPETRATED_BY", "from": "inc-mrg", "to": "org-mrg-unit", "role": "direct", "citations": CITE},
        {"type": "PERPETRATED_BY", "from": "inc-mrg", "to": "p-mrg-public", "role": "direct", "citations": CITE},
    ],
}


def test_a_viewer_never_reads_the_merged_away_id_of_a_protected_person(empty_store):
    write_case(empty_store, CaseFile.model_validate(CASE), "merged.yaml")
    R.merge(empty_store, "p-mrg-public", "p-mrg-secret", "same official (fake)", by="tester")
    admin_chain = json.dumps(viz.build_chain(empty_store, "inc-mrg"), default=lambda o: o.__dict__)
    assert "HOLDS:p-mrg-secret:pos-mrg-head" in admin_chain  # the admin sees it as stored
    for role in (Role.viewer, Role.analyst):
        viewer = Viewer("v", role)
        answers = [
            viz.build_chain(empty_store, "inc-mrg", viewer=viewer),
            viz.build_ego(empty_store, "org-mrg-unit", depth=2, max_nodes=200, viewer=viewer),
            disclose(S.ego_graph(empty_store, "org-mrg-unit", depth=2, viewer=viewer), viewer, empty_store),
            disclose(S.responsibility_chain(empty_store, "inc-mrg"), viewer, empty_store),
        ]
        text = json.dumps(answers, default=lambda o: o.model_dump() if hasattr(o, "model_dump") else o.__dict__)
        assert "p-mrg-secret" not in text and "Secreto" not in text, role
        assert "org-mrg-unit" in text  # the answers are there, only the protected id is masked
