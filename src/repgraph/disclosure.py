"""The one place every answer passes on its way out (API, CLI, views, exports).

Today every caller is treated alike and answers pass unchanged: the seed dataset is the
public report. Clearance (who may see ``restricted`` and ``confidential`` elements) and
the pseudonymisation of protected persons plug in here, inside :func:`disclose`, without
touching any route or command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from .ontology import Confidentiality

T = TypeVar("T")


@dataclass(frozen=True)
class Viewer:
    """Who is asking. ``clearance``: the highest confidentiality they may see."""

    name: str = "anonymous"
    clearance: Confidentiality = Confidentiality.confidential


DEFAULT_VIEWER = Viewer()


def disclose(result: T, viewer: Viewer = DEFAULT_VIEWER) -> T:
    """Return what ``viewer`` may see of ``result`` (a result model or a list of them).

    The seam for redaction: currently the identity, for every viewer.
    """
    return result
