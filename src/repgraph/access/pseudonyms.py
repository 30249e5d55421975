"""The pseudonym registry: what makes a viewer's opaque ids and pseudonym numbers the same
in every process and after every restart serving one store.

Redaction (:mod:`repgraph.redaction`) shows a protected person to a caller below their
level as "Protected person N" under an opaque id ``protected-<16 hex>`` (an HMAC of the
role and the id under a secret), and an element whose id names a protected person under
an opaque id of the same scheme. Three things make those stable:

- the **secret** (32 random bytes) the opaque ids are computed under;
- the **numbers** N, per role and person id (1, 2, 3, ... in the order persons were
  first shown to that role);
- the **masked ids**: opaque id -> (role, real id) of the elements shown under an opaque id
  because their id names a protected person (how the opaque id is accepted back as input).

:class:`Pseudonyms` keeps them in the access file (:mod:`.db`, tables ``pseudonym_secret``,
``pseudonyms``, ``masked_ids``): never in the graph, so an export or a Cypher console
never shows them, and shared by every process over the same access file (the workers of
``repgraph serve --workers N``, a restarted server, each CLI command). A new access file
means a new secret: every opaque id and number changes.

Each process caches what it has read or assigned; the access file is asked only on a
miss (a person not yet numbered in this process, an opaque id not yet seen here), so a
request about persons already known costs dict lookups. The file is opened only on the
first miss (an admin, who sees everything, never causes one).

:data:`LOCAL` is the registry of a store no access file is attached to (library use, a
:class:`~repgraph.redaction.Redactor` built directly): the same interface, kept in this
process's memory only (ids and numbers then hold for the process's life).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

from .db import AccessDB

#: Prefix of opaque ids (never derived from the name or the id).
OPAQUE_PREFIX = "protected-"

_NEW_SECRET = "INSERT OR IGNORE INTO pseudonym_secret (id, secret) VALUES (1, ?)"
_SECRET = "SELECT secret FROM pseudonym_secret WHERE id = 1"
#: One statement: SQLite runs it under the file's write lock, so two processes numbering
#: persons at once never take the same N (and UNIQUE(role, n) would refuse it if they did).
_NEW_NUMBER = ("INSERT OR IGNORE INTO pseudonyms (role, element_id, n) "
               "SELECT ?, ?, COALESCE(MAX(n), 0) + 1 FROM pseudonyms WHERE role = ?")
_NUMBER = "SELECT n FROM pseudonyms WHERE role = ? AND element_id = ?"
_NEW_MASKED = "INSERT OR IGNORE INTO masked_ids (opaque, role, element_id) VALUES (?, ?, ?)"
_MASKED = "SELECT role, element_id FROM masked_ids WHERE opaque = ?"


class Pseudonyms:
    """Secret, numbers and masked ids of one access file (``db``), or of this process's
    memory only when ``db`` is None. Thread-safe; reads of known values take no lock.

    Every method that may read the access file raises :class:`~repgraph.access.AccessError`
    when it cannot be opened or written (the caller withholds the answer)."""

    def __init__(self, db: AccessDB | None = None):
        self.db = db
        self._secret: bytes | None = None if db is not None else secrets.token_bytes(32)
        self._numbers: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = {}  # in memory only: persons numbered per role
        self._masked: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def secret(self) -> bytes:
        """The 32-byte secret of opaque ids: created once per access file (the first
        process to ask writes it; every other reads that one)."""
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    # read first: a file that holds its secret answers even when it cannot be written
                    rows = self.db.execute(_SECRET)
                    if not rows:
                        self.db.execute(_NEW_SECRET, (secrets.token_bytes(32),))
                        rows = self.db.execute(_SECRET)
                    self._secret = bytes(rows[0]["secret"])
        return self._secret

    def opaque_id(self, role: str, element_id: str) -> str:
        """``protected-`` and 16 hex digits of HMAC-SHA256(secret, ``role|element_id``)."""
        digest = hmac.new(self.secret(), f"{role}|{element_id}".encode(), hashlib.sha256).hexdigest()
        return OPAQUE_PREFIX + digest[:16]

    def number(self, role: str, element_id: str) -> int:
        """N of "Protected person N" for ``element_id`` shown to ``role``: the one already
        given, else the next free number of that role (1 for the first)."""
        key = (role, element_id)
        n = self._numbers.get(key)
        if n is not None:
            return n
        with self._lock:
            n = self._numbers.get(key)
            if n is None:
                n = self._numbers[key] = self._assign(role, element_id)
        return n

    def _assign(self, role: str, element_id: str) -> int:
        if self.db is None:
            n = self._counts[role] = self._counts.get(role, 0) + 1
            return n
        rows = self.db.execute(_NUMBER, (role, element_id))  # read first: written only when new
        if rows:
            return int(rows[0]["n"])
        for _ in range(20):
            self.db.execute(_NEW_NUMBER, (role, element_id, role))
            rows = self.db.execute(_NUMBER, (role, element_id))
            if rows:
                return int(rows[0]["n"])
            # another process took the same N between our statements' snapshots: try again
        raise RuntimeError(f"no pseudonym number could be assigned to a {role}'s person")  # pragma: no cover

    def remember_masked(self, opaque: str, role: str, element_id: str) -> None:
        """Record that ``role`` was shown ``element_id`` under ``opaque`` (written once)."""
        if opaque in self._masked:
            return
        if self.db is not None and not self.db.execute(_MASKED, (opaque,)):  # read first: written only when new
            self.db.execute(_NEW_MASKED, (opaque, role, element_id))
        self._masked[opaque] = (role, element_id)

    def masked(self, opaque: str) -> tuple[str, str] | None:
        """``(role, real id)`` behind an opaque id some process showed for a masked element,
        or None. Only ids starting with :data:`OPAQUE_PREFIX` are looked up in the file."""
        found = self._masked.get(opaque)
        if found is None and self.db is not None and opaque.startswith(OPAQUE_PREFIX):
            rows = self.db.execute(_MASKED, (opaque,))
            if rows:
                found = self._masked[opaque] = (rows[0]["role"], rows[0]["element_id"])
        return found


#: The registry of stores without an access file: this process's memory only.
LOCAL = Pseudonyms()
