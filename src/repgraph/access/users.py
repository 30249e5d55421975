"""Users and their API keys.

A key reads ``rg_<key id>_<secret>``: the key id (12 hex digits, public, shown by
``repgraph users list``) finds the user in one indexed lookup; the whole key is then
checked against its argon2id hash (argon2-cffi, constant-time), so verifying costs one
argon2 check. An unknown key id is refused without hashing (the id is public anyway), so
random keys cost the server nothing. Keys are never stored, only their hashes; a new
key is shown once.

A verified key is remembered for the process's life as its SHA-256 digest under the
stored hash (salted, so unique per key), compared in constant time, so a client's later
requests skip argon2; the user row (role, revocation) is still read on every request, so
``repgraph users revoke`` takes effect at once, also in a running server. The API checks a
remembered key on its event loop (:meth:`Users.verify_known`: one indexed read on a
reading connection of its own that never waits) and only a new key in a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..disclosure import Role, Viewer
from .db import AccessDB

KEY_PATTERN = re.compile(r"^rg_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

_hasher = PasswordHasher()
#: Stored hash -> SHA-256 of the key that matched it (process-wide; see the module docstring).
_verified: dict[str, bytes] = {}
_verified_lock = threading.Lock()
#: What :meth:`Users.verify_known` answers when only :meth:`Users.verify` can tell.
UNDECIDED = object()


class UserError(ValueError):
    """A user command cannot be carried out (unknown name, name taken, bad name)."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    key_id: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _user(row) -> User:
    return User(row["name"], Role(row["role"]), row["key_id"], row["created_at"], row["revoked_at"])


class Users:
    """Users of one access file: add (returns the key once), list, revoke, verify."""

    def __init__(self, db: AccessDB):
        self.db = db

    def add(self, name: str, role: Role | str) -> tuple[User, str]:
        """Create ``name`` with ``role``; returns the user and the key (shown once, stored
        hashed). UserError when the name is malformed or already taken (even revoked:
        names in the audit log stay unambiguous)."""
        if not NAME_PATTERN.match(name):
            raise UserError(f"user name {name!r}: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
        role = Role(role)
        if self.db.execute("SELECT 1 FROM users WHERE name = ?", (name,)):
            raise UserError(f"user {name!r} exists (names are never reused; choose another)")
        key_id = secrets.token_hex(6)
        key = f"rg_{key_id}_{secrets.token_urlsafe(32)}"
        created = _now()
        self.db.execute("INSERT INTO users(name, role, key_id, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                        (name, role.value, key_id, _hasher.hash(key), created))
        return User(name, role, key_id, created, None), key

    def list(self) -> list[User]:
        """Every user, active and revoked, by name."""
        return [_user(r) for r in self.db.execute("SELECT * FROM users ORDER BY name")]

    def revoke(self, name: str) -> User:
        """Revoke ``name``'s key (effective at once). UserError when unknown or already revoked."""
        rows = self.db.execute("SELECT * FROM users WHERE name = ?", (name,))
        if not rows:
            raise UserError(f"no user {name!r}")
        if rows[0]["revoked_at"]:
            raise UserError(f"user {name!r} was already revoked on {rows[0]['revoked_at']}")
        self.db.execute("UPDATE users SET revoked_at = ? WHERE name = ?", (_now(), name))
        return _user(self.db.execute("SELECT * FROM users WHERE name = ?", (name,))[0])

    def verify_known(self, key: str) -> Viewer | None | object:
        """:meth:`verify` when it needs no argon2 check and no wait: the viewer of a key
        verified before in this process (its user row read now: role and revocation as
        they are), None for a malformed key or an unknown key id; :data:`UNDECIDED` when
        only :meth:`verify` can tell (a key not verified yet, or the access file busy).
        Cheap enough for the API's event loop (one indexed read, no lock, no wait)."""
        match = KEY_PATTERN.match(key)
        if not match:
            return None
        rows = self.db.read_nowait("SELECT * FROM users WHERE key_id = ?", (match.group(1),))
        if rows is None:
            return UNDECIDED
        if not rows:
            return None
        row = rows[0]
        with _verified_lock:
            known = _verified.get(row["key_hash"])
        if known is None or not hmac.compare_digest(known, hashlib.sha256(key.encode()).digest()):
            return UNDECIDED
        return None if row["revoked_at"] else Viewer(name=row["name"], role=Role(row["role"]))

    def verify(self, key: str) -> Viewer | None:
        """The viewer a key stands for, or None (malformed, unknown, wrong or revoked key)."""
        match = KEY_PATTERN.match(key)
        if not match:
            return None
        rows = self.db.execute("SELECT * FROM users WHERE key_id = ?", (match.group(1),))
        if not rows:
            return None
        row = rows[0]
        stored = row["key_hash"]
        digest = hashlib.sha256(key.encode()).digest()
        with _verified_lock:
            known = _verified.get(stored)
        if not (known is not None and hmac.compare_digest(known, digest)):
            try:
                _hasher.verify(stored, key)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            with _verified_lock:
                _verified[stored] = digest
        if row["revoked_at"]:
            return None
        return Viewer(name=row["name"], role=Role(row["role"]))
