"""The one place every answer passes on its way out (API, CLI, views, exports).

Who is asking is a :class:`Viewer`: a name and a :class:`Role`. Each role has a clearance,
the highest confidentiality it may see (``viewer`` -> public, ``analyst`` -> restricted,
``admin`` -> confidential). Redaction of what lies above the clearance, and the
pseudonymisation of protected persons, happen inside :func:`disclose`, never in a route or
a command.

Listeners (:func:`add_listener`) are told, after each disclosure, which protected
(restricted or confidential) element ids the viewer was shown; refusal listeners
(:func:`add_refusal_listener`), which ids a viewer asked for and was answered as for an
unknown id: the audit log subscribes to both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

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


def _tell(listeners: list, viewer: Viewer, ids: Iterable[str]) -> None:
    """Call each of ``listeners`` with ``viewer`` and the sorted distinct ``ids``, if any."""
    ids = sorted({i for i in ids if i})  # a derived item has no id: nothing to name
    if ids:
        for listener in list(listeners):
            listener(viewer, ids)


def notify(viewer: Viewer, protected_ids: Iterable[str]) -> None:
    """Tell the listeners which restricted or confidential ids ``viewer`` was shown."""
    _tell(_listeners, viewer, protected_ids)


RefusalListener = Callable[[Viewer, Iterable[str]], None]
_refusal_listeners: list[RefusalListener] = []


def add_refusal_listener(listener: RefusalListener) -> None:
    """Call ``listener(viewer, ids)`` when ``viewer`` named ids they may not see and was
    answered as for an unknown id (the audit log records the probe)."""
    _refusal_listeners.append(listener)


def refused(viewer: Viewer, ids: Iterable[str]) -> None:
    """Tell the refusal listeners that ``viewer`` asked for ``ids`` and was refused."""
    _tell(_refusal_listeners, viewer, ids)


def disclose(result: T, viewer: Viewer = DEFAULT_VIEWER, store: Any = None) -> T:
    """Return what ``viewer`` may see of ``result`` (a result model, or a list of them),
    read from ``store``.

    Below full clearance, protected persons become pseudonyms with opaque ids, elements
    above the viewer's level are hidden, and protected names and ids are masked in every
    string (:mod:`repgraph.redaction`); counts are left as they are. An answer with an
    ``after_disclosure()`` method (the dossier: its sanctions gap) is then given the chance
    to work out again what it summarises from what is left. Listeners are told
    which restricted or confidential elements were shown. Raises
    :class:`~repgraph.service.NotFound` when nothing of ``result`` may be shown (the
    element asked for is hidden from the viewer: answered like an unknown id), and
    RuntimeError when a viewer without full clearance is given no store (fail closed).
    """
    full = Role(viewer.role) is Role.admin
    if full and not _listeners:
        return result
    if store is None:
        if full:
            return result
        raise RuntimeError("disclose: a viewer without full clearance needs the store the answer came from")
    from .redaction import HIDE, redactor

    red = redactor(store, viewer)
    shown: set[str] = set()
    out = red.redact(result, shown)
    ident = getattr(result, "id", None)
    if out is HIDE or (ident is not None and red.unseen(ident)):
        from .service import NotFound

        raise NotFound(f"no entity with id {ident!r}" if ident else "nothing here may be shown at your clearance")
    # an answer summarising its own parts (a dossier's sanctions gap) works it out again
    # from the parts the viewer may see
    finish = getattr(out, "after_disclosure", None)
    if callable(finish):
        out = finish()
    notify(viewer, shown)
    return out
