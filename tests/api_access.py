"""Real users and keys for API tests (never a mocked viewer).

``keyed_app(store)`` builds the API over ``store`` with an access file holding one real
user per role (keys made by :class:`repgraph.access.Users`, hashed with argon2);
``client_for(store, role)`` is a TestClient sending that role's key, on a loopback host
(the API answers loopback ``Host`` names only). Without ``access=`` the apps share one
access file made once per test session (argon2 is deliberately slow); tests of the audit
log pass their own.
"""

from __future__ import annotations

import functools
import tempfile
import warnings
from pathlib import Path

with warnings.catch_warnings():  # starlette's TestClient announces a move to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from repgraph.access import AccessDB, Users
from repgraph.api import create_app

BASE_URL = "http://127.0.0.1"
ROLES = ("viewer", "analyst", "admin")


def new_access(directory: Path | None = None) -> AccessDB:
    directory = Path(directory or tempfile.mkdtemp(prefix="repgraph-test-access-"))
    return AccessDB(directory / "test.access.db")


def add_user(access: AccessDB, role: str, name: str | None = None) -> str:
    """A real user of ``role`` (named ``<role>-user`` unless given); returns their key."""
    return Users(access).add(name or f"{role}-user", role)[1]


@functools.cache
def shared_access() -> tuple[AccessDB, dict[str, str]]:
    access = new_access()
    return access, {role: add_user(access, role) for role in ROLES}


def keyed_app(store, access: AccessDB | None = None, **kwargs):
    """(app, {role: key}) over ``store`` with one user per role."""
    if access is None:
        access, keys = shared_access()
    else:
        keys = {role: add_user(access, role) for role in ROLES}
    return create_app(store=store, access=access, **kwargs), keys


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def client_for(store, role: str = "admin", **kwargs) -> TestClient:
    """A TestClient over ``store`` sending a real key of ``role``."""
    app, keys = keyed_app(store, **kwargs)
    return TestClient(app, base_url=BASE_URL, headers=bearer(keys[role]))
