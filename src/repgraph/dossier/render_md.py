"""Markdown rendering of a dossier: GitHub-flavoured tables and ``[^n]`` footnotes; the
figure as an inline SVG block. Every text from the data is escaped (a name is never
markup)."""

from __future__ import annotations

import re

from .document import Block, Document, Line, Mark, Strong

_SPECIAL = re.compile(r"([\\`*_\[\]#!|<>~])")


def md_escape(text: str) -> str:
    """``text`` with Markdown's special characters backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def _line(line: Line) -> str:
    out = []
    for part in line:
        if isinstance(part, Mark):
            out.append(f"[^{part.n}]")
        elif isinstance(part, Strong):
            out.append(f"**{md_escape(part.text)}**")
        else:
            out.append(md_escape(part))
    return "".join(out)


def _block(b: Block) -> str:
    if b.kind == "h2":
        return f"## {md_escape(b.text)}"
    if b.kind == "h3":
        return f"### {md_escape(b.text)}"
    if b.kind == "p":
        return "\n".join(_line(x) for x in b.lines)
    if b.kind == "ul":
        return "\n".join(f"- {_line(x)}" for x in b.lines)
    if b.kind == "table":
        head = "| " + " | ".join(md_escape(h) for h in b.header) + " |"
        rule = "|" + "---|" * len(b.header)
        return "\n".join([head, rule, *("| " + " | ".join(_line(c) for c in row) + " |" for row in b.rows)])
    if b.kind == "figure":
        return f"{b.svg}\n\n*{md_escape(b.text)}*"
    raise ValueError(f"unknown block {b.kind}")


def render_markdown(doc: Document) -> str:
    """The document as Markdown text."""
    parts = [f"# {md_escape(doc.title)}", f"*{md_escape(doc.subtitle)}*", *(_block(b) for b in doc.blocks), "## Sources"]
    for n, c in enumerate(doc.footnotes, 1):
        page = f", p. {md_escape(c.page)}" if c.page else ""
        parts.append(f"[^{n}]: {md_escape(c.source_title or c.source)} ({md_escape(c.source)}){page}: “{md_escape(c.quote)}”")
    return "\n\n".join(parts) + "\n"
