"""How each node label and relationship type looks, derived from the ontology.

Every label of :data:`repgraph.ontology.NODE_MODELS` and every type of
:data:`repgraph.ontology.REL_MODELS` gets a fixed style, the same in every view, so an
analyst learns the legend once. Colours are distinct per label (Okabe-Ito and Tol
palettes, readable by most colour-blind viewers); shapes repeat only between labels of
clearly different colours. A label added to the ontology without an entry here still
gets a distinct fallback style (and a test says it should get a chosen one).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ontology import NODE_MODELS, REL_MODELS


@dataclass(frozen=True)
class NodeStyle:
    label: str
    color: str
    shape: str  # a vis-network shape whose label is drawn below it
    description: str


@dataclass(frozen=True)
class EdgeStyle:
    type: str
    color: str
    dashes: bool = False
    width: float = 1.5
    derived: bool = False  # drawn by a view, not stored (e.g. an organization's head)
    description: str = ""


_CHOSEN_NODES: dict[str, tuple[str, str, str]] = {
    "Person": ("#0072B2", "dot", "person (defender, relative, official, witness)"),
    "Organization": ("#D55E00", "square", "organization (state body, NGO, international body)"),
    "Position": ("#E69F00", "triangle", "post held in an organization"),
    "Incident": ("#CC3311", "diamond", "incident: what was done to whom, when"),
    "Law": ("#7B3294", "hexagon", "law applied"),
    "Operation": ("#AA3377", "star", "operation"),
    "Country": ("#009E73", "triangleDown", "country"),
    "Place": ("#56B4E9", "triangleDown", "place (city, border area)"),
    "Source": ("#777777", "square", "source document"),
    "Statistic": ("#B8A000", "hexagon", "sourced aggregate figure"),
    "Sanction": ("#222222", "star", "sanction"),
    "Proceeding": ("#332288", "square", "judicial or quasi-judicial proceeding (indictment, finding, acquittal)"),
    "Exculpation": ("#117733", "dot", "information against an allegation (denial, acquittal, delisting)"),
}

_FALLBACK_COLORS = ["#44AA99", "#882255", "#117733", "#332288", "#999933", "#661100", "#6699CC"]

_CHOSEN_EDGES: dict[str, tuple[str, bool, float]] = {
    "TARGETED": ("#CC3311", False, 2.0),
    "PERPETRATED_BY": ("#7A1B0C", False, 2.5),
    "FAMILY_OF": ("#7B3294", True, 1.5),
    "HOLDS": ("#E69F00", False, 2.0),
    "IN": ("#B07C00", True, 1.2),
    "REPORTS_TO": ("#5B3A00", False, 2.5),
    "MEMBER_OF": ("#D55E00", True, 1.5),
    "APPLIED_LAW": ("#7B3294", False, 1.5),
    "PART_OF": ("#AA3377", False, 1.5),
    "OCCURRED_IN": ("#6F8F8F", True, 1.0),
    "LOCATED_IN": ("#56B4E9", True, 1.0),
    "EXILED_TO": ("#009E73", False, 2.5),
    "SANCTIONED": ("#222222", False, 1.5),
    "DOCUMENTED_IN": ("#AAAAAA", True, 0.8),
    "CONCERNS": ("#332288", False, 1.5),
    "WEAKENS": ("#117733", True, 2.0),
    "ASSOCIATE_OF": ("#0072B2", True, 1.2),
    "CONTROLS": ("#8C510A", False, 2.0),
    "OWNS": ("#666666", False, 1.5),
    "ACTING_FOR": ("#D55E00", True, 1.5),
    "APPOINTED_BY": ("#B07C00", False, 1.5),
    "REMOVED_BY": ("#B07C00", True, 1.5),
}

#: Relationships the views draw without storing them.
DERIVED_EDGES: dict[str, EdgeStyle] = {
    "COMMANDS": EdgeStyle("COMMANDS", "#5B3A00", dashes=True, width=2.0, derived=True,
                          description="heads the organization at the incident's date (holds its head post)"),
    "VIA": EdgeStyle("VIA", "#56B4E9", dashes=True, width=1.5, derived=True,
                     description="left through this place (exile route)"),
}


def _node_styles() -> dict[str, NodeStyle]:
    out: dict[str, NodeStyle] = {}
    spare = iter(_FALLBACK_COLORS)
    for label, model in NODE_MODELS.items():
        if label in _CHOSEN_NODES:
            color, shape, text = _CHOSEN_NODES[label]
        else:
            color, shape, text = next(spare, "#999999"), "dot", (model.__doc__ or label).strip().splitlines()[0]
        out[label] = NodeStyle(label, color, shape, text)
    return out


def _edge_styles() -> dict[str, EdgeStyle]:
    out: dict[str, EdgeStyle] = {}
    for rel_type, model in REL_MODELS.items():
        color, dashes, width = _CHOSEN_EDGES.get(rel_type, ("#888888", False, 1.5))
        doc = (model.__doc__ or "").strip().splitlines()
        out[rel_type] = EdgeStyle(rel_type, color, dashes, width, description=doc[0] if doc else "")
    out.update(DERIVED_EDGES)
    return out


#: Style of every node label of the ontology.
NODE_STYLES: dict[str, NodeStyle] = _node_styles()
#: Style of every relationship type of the ontology, and of the derived ones.
EDGE_STYLES: dict[str, EdgeStyle] = _edge_styles()

UNKNOWN_NODE = NodeStyle("?", "#999999", "dot", "unknown label")
UNKNOWN_EDGE = EdgeStyle("?", "#999999")

#: The first colours of "colour by community" (Paul Tol's bright and vibrant schemes);
#: later communities get generated hues (:func:`community_color`), so colours never repeat.
COMMUNITY_COLORS = [
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377",
    "#BBBBBB", "#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#009988",
]
#: Colour of the nodes in communities of one (grouped in the legend, not coloured one by one).
SINGLETON_COLOR = "#d0d4d8"


def community_color(index: int) -> str:
    """The colour of community ``index`` (0-based): the fixed palette, then hues stepped by
    the golden angle with alternating lightness, so no two communities share a colour.

    >>> community_color(0), community_color(12) != community_color(24)
    ('#4477AA', True)
    """
    if index < len(COMMUNITY_COLORS):
        return COMMUNITY_COLORS[index]
    k = index - len(COMMUNITY_COLORS)
    hue = (k * 137.508 + 20) % 360
    lightness = (38, 52, 66)[k % 3]
    return f"hsl({hue:.1f}, 70%, {lightness}%)"


def node_style(label: str | None) -> NodeStyle:
    return NODE_STYLES.get(label or "", UNKNOWN_NODE)


def edge_style(rel_type: str) -> EdgeStyle:
    return EDGE_STYLES.get(rel_type, UNKNOWN_EDGE)
