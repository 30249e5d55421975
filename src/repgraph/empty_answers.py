"""Why an answer is empty: a sentence every exit (CLI table, CLI JSON, API) gives beside
an empty list, so "nothing found" is never read as "nothing happened" or "wrong query".
"""

from __future__ import annotations

from . import queries as Q
from .store import GraphStore


def guilt_by_association_note(store: GraphStore, defender_id: str | None = None, viewer=None) -> str:
    """Why :func:`repgraph.service.guilt_by_association` found nobody (call it when it did
    not): no targeting with basis ``guilt_by_association`` at all, or targetings whose
    targets no ``FAMILY_OF`` link ties to a defender (or to ``defender_id``). For a
    ``viewer`` without full clearance the same sentence whatever the store holds (such
    targetings default to ``restricted``: whether any exist is not theirs to learn)."""
    from .disclosure import Role

    if viewer is not None and Role(viewer.role) is not Role.admin:
        return ("no guilt-by-association entry you may see: entries above your clearance are neither shown nor counted "
                "(such targetings are restricted by default)")
    rows = store.read(Q.GUILT_BY_ASSOCIATION_TARGETINGS)
    targetings = int(rows[0]["total"]) if rows else 0
    if not targetings:
        return ("no TARGETED relationship with basis guilt_by_association is in the store: no source recorded here "
                "names a relative targeted because of a defender's work")
    whom = f"defender {defender_id}" if defender_id else "a defender"
    return (f"{targetings} TARGETED relationship{'s' if targetings != 1 else ''} with basis guilt_by_association "
            f"{'are' if targetings != 1 else 'is'} in the store, but no FAMILY_OF link ties {'their' if targetings != 1 else 'its'} "
            f"target to {whom}")


def _below_admin(viewer) -> bool:
    from .disclosure import Role

    return viewer is not None and Role(viewer.role) is not Role.admin


def no_perpetrator_note(viewer=None, of: str = "this incident") -> str:
    """Why a responsibility chain (or a law's or operation's incidents, ``of="these
    incidents"``) shows no perpetrator. For a ``viewer`` without full clearance it never
    says the sources name none: a perpetrator link above their level is hidden, and "the
    sources name no perpetrator" would clear whoever it names."""
    if _below_admin(viewer):
        return (f"no perpetrator of {of} you may see: links above your clearance are neither shown "
                "nor counted (the sources may name one)")
    return f"no perpetrator of {of} is named in the sources"


def no_incident_note(viewer=None, what: str = "operation") -> str:
    """Why a law or an operation shows no incident; as :func:`no_perpetrator_note`, a
    ``viewer`` without full clearance is never told that none is linked in the store."""
    if _below_admin(viewer):
        return (f"no incident linked to this {what} that you may see: incidents above your clearance are "
                "neither shown nor counted")
    return f"no incident is linked to this {what} in the sources"


def no_victim_note(viewer=None) -> str:
    """Why a responsibility chain shows no victim; as :func:`no_perpetrator_note`, a
    ``viewer`` without full clearance is never told the sources name none (protected
    victims, relatives by default, are hidden from them)."""
    if _below_admin(viewer):
        return ("no victim of this incident you may see: victims above your clearance are neither shown "
                "nor counted (the sources may name one)")
    return "the sources name no victim of this incident"
