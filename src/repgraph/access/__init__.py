"""Who may use the API and what they did: users with hashed API keys, and the append-only
audit log, and the pseudonym registry (:mod:`.pseudonyms`), kept in a small SQLite file
beside the store (:mod:`.db`)."""

from __future__ import annotations

from . import audit
from .db import AccessDB, AccessError, access_db_path
from .pseudonyms import Pseudonyms
from .users import User, UserError, Users

__all__ = ["AccessDB", "AccessError", "Pseudonyms", "User", "UserError", "Users", "access_db_path", "audit"]
