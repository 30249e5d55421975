"""Redaction: what a caller below an element's confidentiality sees of an answer.

One mechanism, in two steps that share one inventory of what is protected:

1. **Before computing** (the service's "visible subgraph"): walks, search candidates and
   the subgraphs analytics run on skip what the caller may not see
   (:meth:`Redactor.hides_node`, :meth:`Redactor.hides_relationship`,
   :meth:`Redactor.search_text`), so totals, rankings, paging and metrics are those of the
   caller's graph and never hint at a hidden element.
2. **At the exit** (:func:`repgraph.disclosure.disclose` calls :meth:`Redactor.redact`):
   a generic walk over the result models. For a caller below an element's level:

   - a protected **person** becomes a pseudonym ("Protected person 7") with an opaque id
     (an HMAC of the role and the id under a random secret; different for each role,
     unguessable); its properties, aliases, description and citations are withheld;
   - any other node above the caller's level is **hidden**, and so is whatever cannot be
     shown without it (a relationship to it, a chain link under it, a citation of a
     confidential source);
   - a **relationship** above the caller's level is hidden, and so is any other fact
     model whose own ``confidentiality`` is above it (a relative link, a sanction, an
     allegation's evidence);
   - an element the caller may see whose **id names a protected person** (ids are slugs:
     ``inc-raid-on-ana-ficticia-home``) is shown under an opaque id of the same scheme
     (:meth:`Redactor.masks_id`: a whole word of the id, split at anything but letters and
     digits, is one of the protected person's *name words*: the folded words of their
     name and aliases of 3 or more letters, not all digits, that no public person's or
     organization's name shares: the words masked in text). The caller may name it by
     that opaque id (:meth:`Redactor.resolve`, on every API id parameter), never by its
     real id (answered like an unknown id);
   - every string is **masked**: a protected id (also inside a relationship id, a
     ``becauseOf``, a URL) becomes the opaque id or ``[withheld]``; a protected person's
     name or alias becomes their pseudonym; a word of a protected name that no public
     person's name shares becomes ``[withheld]`` (quotes, incident names, descriptions);
   - counts and statistics are left as they are: a number, never a name.

The inventory (:class:`Protection`: every non-public node and relationship, and the words
of public persons' names) is read from the store and cached until the store changes.

Opaque ids, pseudonym numbers and the opaque ids of masked elements come from the
store's pseudonym registry (:class:`repgraph.access.pseudonyms.Pseudonyms`, kept in its
access file and attached to the store with :func:`attach` by the API's ``create_app``
and the CLI's ``store_for``): the same in every process and after every restart serving
that store, as long as its access file is kept. A store with no registry attached
(library use) uses :data:`~repgraph.access.pseudonyms.LOCAL`, this process's memory
only.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from . import queries as Q
from .access.pseudonyms import LOCAL, OPAQUE_PREFIX, Pseudonyms
from .disclosure import CLEARANCE, Role, Viewer
from .models import (
    ChainLink, CitationOut, EntityDetail, EntityRef, ExileRecord, GraphEdge, GraphNode, GuiltByAssociation, IncidentRef,
    OfficialCase, RelationshipOut, StatisticOut, WithIncidents,
)
from .ontology import fold

#: Order of the confidentiality levels.
RANK = {"public": 0, "restricted": 1, "confidential": 2}
PROTECTED_LEVELS = ["restricted", "confidential"]
#: What replaces a hidden id or a word of a protected name in text.
WITHHELD = "[withheld]"
#: Seconds an inventory is trusted at most on a backend whose change token is only counts.
INVENTORY_TTL = 30.0

_ID_TOKEN = re.compile(r"[A-Za-z0-9._\-]+")
_WORD = re.compile(r"\w+")
#: What separates the words of an id (ids are slugs: ``inc-raid-on-ana-ficticia-home``).
_ID_SEPARATORS = re.compile(r"[^0-9a-z]+")
#: store -> its pseudonym registry (:func:`attach`); a store not in it uses LOCAL
_registries: "weakref.WeakKeyDictionary[Any, Pseudonyms]" = weakref.WeakKeyDictionary()
#: real ids the current request named by their opaque ids (set by the API's routing)
_resolved: ContextVar[frozenset[str]] = ContextVar("repgraph_resolved_ids", default=frozenset())


@contextmanager
def own_ids_scope():
    """Within the block, the ids :func:`resolved_ids` marks are forgotten again at its end
    (one CLI command: a later command in the same process must not accept them)."""
    token = _resolved.set(frozenset())
    try:
        yield
    finally:
        _resolved.reset(token)


def resolved_ids(ids: frozenset[str]):
    """Mark ``ids`` (resolved from opaque ids the caller gave) as the current request's
    own, so the service's checks (:func:`require_visible`) accept them; returns the token
    for ``_resolved.reset``."""
    return _resolved.set(_resolved.get() | ids)


def rank(level: str | None) -> int:
    return RANK.get(level or "public", 0)


@lru_cache(maxsize=262144)
def _fold_word(word: str) -> str:
    return fold(word)


def _words(text: str) -> list[str]:
    if text.isascii():
        return _WORD.findall(text.lower())
    return [_fold_word(w) for w in _WORD.findall(text)]


# --------------------------------------------------------------------------- inventory


@dataclass(eq=False)
class Protection:
    """What the store protects: non-public nodes (id -> (label, level, names)),
    non-public relationships (id -> level), and the folded words of public persons' and
    organizations' names (never masked as a protected person's word)."""

    nodes: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    relationships: dict[str, str] = field(default_factory=dict)
    public_words: frozenset[str] = frozenset()
    #: adjacent word pairs of public persons' and organizations' names (a run of a protected
    #: person's name words that is also part of a public name is that public name)
    public_pairs: frozenset[tuple[str, str]] = frozenset()
    #: one Redactor per role, built on first use
    redactors: dict = field(default_factory=dict)

    @classmethod
    def read(cls, store) -> "Protection":
        nodes = {}
        for r in store.read(Q.PROTECTED_NODES, {"levels": PROTECTED_LEVELS}):
            names = tuple(n for n in [r["name"], *(r["aliases"] or [])] if n)
            nodes[r["id"]] = (r["label"], r["confidentiality"], names)
        if nodes:
            # a merged entity's other ids (merged-away, still in its relationships' ids and
            # `statedFrom`/`statedTo`) are protected as it is: a viewer never reads the
            # merged-away id of a confidential person
            from .merging import cluster_map

            for ident, group in cluster_map(store).items():
                held = next((nodes[g] for g in group if g in nodes), None)
                if held is not None and ident not in nodes:
                    nodes[ident] = held
        if store.sorts_in_database:
            rel_rows = store.read(Q.PROTECTED_RELATIONSHIPS, {"levels": PROTECTED_LEVELS})
        else:  # GraphQLite at 10k persons: the filtered scan 2.1 s, every level read and filtered here 0.8 s
            rel_rows = store.read(Q.RELATIONSHIP_LEVELS)
        rels = {r["id"]: r["confidentiality"] for r in rel_rows if r["id"] and r["confidentiality"] in PROTECTED_LEVELS}
        public: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        if nodes:
            for r in [*store.read(Q.PUBLIC_PERSON_NAMES), *store.read(Q.PUBLIC_ORGANIZATION_NAMES)]:
                for name in [r["name"], *(r["aliases"] or [])]:
                    if name:
                        words = _words(name)
                        public.update(words)
                        pairs.update(zip(words, words[1:]))
        return cls(nodes, rels, frozenset(public), frozenset(pairs))


_inventories: "weakref.WeakKeyDictionary[Any, tuple[Any, float, float, Protection]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def protection(store) -> Protection:
    """The store's inventory, read again when :meth:`~repgraph.store.GraphStore.change_token`
    changes; a backend whose token costs a round trip (Neo4j: its node and relationship
    counts) is asked at most every ``store.change_token_interval`` seconds, and its
    inventory is read again at least every :data:`INVENTORY_TTL` seconds (a level raised
    in place changes no count)."""
    now = time.monotonic()
    with _lock:
        cached = _inventories.get(store)
    interval = getattr(store, "change_token_interval", 0.0)
    if cached is not None:
        old_token, checked, built, inv = cached
        if interval and now - checked < interval and now - built < INVENTORY_TTL:
            return inv
    token = store.change_token()
    if cached is not None and token is not None and token == old_token and (not interval or now - built < INVENTORY_TTL):
        with _lock:
            _inventories[store] = (token, now, built, inv)
        return inv
    inv = Protection.read(store)
    with _lock:
        _inventories[store] = (token, now, now, inv)
    return inv


def active_redactor(store, viewer: Viewer) -> "Redactor | None":
    """The :class:`Redactor` of ``viewer``'s role over ``store`` when there is something
    to filter for them (a role below admin, and something protected in the store); else
    None. For code that filters while it computes (the "visible subgraph" step)."""
    if Role(viewer.role) is Role.admin:
        return None
    red = redactor(store, viewer)
    return red if red.active else None


def forget(store) -> None:
    """Drop the cached inventory of ``store`` (after a write in this process)."""
    with _lock:
        _inventories.pop(store, None)


def attach(store, registry: Pseudonyms) -> None:
    """Make ``registry`` (the pseudonym registry of ``store``'s access file) the source of
    the opaque ids and pseudonym numbers every redaction over ``store`` shows, in place of
    this process's own (:data:`~repgraph.access.pseudonyms.LOCAL`). Called where a store
    meets its access file: the API's ``create_app``, the CLI's ``store_for``. Attaching
    another registry later replaces it (redactors are rebuilt on their next use)."""
    with _lock:
        _registries[store] = registry


def registry_for(store) -> Pseudonyms:
    """The pseudonym registry attached to ``store`` (:func:`attach`), else LOCAL."""
    return _registries.get(store, LOCAL)


def redactor(store, viewer: Viewer) -> "Redactor":
    """The :class:`Redactor` of ``viewer``'s role over ``store``'s current inventory and
    pseudonym registry (:func:`registry_for`)."""
    role = Role(viewer.role)
    inv = protection(store)
    registry = registry_for(store)
    with _lock:
        per_role = inv.redactors
        red = per_role.get(role)
        if red is None or red.registry is not registry:
            red = per_role[role] = Redactor(inv, role, registry)
    return red


def require_visible(store, viewer: Viewer, *ids: str | None) -> None:
    """NotFound, worded like an unknown id, when ``viewer`` may not name one of ``ids``
    (a hidden element, a protected person, or an element whose id names one: never found
    by that id)."""
    if Role(viewer.role) is Role.admin:
        return
    red = redactor(store, viewer)
    for i in ids:
        if i and red.refuses(i):
            from .disclosure import refused
            from .service import NotFound

            refused(viewer, [i])  # a probe: the audit log records it
            raise NotFound(f"no entity with id {i!r}")


def shown_id(store, viewer: Viewer, element_id: str) -> str:
    """``element_id`` as :func:`~repgraph.disclosure.disclose` shows it to ``viewer`` (an
    id naming a protected person: its opaque id), to find an element asked for by id in an
    answer already disclosed."""
    if Role(viewer.role) is Role.admin:
        return element_id
    return redactor(store, viewer).mask_ids(element_id, True)


# --------------------------------------------------------------------------- pseudonyms

def opaque_id(role: Role, element_id: str, registry: Pseudonyms = LOCAL) -> str:
    """``protected-`` and 16 hex digits of HMAC-SHA256(the registry's secret, role | id)
    (default registry: this process's own)."""
    return registry.opaque_id(Role(role).value, element_id)


def pseudonym(role: Role, element_id: str, registry: Pseudonyms = LOCAL) -> str:
    """"Protected person N": N numbers the protected persons shown to ``role`` in the order
    they were first shown, as the registry (default: this process's own) records them."""
    return f"Protected person {registry.number(Role(role).value, element_id)}"


# --------------------------------------------------------------------------- the redactor

_HIDE = object()

#: Models that stand for a node: their ``id`` is a node id.
NODE_MODELS = (EntityRef, GraphNode, IncidentRef, EntityDetail, StatisticOut, WithIncidents)
#: Models that stand for a relationship (or a fact made of relationships).
RELATIONSHIP_MODELS = (RelationshipOut, GraphEdge, ExileRecord, ChainLink, OfficialCase, GuiltByAssociation)
@lru_cache(maxsize=None)
def _is_node(cls: type) -> bool:
    """A model standing for a node: one of :data:`NODE_MODELS`, or any model with an
    ``id``, a ``name`` and a ``label`` that is not a relationship (analytics' scores)."""
    if issubclass(cls, RELATIONSHIP_MODELS):
        return False
    return issubclass(cls, NODE_MODELS) or {"id", "name", "label"} <= set(cls.model_fields)


_SCALARS = frozenset({int, float, bool, type(None)})
_CITATION, _NODE, _RELATIONSHIP, _OTHER = "citation", "node", "relationship", "other"
_RELATIONSHIP_ENDS = ("source", "target", "below", "via_organization", "via_position", "via")


@lru_cache(maxsize=None)
def _model_kind(cls: type) -> tuple[str, bool, bool, tuple[str, ...], tuple[str, ...]]:
    """What :meth:`Redactor._model` needs of a model class, worked out once: its kind
    (citation, node, relationship, other fact), whether it has ``link_confidentiality``
    and ``confidentiality`` fields, its field names, and its fields naming relationship ends."""
    fields = tuple(cls.model_fields)
    kind = (_CITATION if issubclass(cls, CitationOut) else _NODE if _is_node(cls)
            else _RELATIONSHIP if issubclass(cls, RELATIONSHIP_MODELS) else _OTHER)
    return (kind, "link_confidentiality" in fields, "confidentiality" in fields, fields,
            tuple(e for e in _RELATIONSHIP_ENDS if e in fields))


#: Fields a pseudonymised node keeps (with id and name replaced); every other field is emptied.
PSEUDONYM_KEEPS = frozenset({"id", "label", "name", "confidentiality", "rank", "degree", "degree_centrality", "betweenness"})
#: Fields holding ids: only protected ids, and ids naming a protected person, are replaced
#: in them (by an opaque id the caller can use as input: an id stays usable). Every field
#: or property whose value is an id belongs here: any other string is masked as text, which
#: turns an id naming a protected person into ``inc-raid-on-[withheld]-home`` (where the
#: name stood, and no usable id). Fields of these names holding a model are walked as models.
ID_FIELDS = frozenset({"id", "source", "target", "below", "via", "via_organization", "via_position", "becauseOf",
                       "from", "to",
                       # a chain link's stored relationship, a merged entity's other ids, a
                       # dossier post's and proceeding's ids, and the id-valued properties
                       # (an exculpation's perpetrator, an appointment's position)
                       "relationship_id", "referents", "post", "concerns", "perpetrator", "position"})
#: Fields never masked (vocabularies, dates, numbers as text).
UNMASKED_FIELDS = frozenset({"label", "type", "confidentiality", "direction", "kind", "date", "valid_from", "valid_to",
                             "half_year", "date_from", "date_to", "period_start", "period_end", "by",
                             # the caller's own search words, echoed: masking them told a viewer
                             # that a word is a protected person's name (an oracle)
                             "query"})

#: Dicts whose keys are property names but whose values are not that property's values
#: (``provenance``: property -> dataset names): their values are masked as text.
KEY_IS_NOT_FIELD = frozenset({"provenance"})


class Redactor:
    """What one role may see of one inventory (see the module docstring)."""

    def __init__(self, protection: Protection, role: Role, registry: Pseudonyms = LOCAL):
        self.role = role
        #: where opaque ids, pseudonym numbers and masked ids come from (the store's access file)
        self.registry = registry
        self.clearance = rank(CLEARANCE[role].value)
        above = {i: v for i, v in protection.nodes.items() if rank(v[1]) > self.clearance}
        self.protection = protection
        #: persons above the clearance -> (opaque id, pseudonym)
        self.persons = {i: (opaque_id(role, i, registry), None) for i, v in above.items() if v[0] == "Person"}
        #: other nodes above the clearance: hidden
        self.hidden = {i for i, v in above.items() if v[0] != "Person"}
        self.hidden_relationships = {i for i, lv in protection.relationships.items() if rank(lv) > self.clearance}
        self.id_map = {i: o for i, (o, _) in self.persons.items()} | dict.fromkeys(self.hidden, WITHHELD)
        self.issued = {o for o, _ in self.persons.values()}
        # names -> replacement, indexed by first folded word; longest sequences first
        self.sequences: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.person_words: dict[str, str] = {}
        #: every name word (3+ letters) of a protected person -> the persons whose names have
        #: it, also words a public name shares: two or more of one person's words in a row
        #: ("Lucía Falsaria", each word also some public person's) name that person
        self.word_owners: dict[str, set[str]] = {}
        for i, (label, _, names) in above.items():
            for name in names:
                words = tuple(_words(name))
                if not words:
                    continue
                self.sequences.setdefault(words[0], []).append((words, i))
                if label == "Person":
                    for w in words:
                        if len(w) >= 3 and not w.isdigit():
                            self.word_owners.setdefault(w, set()).add(i)
                            if w not in protection.public_words:
                                self.person_words.setdefault(w, i)
        for seqs in self.sequences.values():
            seqs.sort(key=lambda s: -len(s[0]))
        #: every folded word a mask could start at: a quick "nothing to mask here" test
        self.trigger_words = frozenset(self.sequences) | frozenset(self.person_words) | frozenset(self.word_owners)
        #: every word of every protected name, for "can this query touch a masked name?"
        self._name_blob = "|".join(sorted({w for seqs in self.sequences.values() for words, _ in seqs for w in words}))
        #: ids the caller may not name (hidden, or protected persons)
        self.unseen_ids = frozenset(self.hidden) | frozenset(self.persons)
        #: the words that make an id name a protected person (:meth:`masks_id`)
        self.id_words = frozenset(self.person_words)
        self._id_masks: dict[str, bool] = {}
        self._masked_opaque: dict[str, str] = {}
        self._masked: dict[str, str] = {}
        self._masked_withheld: dict[str, str] = {}
        self._names_person: dict[str, bool] = {}
        self.active = bool(above) or bool(self.hidden_relationships)

    # ----------------------------------------------------------------- questions

    def level_of(self, element_id: str | None, carried: str | None = None) -> int:
        node = self.protection.nodes.get(element_id) if element_id else None
        rel = self.protection.relationships.get(element_id) if element_id else None
        return max(rank(carried), rank(node[1]) if node else 0, rank(rel))

    def hides_node(self, node_id: str) -> bool:
        """The node is not shown at all (a non-person above the clearance)."""
        return node_id in self.hidden

    def pseudonymises(self, node_id: str) -> bool:
        return node_id in self.persons

    def unseen(self, node_id: str) -> bool:
        """The caller may not name this id (hidden, or a protected person): an unknown id to them."""
        return node_id in self.hidden or node_id in self.persons

    def name_run(self, folded: list[str], k: int) -> int:
        """How many words from ``folded[k]`` on are a run of two or more name words of one
        protected person (0 if none): such a run names them even when every word of it is
        also in some public name, unless the run is itself part of a public name (each
        adjacent pair of it is a public name's)."""
        owners = self.word_owners.get(folded[k])
        if not owners:
            return 0
        j = k + 1
        while j < len(folded):
            common = owners & self.word_owners.get(folded[j], set())
            if not common:
                break
            owners = common
            j += 1
        if j - k < 2:
            return 0
        pairs = self.protection.public_pairs
        if all((folded[x], folded[x + 1]) in pairs for x in range(k, j - 1)):
            return 0
        return j - k

    def _names_in_words(self, words: list[str]) -> bool:
        """A word of the list is a protected person's own name word, or a run of them names one."""
        if not self.id_words.isdisjoint(words):
            return True
        return any(self.name_run(words, k) for k in range(len(words) - 1))

    def masks_id(self, element_id: str) -> bool:
        """The id of an element the caller may see names a protected person above their
        clearance: a whole word of the folded id is one of :attr:`id_words` (that person's
        name words, see the module docstring). Such an element is shown under an opaque
        id, and its real id is unknown to the caller."""
        if not self.word_owners or not element_id:
            return False
        known = self._id_masks.get(element_id)
        if known is None:
            if element_id in self.id_map or element_id in self.issued or element_id.startswith(OPAQUE_PREFIX):
                known = False
            else:
                folded = element_id.lower() if element_id.isascii() else fold(element_id)
                known = self._names_in_words([w for w in _ID_SEPARATORS.split(folded) if w])
            if len(self._id_masks) > 200_000:
                self._id_masks.clear()
            self._id_masks[element_id] = known
        return known

    def masked_id(self, element_id: str) -> str:
        """The opaque id an element whose id names a protected person is shown under
        (recorded in the registry, so any process serving the store accepts it back)."""
        opaque = self._masked_opaque.get(element_id)
        if opaque is None:
            opaque = opaque_id(self.role, element_id, self.registry)
            self.registry.remember_masked(opaque, self.role.value, element_id)
            if len(self._masked_opaque) > 200_000:
                self._masked_opaque.clear()
            self._masked_opaque[element_id] = opaque
        return opaque

    def resolve(self, element_id: str) -> str:
        """The real id behind an opaque id this caller's role was shown (by any process
        over the same access file) for an element whose id names a protected person, so
        they can navigate to it; any other id unchanged."""
        if not element_id.startswith(OPAQUE_PREFIX) or element_id in self.issued:
            return element_id
        found = self.registry.masked(element_id)
        if found is not None:
            role, real = found
            if role == self.role.value and self.masks_id(real) and opaque_id(self.role, real, self.registry) == element_id:
                return real
        return element_id

    def refuses(self, element_id: str) -> bool:
        """The caller may not name this id as input: hidden, a protected person, or an id
        that names a protected person (they know that element by its opaque id; once the
        API has resolved that opaque id for the request (:func:`resolved_ids`), the real id
        is the request's own)."""
        return self.unseen(element_id) or (self.masks_id(element_id) and element_id not in _resolved.get())

    def may_touch_protected_names(self, folded_tokens: list[str]) -> bool:
        """Whether a search for these words could match inside a protected name (then the
        names must be masked before matching; otherwise masking changes no match). A word
        of digits only does not count: it could at most match a number inside a masked
        name (a public incident named after a protected person would still be found by
        that number, never by a word of the name)."""
        return any((not t.isdigit() and t in self._name_blob) or "protected" in t or "withheld" in t for t in folded_tokens)

    def hides_relationship(self, rel_id: str | None, level: str | None = None, *ends: str) -> bool:
        """The relationship is above the clearance, or touches a hidden node."""
        return (rank(level) > self.clearance or (rel_id is not None and rel_id in self.hidden_relationships)
                or any(e in self.hidden for e in ends))

    def hides_link(self, rel_id: str | None, level: str | None, other_id: str, other_level: str | None) -> bool:
        """What :meth:`redact` decides for a relationship shown from one end (an entity
        page's ``RelationshipOut``), without walking it: the relationship is above the
        clearance, or its other end is a node the caller may not see (above the clearance
        and not a pseudonymised person)."""
        if self.level_of(rel_id, level) > self.clearance:
            return True
        return other_id not in self.persons and self.level_of(other_id, other_level) > self.clearance

    def opaque(self, node_id: str) -> str:
        return self.id_map.get(node_id, node_id)

    def pseudonym(self, person_id: str) -> str:
        """"Protected person N" of ``person_id`` for this role (a dict lookup once known)."""
        return f"Protected person {self.registry.number(self.role.value, person_id)}"

    # ----------------------------------------------------------------- text

    def mask_ids(self, text: str, is_id: bool = False) -> str:
        """``text`` with protected ids (whole, or parts of a relationship id or a URL)
        replaced; an id that names a protected person (``is_id``: the value of an id field;
        else a text that is one slug, ``word-word``) becomes its opaque id."""
        if text in self.id_map:
            return self.id_map[text]
        if (is_id or ("-" in text and _ID_TOKEN.fullmatch(text))) and self.masks_id(text):
            return self.masked_id(text)
        if ("-" in text or ":" in text or "/" in text) and not self.id_map.keys().isdisjoint(_ID_TOKEN.findall(text)):
            text = _ID_TOKEN.sub(lambda m: self.id_map.get(m.group(0), m.group(0)), text)
        return text

    def mask(self, text: str, pseudonyms: bool = True) -> str:
        """``text`` with protected ids, names and name words replaced (memoised: answers
        repeat the same names, titles and quotes). A protected person's full name becomes
        their pseudonym, or ``[withheld]`` when not ``pseudonyms`` (in what is said of a
        public namesake: :meth:`is_namesake`)."""
        if not self.active or not text:
            return text
        memo = self._masked if pseudonyms else self._masked_withheld
        done = memo.get(text)
        if done is None:
            if len(memo) > 100_000:
                memo.clear()
            done = memo[text] = self._mask(text, pseudonyms)
        return done

    def names_a_protected_person(self, text: str | None) -> bool:
        """``text`` holds a protected person's whole name (or alias), folded."""
        if not self.active or not text:
            return False
        found = self._names_person.get(text)
        if found is None:
            if len(self._names_person) > 100_000:
                self._names_person.clear()
            folded = [_fold_word(w) for w in _WORD.findall(text)]
            found = self._names_person[text] = any(
                pid in self.persons and tuple(folded[k:k + len(words)]) == words
                for k, w in enumerate(folded) for words, pid in self.sequences.get(w, ()))
        return found

    def is_namesake(self, m: BaseModel) -> bool:
        """``m`` stands for a person the caller may see whose own name or alias is a protected
        person's name: shown with that person's pseudonym, the public record (its id, dates,
        citations) would be linked to the protected person wherever the pseudonym appears."""
        d = m.__dict__
        if d.get("label") != "Person":
            return False
        names = [d.get("name"), *(a if isinstance(a, str) else getattr(a, "name", None) for a in d.get("aliases") or ())]
        return any(self.names_a_protected_person(n) for n in names)

    def _mask(self, text: str, pseudonyms: bool = True) -> str:
        text = self.mask_ids(text)
        if text in self.issued:
            return text
        if text.isascii():  # the fold of an ASCII word is its lower case: no per-word fold needed
            if self.trigger_words.isdisjoint(_WORD.findall(text.lower())):
                return text
        folded = [_fold_word(w) for w in _WORD.findall(text)]
        if self.trigger_words.isdisjoint(folded):
            return text
        matches = list(_WORD.finditer(text))
        out: list[str] = []
        pos = 0
        k = 0
        n = len(matches)
        while k < n:
            w = folded[k]
            replaced = False
            for words, pid in self.sequences.get(w, ()):
                size = len(words)
                if tuple(folded[k:k + size]) == words:
                    out.append(text[pos:matches[k].start()])
                    out.append(self._name_for(pid) if pseudonyms else WITHHELD)
                    pos = matches[k + size - 1].end()
                    k += size
                    replaced = True
                    break
            if replaced:
                continue
            run = self.name_run(folded, k)
            if run:
                out.append(text[pos:matches[k].start()])
                out.append(WITHHELD)
                pos = matches[k + run - 1].end()
                k += run
                continue
            if w in self.person_words:
                out.append(text[pos:matches[k].start()])
                out.append(WITHHELD)
                pos = matches[k].end()
            k += 1
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    def _name_for(self, element_id: str) -> str:
        return self.pseudonym(element_id) if element_id in self.persons else WITHHELD

    def search_text(self, search_text: str) -> str:
        """A node's folded names (``|name|alias|``) as this caller may search them:
        protected names masked, so they never match."""
        if not self.active or self.trigger_words.isdisjoint(_WORD.findall(search_text)):
            return search_text  # already folded: no protected word, nothing to mask
        parts = []
        for part in search_text.split("|"):
            masked = self.mask(part) if part else part
            parts.append(part if masked == part else fold(masked))
        return "|".join(parts)

    # ----------------------------------------------------------------- models

    def redact(self, value: Any, shown: set[str]) -> Any:
        """``value`` as this caller may see it (``_HIDE`` sentinel when nothing may be shown);
        ids of protected elements shown are added to ``shown``."""
        return self._walk(value, shown, None)

    def _walk(self, value: Any, shown: set[str], name: str | None, pseudonyms: bool = True) -> Any:
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is str or isinstance(value, str):
            if name in UNMASKED_FIELDS or not self.active:
                return value
            r = self.mask_ids(value, True) if name in ID_FIELDS else self.mask(value, pseudonyms)
            return value if r == value else r
        if isinstance(value, BaseModel):
            return self._model(value, shown, pseudonyms)
        if isinstance(value, list):
            out = []
            same = True
            for v in value:
                r = self._walk(v, shown, name, pseudonyms)
                if r is not _HIDE:
                    out.append(r)
                same = same and r is v
            return value if same else out  # unchanged: the same list (no copy)
        if isinstance(value, tuple):
            return tuple(r for r in (self._walk(v, shown, name, pseudonyms) for v in value) if r is not _HIDE)
        if isinstance(value, dict):
            out_d = {}
            same = True
            # provenance maps a property to the datasets stating it: its values are dataset
            # names (masked like any name), never the property's own value ("type" is unmasked)
            keyed = name not in KEY_IS_NOT_FIELD
            for k, v in value.items():
                r = self._walk(v, shown, k if keyed else None, pseudonyms)
                key = k if not isinstance(k, str) or self.mask(k, pseudonyms) == k else self.mask(k, pseudonyms)
                if r is not _HIDE:
                    out_d[key] = r
                same = same and r is v and key is k
            return value if same else out_d
        return value

    def _model(self, m: BaseModel, shown: set[str], pseudonyms: bool = True) -> Any:
        cls = type(m)
        kind, has_link, has_level, names, ends = _model_kind(cls)
        fields = cls.model_fields
        d = m.__dict__
        if kind is _CITATION:
            if m.source in self.hidden:
                return _HIDE
        elif kind is _NODE:
            ident = d.get("id")
            if has_link and rank(d.get("link_confidentiality")) > self.clearance:
                return _HIDE  # shown through a link the caller may not see (a victim's targeting)
            if ident in self.issued:
                return m
            level = self.level_of(ident, d.get("confidentiality") if has_level else None)
            if level > self.clearance:
                if ident in self.persons:
                    return self._pseudonymised(m, fields)
                return _HIDE
            if level and ident:  # a derived item (a delisting of a protected listing) has no id of its own
                shown.add(ident)
            if pseudonyms and self.active and self.is_namesake(m):
                pseudonyms = False  # nothing said of a public namesake carries the protected person's pseudonym
        elif kind is _RELATIONSHIP:
            rel_id = d.get("id")
            level = self.level_of(rel_id, d.get("confidentiality") if has_level else None)
            if level > self.clearance:
                return _HIDE
            for end in ends:
                if d.get(end) in self.hidden:
                    return _HIDE
            if level and rel_id:
                shown.add(rel_id)
        elif has_level and rank(d.get("confidentiality")) > self.clearance:
            return _HIDE  # any other fact with its own level above the clearance (a relative link, a sanction, an allegation)
        values = {}
        same = True
        for fname in names:
            v = getattr(m, fname)
            r = self._walk(v, shown, fname, pseudonyms)
            if r is _HIDE:
                return _HIDE  # a required part cannot be shown: neither can the whole
            values[fname] = r
            same = same and r is v
        if isinstance(values.get("nodes"), list) and isinstance(values.get("edges"), list):  # a subgraph: no edge to a node not shown
            kept = {n.id for n in values["nodes"]}
            edges = [e for e in values["edges"] if e.source in kept and e.target in kept]
            same = same and len(edges) == len(values["edges"])
            values["edges"] = edges
        if same:
            return m  # nothing to redact in it: the model itself (results are not mutated afterwards)
        return type(m).model_construct(_fields_set=m.model_fields_set, **values)

    def _pseudonymised(self, m: BaseModel, fields) -> BaseModel:
        values = {}
        for fname, info in fields.items():
            v = getattr(m, fname)
            if fname == "id":
                values[fname] = self.opaque(m.id)
            elif fname == "name":
                values[fname] = self.pseudonym(m.id)
            elif fname == "label":
                values[fname] = "Person"
            elif fname == "confidentiality":
                values[fname] = self.protection.nodes[m.id][1]
            elif fname in PSEUDONYM_KEEPS:
                values[fname] = v
            elif isinstance(v, list):
                values[fname] = []
            elif isinstance(v, dict):
                values[fname] = {}
            elif not info.is_required():
                values[fname] = None if info.default is None else info.get_default(call_default_factory=True)
            else:
                values[fname] = v
        return type(m).model_construct(_fields_set=m.model_fields_set, **values)


HIDE = _HIDE

__all__ = ["HIDE", "OPAQUE_PREFIX", "Protection", "Redactor", "WITHHELD", "attach", "forget", "opaque_id", "protection",
           "pseudonym", "rank", "redactor", "registry_for", "require_visible", "resolved_ids", "shown_id"]
