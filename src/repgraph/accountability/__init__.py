"""Accountability questions for sanctions advocacy (issue 11): sanctions over time and
the gap between authorities, relatives and associates of sanctioned or accused persons,
command responsibility per post, evidence strength and exculpatory information.

A layer beside :mod:`repgraph.service` and under the dossier and the routes: each function
takes a :class:`~repgraph.store.GraphStore`, runs named Cypher from :mod:`repgraph.queries`
and returns models of :mod:`repgraph.accountability.models`.
"""

from .associates import relatives_and_associates
from .command import command_responsibility
from .evidence import evidence_strength, exculpatory_for
from .sanctions import sanctioned_as_of, sanctions_gap, sanctions_of

__all__ = [
    "sanctions_of", "sanctioned_as_of", "sanctions_gap", "relatives_and_associates",
    "command_responsibility", "evidence_strength", "exculpatory_for",
]
