"""HTML rendering of a dossier: one self-contained page (inline CSS and SVG, no script,
a Content-Security-Policy that forbids every fetch), footnotes linked both ways. Every
text from the data is HTML-escaped."""

from __future__ import annotations

from html import escape

from .document import Block, Document, Line, Mark, Strong

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f2f2f2}
sup a{text-decoration:none}figure{margin:1rem 0;overflow-x:auto}figcaption{font-style:italic;color:#555}
.subtitle{color:#555}ol.sources li{margin:.3rem 0}ol.sources q{font-style:italic}
"""


def _line(line: Line) -> str:
    out = []
    for part in line:
        if isinstance(part, Mark):
            out.append(f'<sup><a href="#fn-{part.n}" id="ref-{part.n}">[{part.n}]</a></sup>')
        elif isinstance(part, Strong):
            out.append(f"<strong>{escape(part.text)}</strong>")
        else:
            out.append(escape(part))
    return "".join(out)


def _block(b: Block) -> str:
    if b.kind in ("h2", "h3"):
        return f"<{b.kind}>{escape(b.text)}</{b.kind}>"
    if b.kind == "p":
        return "".join(f"<p>{_line(x)}</p>" for x in b.lines)
    if b.kind == "ul":
        return "<ul>" + "".join(f"<li>{_line(x)}</li>" for x in b.lines) + "</ul>"
    if b.kind == "table":
        head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
        body = "".join("<tr>" + "".join(f"<td>{_line(c)}</td>" for c in row) + "</tr>" for row in b.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if b.kind == "figure":
        return f'<figure id="chain-figure">{b.svg}<figcaption>{escape(b.text)}</figcaption></figure>'
    raise ValueError(f"unknown block {b.kind}")


def render_html(doc: Document) -> str:
    """The document as one HTML page that needs no network."""
    notes = "".join(
        f'<li id="fn-{n}">{escape(c.source_title or c.source)} ({escape(c.source)})'
        f'{", p. " + escape(c.page) if c.page else ""}: <q>{escape(c.quote)}</q></li>'
        for n, c in enumerate(doc.footnotes, 1)
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{escape(doc.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(doc.title)}</h1><p class=\"subtitle\">{escape(doc.subtitle)}</p>"
        + "".join(_block(b) for b in doc.blocks)
        + f'<h2>Sources</h2><ol class="sources">{notes}</ol></body></html>\n'
    )
