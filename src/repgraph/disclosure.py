"""The one place every answer passes on its way out (API, CLI, views, exports).

Who is asking is a :class:`Viewer`: a name and a :class:`Role`. Each role has a clearance,
the highest confidentiality it may see (``viewer`` -> public, ``analyst`` -> restricted,
``admin`` -> confidential). Redaction of what lies above the clearance, and the
pseudonymisation of protected persons, happen inside :func:`disclose`, never in a route or
a command.

Listeners (:func:`add_listener`) are told, after each disclosure, which protected
(restricted or confidential) element ids the viewer was shown: the audit log subscribes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from .ontology import Confidentiality

T = TypeVar("T")


class Role(StrEnum):
    """What a user may see and do: ``viewer`` public data; ``analyst`` public and
    restricted; ``admin`` everything, and writes."""

    viewer = "viewer"
    analyst = "analyst"
    admin = "admin"


#: The highest confidentiality each role may see.
CLEARANCE: dict[Role, Confidentiality] = {
    Role.viewer: Confidentiality.public,
    Role.analyst: Confidentiality.restricted,
    Role.admin: Confidentiality.confidential,
}


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a user name and a role (whose clearance bounds what they see)."""

    name: str = "anonymous"
    role: Role = Role.admin

    @property
    def clearance(self) -> Confidentiality:
        return CLEARANCE[Role(self.role)]


#: The CLI's viewer: the admin on their own machine, reading their own store.
DEFAULT_VIEWER = Viewer()

Listener = Callable[[Viewer, Iterable[str]], None]
_listeners: list[Listener] = []


def add_listener(listener: Listener) -> None:
    """Call ``listener(viewer, protected_ids)`` after each disclosure that showed the viewer
    restricted or confidential elements (the audit log)."""
    _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    _listeners.remove(listener)


def notify(viewer: Viewer, protected_ids: Iterable[str]) -> None:
    ids = sorted(set(protected_ids))
    if ids:
        for listener in list(_listeners):
            listener(viewer, ids)


def disclose(result: T, viewer: Viewer = DEFAULT_VIEWER) -> T:
    """Return what ``viewer`` may see of ``result`` (a result model or a list of them).

    The seam for redaction: currently the identity, for every viewer.
    """
    return result
