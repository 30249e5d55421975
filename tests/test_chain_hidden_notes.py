"""An empty responsibility chain never tells a caller below full clearance that "the
sources name no perpetrator" (or no victim) when a link above their level is hidden:
that sentence would clear the accused and erase the victim. Found by the newcomer run
(a confidential PERPETRATED_BY and a confidential TARGETED); the CLI table and the
chain view (both backends) say "none you may see" instead, and the admin keeps the plain
sentence where the sources really name nobody."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from repgraph.cli import app
from repgraph.disclosure import Role, Viewer
from repgraph.ingest import ingest_case_file
from repgraph.viz.chain import build_chain
from repgraph.viz.operation import build_operation

CASE = """\
dataset: {name: hidden-chain, title: Hidden chain (fake names)}
nodes:
  - {label: Source, id: src-hc, name: Interview Ficticia, type: interview, title: Interview Ficticia}
  - {label: Person, id: p-hc-relative, name: Ana Ficticia Hidalgo, roles: [family_member],
     citations: [{source: src-hc, quote: "Ana Ficticia Hidalgo was taken"}]}
  - {label: Organization, id: org-hc-unit, name: Unidad Ejemplo Cero, kind: state_security,
     citations: [{source: src-hc, quote: "the unit"}]}
  - {label: Incident, id: inc-hc-raid, name: Raid 2024-06, type: raid, date: 2024-06,
     citations: [{source: src-hc, quote: "raided in June"}]}
  - {label: Operation, id: op-hc, name: Operation Ejemplo, citations: [{source: src-hc, quote: "Operation Ejemplo"}]}
  - {label: Incident, id: inc-hc-secret, name: Secret raid 2024-05, type: raid, date: 2024-05, confidentiality: confidential,
     citations: [{source: src-hc, quote: "a raid in May"}]}
  - {label: Incident, id: inc-hc-nobody, name: Threat 2024-07, type: threat, date: 2024-07,
     citations: [{source: src-hc, quote: "a threat in July"}]}
relationships:
  - {type: PART_OF, from: inc-hc-secret, to: op-hc, citations: [{source: src-hc, quote: "the May raid was part of it"}]}
  - {type: TARGETED, from: inc-hc-raid, to: p-hc-relative, confidentiality: confidential,
     citations: [{source: src-hc, quote: "she was taken"}]}
  - {type: PERPETRATED_BY, from: inc-hc-raid, to: org-hc-unit, role: direct, confidentiality: confidential,
     citations: [{source: src-hc, quote: "the unit raided"}]}
"""

VIEWER_PERP = "no perpetrator of this incident you may see"
ADMIN_PERP = "no perpetrator of this incident is named in the sources"


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "hidden-chain.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def test_view_says_none_you_may_see_on_both_backends(empty_store, case_file):
    ingest_case_file(empty_store, case_file)
    for role in (Role.viewer, Role.analyst):
        notices = " ".join(build_chain(empty_store, "inc-hc-raid", Viewer("v", role)).notices)
        assert "Unidad Ejemplo Cero" not in notices and "Ficticia" not in notices
        assert "the sources name no" not in notices.lower()
        assert VIEWER_PERP.capitalize() in notices  # the confidential perpetrator link is hidden
        assert "No victim of this incident you may see" in notices  # the confidential targeting is hidden
    admin = build_chain(empty_store, "inc-hc-raid", Viewer("a", Role.admin))
    assert not any("perpetrator" in n or "victim" in n for n in admin.notices)  # both shown
    nobody = " ".join(build_chain(empty_store, "inc-hc-nobody", Viewer("a", Role.admin)).notices)
    assert ADMIN_PERP.capitalize() in nobody and "The sources name no victim of this incident." in nobody


def test_cli_table_says_none_you_may_see(tmp_path, case_file):
    db = tmp_path / "hc.db"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(case_file), "--db", str(db)]).exit_code == 0
    query = ["query", "responsibility-chain", "-p", "incident_id=inc-hc-raid", "--db", str(db)]
    viewer = runner.invoke(app, ["--as", "viewer", *query], env={"COLUMNS": "200"})
    assert viewer.exit_code == 0, viewer.output
    assert VIEWER_PERP in viewer.output and ADMIN_PERP not in viewer.output
    assert "Unidad Ejemplo Cero" not in viewer.output
    admin = runner.invoke(app, query, env={"COLUMNS": "200"})
    assert admin.exit_code == 0 and "Unidad Ejemplo Cero" in admin.output and "no perpetrator" not in admin.output
    nobody = runner.invoke(app, ["query", "responsibility-chain", "-p", "incident_id=inc-hc-nobody", "--db", str(db)],
                           env={"COLUMNS": "200"})
    assert ADMIN_PERP in nobody.output


def test_operation_with_only_hidden_incidents_says_none_you_may_see(empty_store, case_file, tmp_path):
    ingest_case_file(empty_store, case_file)
    viewer = " ".join(build_operation(empty_store, "op-hc", viewer=Viewer("v", Role.viewer)).notices)
    assert "No incident linked to this operation that you may see" in viewer and "in the sources" not in viewer
    admin = build_operation(empty_store, "op-hc", viewer=Viewer("a", Role.admin))
    assert [n.id for n in admin.nodes if n.label == "Incident"] == ["inc-hc-secret"]
    assert "No perpetrator of these incidents is named in the sources." in admin.notices
    db = tmp_path / "op.db"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(case_file), "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["--as", "viewer", "query", "operations", "--db", str(db)], env={"COLUMNS": "200"}).output
    assert "none you may see" in out and "none linked in the sources" not in out and "Secret raid" not in out
    out = runner.invoke(app, ["query", "operations", "--db", str(db)], env={"COLUMNS": "200"}).output
    assert "Secret raid" in out


def test_provenance_dataset_names_are_masked_like_every_dataset_name(empty_store, tmp_path):
    """A dataset named after a protected person (``ana-ficticia-hidalgo-interview``) was
    masked in ``datasets`` and ``statements`` but left readable in ``provenance`` under the
    keys ``confidentiality``, ``type`` and ``date`` (fields otherwise never masked), in
    the API's entity page and the CLI's ``show --as viewer`` (its "stated by" column)."""
    from repgraph import service as S
    from repgraph.disclosure import disclose

    path = tmp_path / "named.yaml"
    path.write_text(CASE.replace("dataset: {name: hidden-chain, title: Hidden chain (fake names)}",
                                 "dataset: {name: ana-ficticia-hidalgo-interview, title: Interview (fake names)}"),
                    encoding="utf-8")
    ingest_case_file(empty_store, path)
    for role in (Role.viewer, Role.analyst):
        viewer = Viewer("v", role)
        page = disclose(S.entity(empty_store, "inc-hc-nobody", viewer), viewer, empty_store)
        assert set(page.provenance) >= {"confidentiality", "type", "date", "name"}
        shown = {d for datasets in page.provenance.values() for d in datasets}
        assert len(shown) == 1 and shown == set(page.datasets)  # one opaque id, the same everywhere
        if role is Role.viewer:  # Ana (a relative: restricted) is protected from a viewer only
            assert "ficticia" not in page.model_dump_json().lower()
    admin = disclose(S.entity(empty_store, "inc-hc-nobody"), Viewer("a", Role.admin), empty_store)
    assert admin.provenance["type"] == ["ana-ficticia-hidalgo-interview"]


def test_datasets_as_viewer_masks_a_dataset_named_after_a_protected_person(tmp_path):
    """Newcomer run 3: ``repgraph --as viewer datasets`` showed dataset names, titles and
    file paths unmasked; a dataset (and its file) named after a protected relative names
    her to a viewer. Masked as on entity pages; an admin sees them as they are."""
    path = tmp_path / "ana-ficticia-hidalgo-notes.yaml"
    path.write_text(CASE.replace("dataset: {name: hidden-chain, title: Hidden chain (fake names)}",
                                 "dataset: {name: ana-ficticia-hidalgo-interview, title: Ana Ficticia Hidalgo interview}"),
                    encoding="utf-8")
    db = tmp_path / "ds.db"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    viewer = runner.invoke(app, ["--as", "viewer", "datasets", "--db", str(db), "-f", "json"])
    assert viewer.exit_code == 0, viewer.output
    assert "ficticia" not in viewer.output.lower() and "hidalgo" not in viewer.output.lower()
    admin = runner.invoke(app, ["datasets", "--db", str(db), "-f", "json"])
    assert '"name": "ana-ficticia-hidalgo-interview"' in admin.output and "Ana Ficticia Hidalgo interview" in admin.output
