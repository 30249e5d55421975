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
     (an HMAC of the role and the id under a per-process random secret: stable for the
     life of a server, different for each role, unguessable); its properties, aliases,
     description and citations are withheld;
   - any other node above the caller's level is **hidden**, and so is whatever cannot be
     shown without it (a relationship to it, a chain link under it, a citation of a
     confidential source);
   - a **relationship** above the caller's level is hidden, and so is any other fact
     model whose own ``confidentiality`` is above it (a relative link, a sanction, an
     allegation's evidence);
   - every string is **masked**: a protected id (also inside a relationship id, a
     ``becauseOf``, a URL) becomes the opaque id or ``[withheld]``; a protected person's
     name or alias becomes their pseudonym; a word of a protected name that no public
     person's name shares becomes ``[withheld]`` (quotes, incident names, descriptions);
   - counts and statistics are left as they are: a number, never a name.

The inventory (:class:`Protection`: every non-public node and relationship, and the words
of public persons' names) is read from the store and cached until the store changes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from . import queries as Q
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
#: Prefix of opaque ids (never derived from the name or the id).
OPAQUE_PREFIX = "protected-"
#: Seconds an inventory is trusted at most on a backend whose change token is only counts.
INVENTORY_TTL = 30.0

_SECRET = secrets.token_bytes(32)  # per process: opaque ids hold for a server's life only
_ID_TOKEN = re.compile(r"[A-Za-z0-9._\-]+")
_WORD = re.compile(r"\w+")


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
    #: one Redactor per role, built on first use
    redactors: dict = field(default_factory=dict)

    @classmethod
    def read(cls, store) -> "Protection":
        nodes = {}
        for r in store.read(Q.PROTECTED_NODES, {"levels": PROTECTED_LEVELS}):
            names = tuple(n for n in [r["name"], *(r["aliases"] or [])] if n)
            nodes[r["id"]] = (r["label"], r["confidentiality"], names)
        if store.sorts_in_database:
            rel_rows = store.read(Q.PROTECTED_RELATIONSHIPS, {"levels": PROTECTED_LEVELS})
        else:  # GraphQLite at 10k persons: the filtered scan 2.1 s, every level read and filtered here 0.8 s
            rel_rows = store.read(Q.RELATIONSHIP_LEVELS)
        rels = {r["id"]: r["confidentiality"] for r in rel_rows if r["id"] and r["confidentiality"] in PROTECTED_LEVELS}
        public: set[str] = set()
        if nodes:
            for r in [*store.read(Q.PUBLIC_PERSON_NAMES), *store.read(Q.PUBLIC_ORGANIZATION_NAMES)]:
                for name in [r["name"], *(r["aliases"] or [])]:
                    if name:
                        public.update(_words(name))
        return cls(nodes, rels, frozenset(public))


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


def forget(store) -> None:
    """Drop the cached inventory of ``store`` (after a write in this process)."""
    with _lock:
        _inventories.pop(store, None)


def redactor(store, viewer: Viewer) -> "Redactor":
    """The :class:`Redactor` of ``viewer``'s role over ``store``'s current inventory."""
    role = Role(viewer.role)
    inv = protection(store)
    with _lock:
        per_role = inv.redactors
        red = per_role.get(role)
        if red is None:
            red = per_role[role] = Redactor(inv, role)
    return red


def require_visible(store, viewer: Viewer, *ids: str | None) -> None:
    """NotFound, worded like an unknown id, when ``viewer`` may not name one of ``ids``
    (a hidden element, or a protected person: never found by their id)."""
    if Role(viewer.role) is Role.admin:
        return
    red = redactor(store, viewer)
    for i in ids:
        if i and red.unseen(i):
            from .service import NotFound

            raise NotFound(f"no entity with id {i!r}")


# --------------------------------------------------------------------------- pseudonyms

_numbers: dict[Role, dict[str, int]] = {}
_numbers_lock = threading.Lock()


def opaque_id(role: Role, element_id: str) -> str:
    """``protected-`` and 16 hex digits of HMAC-SHA256(per-process secret, role | id)."""
    digest = hmac.new(_SECRET, f"{role.value}|{element_id}".encode(), hashlib.sha256).hexdigest()
    return OPAQUE_PREFIX + digest[:16]


def pseudonym(role: Role, element_id: str) -> str:
    """"Protected person N": N counts the protected persons this process has shown to
    ``role``, in the order it first showed them (stable for the process's life)."""
    with _numbers_lock:
        numbers = _numbers.setdefault(role, {})
        n = numbers.get(element_id)
        if n is None:
            n = numbers[element_id] = len(numbers) + 1
    return f"Protected person {n}"


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


#: Fields a pseudonymised node keeps (with id and name replaced); every other field is emptied.
PSEUDONYM_KEEPS = frozenset({"id", "label", "name", "confidentiality", "rank", "degree", "degree_centrality", "betweenness"})
#: Fields holding ids: only protected ids are replaced in them (an id stays usable). An id
#: of a public element that contains a word of a protected name is left as it is:
#: curators keep names of protected persons out of the ids of public elements.
ID_FIELDS = frozenset({"id", "source", "target", "below", "via", "via_organization", "via_position", "becauseOf",
                       "from", "to"})
#: Fields never masked (vocabularies, dates, numbers as text).
UNMASKED_FIELDS = frozenset({"label", "type", "confidentiality", "direction", "kind", "date", "valid_from", "valid_to",
                             "half_year", "date_from", "date_to", "period_start", "period_end", "by"})


class Redactor:
    """What one role may see of one inventory (see the module docstring)."""

    def __init__(self, protection: Protection, role: Role):
        self.role = role
        self.clearance = rank(CLEARANCE[role].value)
        above = {i: v for i, v in protection.nodes.items() if rank(v[1]) > self.clearance}
        self.protection = protection
        #: persons above the clearance -> (opaque id, pseudonym)
        self.persons = {i: (opaque_id(role, i), None) for i, v in above.items() if v[0] == "Person"}
        #: other nodes above the clearance: hidden
        self.hidden = {i for i, v in above.items() if v[0] != "Person"}
        self.hidden_relationships = {i for i, lv in protection.relationships.items() if rank(lv) > self.clearance}
        self.id_map = {i: o for i, (o, _) in self.persons.items()} | dict.fromkeys(self.hidden, WITHHELD)
        self.issued = {o for o, _ in self.persons.values()}
        # names -> replacement, indexed by first folded word; longest sequences first
        self.sequences: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.person_words: dict[str, str] = {}
        for i, (label, _, names) in above.items():
            for name in names:
                words = tuple(_words(name))
                if not words:
                    continue
                self.sequences.setdefault(words[0], []).append((words, i))
                if label == "Person":
                    for w in words:
                        if len(w) >= 3 and not w.isdigit() and w not in protection.public_words:
                            self.person_words.setdefault(w, i)
        for seqs in self.sequences.values():
            seqs.sort(key=lambda s: -len(s[0]))
        #: every folded word a mask could start at: a quick "nothing to mask here" test
        self.trigger_words = frozenset(self.sequences) | frozenset(self.person_words)
        #: every word of every protected name, for "can this query touch a masked name?"
        self._name_blob = "|".join(sorted({w for seqs in self.sequences.values() for words, _ in seqs for w in words}))
        #: ids the caller may not name (hidden, or protected persons)
        self.unseen_ids = frozenset(self.hidden) | frozenset(self.persons)
        self._masked: dict[str, str] = {}
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

    def opaque(self, node_id: str) -> str:
        return self.id_map.get(node_id, node_id)

    def pseudonym(self, person_id: str) -> str:
        return pseudonym(self.role, person_id)

    # ----------------------------------------------------------------- text

    def mask_ids(self, text: str) -> str:
        """``text`` with protected ids (whole, or parts of a relationship id or a URL) replaced."""
        if text in self.id_map:
            return self.id_map[text]
        if ("-" in text or ":" in text or "/" in text) and not self.id_map.keys().isdisjoint(_ID_TOKEN.findall(text)):
            text = _ID_TOKEN.sub(lambda m: self.id_map.get(m.group(0), m.group(0)), text)
        return text

    def mask(self, text: str) -> str:
        """``text`` with protected ids, names and name words replaced (memoised: answers
        repeat the same names, titles and quotes)."""
        if not self.active or not text:
            return text
        done = self._masked.get(text)
        if done is None:
            if len(self._masked) > 100_000:
                self._masked.clear()
            done = self._masked[text] = self._mask(text)
        return done

    def _mask(self, text: str) -> str:
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
                    out.append(self._name_for(pid))
                    pos = matches[k + size - 1].end()
                    k += size
                    replaced = True
                    break
            if replaced:
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

    def _walk(self, value: Any, shown: set[str], name: str | None) -> Any:
        if isinstance(value, str):
            if name in UNMASKED_FIELDS or not self.active:
                return value
            r = self.mask_ids(value) if name in ID_FIELDS else self.mask(value)
            return value if r == value else r
        if isinstance(value, BaseModel):
            return self._model(value, shown)
        if isinstance(value, list):
            out = []
            same = True
            for v in value:
                r = self._walk(v, shown, name)
                if r is not _HIDE:
                    out.append(r)
                same = same and r is v
            return value if same else out  # unchanged: the same list (no copy)
        if isinstance(value, tuple):
            return tuple(r for r in (self._walk(v, shown, name) for v in value) if r is not _HIDE)
        if isinstance(value, dict):
            out_d = {}
            same = True
            for k, v in value.items():
                r = self._walk(v, shown, k)
                key = k if not isinstance(k, str) or self.mask(k) == k else self.mask(k)
                if r is not _HIDE:
                    out_d[key] = r
                same = same and r is v and key is k
            return value if same else out_d
        return value

    def _model(self, m: BaseModel, shown: set[str]) -> Any:
        fields = type(m).model_fields
        if isinstance(m, CitationOut):
            if m.source in self.hidden:
                return _HIDE
        elif _is_node(type(m)):
            ident = m.id
            if rank(getattr(m, "link_confidentiality", None)) > self.clearance:
                return _HIDE  # shown through a link the caller may not see (a victim's targeting)
            if ident in self.issued:
                return m
            level = self.level_of(ident, getattr(m, "confidentiality", None))
            if level > self.clearance:
                if ident in self.persons:
                    return self._pseudonymised(m, fields)
                return _HIDE
            if level:
                shown.add(ident)
        elif isinstance(m, RELATIONSHIP_MODELS):
            rel_id = getattr(m, "id", None)
            level = self.level_of(rel_id, getattr(m, "confidentiality", None))
            if level > self.clearance:
                return _HIDE
            for end in ("source", "target", "below", "via_organization", "via_position", "via"):
                if getattr(m, end, None) in self.hidden:
                    return _HIDE
            if level and rel_id:
                shown.add(rel_id)
        elif rank(getattr(m, "confidentiality", None)) > self.clearance:
            return _HIDE  # any other fact with its own level above the clearance (a relative link, a sanction, an allegation)
        values = {}
        same = True
        for fname in fields:
            v = getattr(m, fname)
            r = self._walk(v, shown, fname)
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

__all__ = ["HIDE", "Protection", "Redactor", "WITHHELD", "forget", "opaque_id", "protection", "pseudonym", "rank",
           "redactor", "require_visible"]
