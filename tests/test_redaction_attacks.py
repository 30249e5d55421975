"""Attacks on redaction found by adversarial testing (issue 10), each a regression test on
both backends over real stores and the shipped API with real keys (fake names only:
tests/fixtures/advsec*.yaml).

- A protected person's name whose every word is also in *some* public name (a common first
  name, a surname another public person carries) reached a viewer verbatim in quotes:
  masking went word by word and skipped every word a public name shares.
- ``repgraph --as viewer dedupe`` printed candidate pairs without redaction: the protected
  person's real id and name, and that a public record is the same person.
"""

from __future__ import annotations

import pytest

from repgraph import listing
from repgraph import resolution as R
from repgraph.cli import common
from repgraph.cli.resolution import visible_candidates
from repgraph.disclosure import Role
from repgraph.ingest import ingest_case_file

from api_access import client_for
from conftest import BACKENDS, FIXTURES, fresh_store

CASE = FIXTURES / "advsec.yaml"
#: public persons named "Lucía ..." and "... Falsaria ...": every word of the restricted
#: relative's "Lucía Falsaria" is some public person's
PUBLIC_WORDS = FIXTURES / "advsec_public_words.yaml"
#: a public record of the restricted relative under another id (a dedupe candidate)
DUPLICATE = FIXTURES / "advsec_duplicate.yaml"


@pytest.fixture(params=BACKENDS)
def attack_store(request, tmp_path):
    store = fresh_store(request.param, tmp_path, request)
    for f in (CASE, PUBLIC_WORDS):
        ingest_case_file(store, f)
    yield store
    store.close()


def test_a_protected_name_made_of_public_words_is_masked(attack_store):
    viewer = client_for(attack_store, "viewer")
    admin = client_for(attack_store, "admin")
    quote = "Agents raided the home of Lucía Falsaria because of her brother."
    seen = viewer.get("/entities", params={"q": "raid"}).json()["items"]
    quotes = [c["quote"] for item in seen for c in item["citations"]]
    assert "Agents raided the home of [withheld] because of her brother." in quotes
    dossier = viewer.get("/persons/p-oficial-malvado/dossier", params={"format": "md"})
    assert dossier.status_code == 200
    for body in (str(seen), dossier.text):
        assert "Lucía Falsaria" not in body and "Zenón Apócrifo" not in body and "Zenón \\[withheld\\]" not in body
    assert "who raided \\[withheld\\]'s home" in dossier.text
    # the public persons whose words these are keep their names
    assert viewer.get("/entities/p-lucia-publica").json()["name"] == "Lucía Pública Gómez"
    assert viewer.get("/entities/p-pedro-falsaria").json()["name"] == "Pedro Falsaria Soto"
    # the admin sees the source's words
    assert quote in [c["quote"] for item in admin.get("/entities", params={"q": "raid"}).json()["items"]
                     for c in item["citations"]]


def test_an_id_with_a_run_of_a_protected_persons_words_is_opaque(attack_store, tmp_path):
    ingest_case_file(attack_store, _write(tmp_path / "slug.yaml", """
dataset: {name: advsec-slug, title: slug (fake names), synthetic: true}
nodes:
  - {label: Source, id: src-adv-slug, name: Fake Slug Report, type: report, title: Fake Slug Report}
  - {label: Incident, id: inc-threat-lucia-falsaria-2024, name: A threat in 2024, type: threat, date: "2024",
     citations: [{source: src-adv-slug, quote: "A threat was made in 2024."}]}
"""))
    viewer = client_for(attack_store, "viewer")
    items = viewer.get("/entities", params={"q": "threat"}).json()["items"]
    ids = [i["id"] for i in items if i["name"] == "A threat in 2024"]
    assert len(ids) == 1 and ids[0].startswith("protected-")
    assert viewer.get("/entities/inc-threat-lucia-falsaria-2024").status_code == 404
    assert viewer.get(f"/entities/{ids[0]}").json()["name"] == "A threat in 2024"
    # a public person's own id with one such word stays as it is
    assert viewer.get("/entities/p-lucia-publica").json()["id"] == "p-lucia-publica"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_dedupe_as_a_viewer_leaves_out_pairs_with_a_protected_person(attack_store):
    ingest_case_file(attack_store, DUPLICATE)
    found = R.dedupe(attack_store)
    pair = {"p-lf-quimera", "p-lucia-falsaria"}
    assert any({c.a.id, c.b.id} == pair for c in found)  # the admin reviews it
    try:
        for role in (Role.viewer, Role.analyst):
            common.set_viewer(role)
            shown = common.answer(visible_candidates(attack_store, R.dedupe(attack_store)), attack_store)
            text = str([c.model_dump() for c in shown])
            if role is Role.viewer:
                assert not any(pair & {c.a.id, c.b.id} for c in shown)
                assert "p-lucia-falsaria" not in text and "Lucía Falsaria" not in text
            else:  # the analyst may see the restricted relative
                assert any({c.a.id, c.b.id} == pair for c in shown)
    finally:
        common.set_viewer(None)


def test_a_viewers_list_does_not_place_pseudonyms_by_their_real_ids(attack_store):
    """Regression: the list paged in real-id order before redaction, so a pseudonym's place
    between public ids told the viewer where the protected id sorts (its first letters).
    The pseudonyms now come after every public person, in their opaque ids' order, and
    paging through them in small pages gives the same list and total."""
    common.set_viewer(Role.viewer)
    try:
        viewer = common.current_viewer()  # as `repgraph --as viewer list Person` asks
        page = common.answer(listing.list_entities(attack_store, "Person", 100, 0, viewer), attack_store)
        pages = [common.answer(listing.list_entities(attack_store, "Person", 2, k, viewer), attack_store)
                 for k in range(0, page.total + 2, 2)]
    finally:
        common.set_viewer(None)
    names = [i.name for i in page.items]
    protected = [k for k, n in enumerate(names) if n.startswith("Protected person")]
    assert len(protected) >= 2  # the case holds protected persons: the order is tested
    assert protected == list(range(len(names) - len(protected), len(names)))  # together at the end
    public = [i.id for i in page.items if not i.name.startswith("Protected person")]
    assert public == sorted(public)
    opaque = [i.id for i in page.items if i.name.startswith("Protected person")]
    assert opaque == sorted(opaque) and all(i.startswith("protected-") for i in opaque)
    assert [i.id for p in pages for i in p.items] == [i.id for i in page.items]
    assert {p.total for p in pages} == {page.total} == {len(page.items)}


def test_a_merged_entity_is_shown_at_its_strictest_ids_level(attack_store):
    """A public record merged with a restricted person's: the merged entity is restricted
    whichever id the viewer names (the canonical id is the public record's)."""
    ingest_case_file(attack_store, DUPLICATE)
    viewer = client_for(attack_store, "viewer")
    assert viewer.get("/entities/p-lf-quimera").status_code == 200  # public before the merge
    R.merge(attack_store, "p-lf-quimera", "p-lucia-falsaria", "same birth date and name (test)")
    analyst = client_for(attack_store, "analyst")
    for ident in ("p-lf-quimera", "p-lucia-falsaria"):
        assert viewer.get(f"/entities/{ident}").status_code == 404
        assert analyst.get(f"/entities/{ident}").json()["confidentiality"] == "restricted"
    hits = viewer.get("/entities", params={"q": "activist"}).json()
    assert hits["total"] == 0 and "Quimera" not in str(hits)


@pytest.mark.xfail(reason="a public record whose name is a protected person's full name gets that person's pseudonym "
                          "as its name (text masking matches the name), so the viewer links the public record (id, "
                          "birth date, citations) to the protected person's pseudonym elsewhere; needs a rule for "
                          "public elements named like a protected person (withhold without the pseudonym, or flag "
                          "the pair for review)", strict=True)
def test_a_public_namesake_does_not_carry_the_protected_persons_pseudonym(attack_store):
    ingest_case_file(attack_store, DUPLICATE)
    viewer = client_for(attack_store, "viewer")
    assert "Protected person" not in viewer.get("/entities/p-lf-quimera").json()["name"]
