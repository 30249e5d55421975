"""The chain-of-command figure as a static, self-contained SVG (no script, no fetch).

Three rows: superiors and their holders on top, the person and their posts in the
middle, subordinates and their holders below. Every text is XML-escaped and on one line.
"""

from __future__ import annotations

from textwrap import shorten
from xml.sax.saxutils import escape

from .model import ChainFigure

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 210, 46, 24, 70, 20
FILL = {"subject": "#0072B2", "post": "#E69F00", "superior": "#5B3A00", "subordinate": "#6F8F8F", "holder": "#56B4E9"}
INK = {"subject": "#ffffff", "post": "#000000", "superior": "#ffffff", "subordinate": "#ffffff", "holder": "#000000"}


def _attr(text: str) -> str:
    """``text`` XML-escaped on one line: the SVG sits in the Markdown dossier as an HTML
    block, which a blank line ends; a name holding one would turn what follows it into
    live Markdown (links, forged footnotes)."""
    return escape(" ".join(str(text).split()), {'"': "&quot;"})


def figure_svg(fig: ChainFigure) -> str:
    """SVG text of the figure (empty figure: a one-line note)."""
    rows: dict[int, list] = {0: [], 1: [], 2: []}
    for n in fig.nodes:
        rows[n.layer].append(n)
    width = max(len(r) for r in rows.values()) * (BOX_W + GAP_X) - GAP_X + 2 * PAD
    used = [layer for layer in (0, 1, 2) if rows[layer]]
    pos: dict[str, tuple[float, float]] = {}
    for row_index, layer in enumerate(used):
        items = rows[layer]
        span = len(items) * (BOX_W + GAP_X) - GAP_X
        x0 = (width - span) / 2
        for i, n in enumerate(items):
            pos[n.id] = (x0 + i * (BOX_W + GAP_X), PAD + row_index * (BOX_H + GAP_Y))
    height = PAD * 2 + len(used) * BOX_H + (len(used) - 1) * GAP_Y
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="chain of command" font-family="sans-serif" font-size="12">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>']
    for e in fig.edges:
        if e.source not in pos or e.target not in pos:
            continue
        (sx, sy), (tx, ty) = pos[e.source], pos[e.target]
        if abs(sy - ty) < 1:
            x1, y1 = (sx + BOX_W, sy + BOX_H / 2) if sx < tx else (sx, sy + BOX_H / 2)
            x2, y2 = (tx, ty + BOX_H / 2) if sx < tx else (tx + BOX_W, ty + BOX_H / 2)
        else:
            x1, y1 = sx + BOX_W / 2, (sy if sy > ty else sy + BOX_H)
            x2, y2 = tx + BOX_W / 2, (ty + BOX_H if sy > ty else ty)
        dates = f" {e.valid_from or '?'} – {e.valid_to or '?'}" if (e.valid_from or e.valid_to) else ""
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#444" stroke-width="1.5" '
                   f'marker-end="url(#arrow)"><title>{_attr(e.type + dates)}</title></line>')
    for n in fig.nodes:
        x, y = pos[n.id]
        name = n.name or n.id
        out.append(f'<g><title>{_attr(f"{name} ({n.role})")}</title>'
                   f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{FILL[n.role]}"/>'
                   f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" fill="{INK[n.role]}">{_attr(shorten(name, 32, placeholder="…"))}</text>'
                   f'<text x="{x + 8:.0f}" y="{y + 35:.0f}" fill="{INK[n.role]}" font-size="10">{_attr(n.role + " · " + (n.label or ""))}</text></g>')
    out.append("</svg>")
    return "\n".join(out)
