"""Rich tables for named-query results (the ``table`` format)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ..disclosure import disclose
from ..models import ExileFlows, ResponsibilityChain, SearchPage
from .common import console


def _row(table: Table, *cells: str) -> None:
    """Add a row whose cells are plain text: names like ``[red]`` or ``<b>`` are data, not markup."""
    table.add_row(*(Text(c) for c in cells))


def _quote(citations) -> str:
    return "\n".join(f"“{c.quote}” [{c.source}]" for c in citations[:2])


from .render_accountability import render_accountability  # noqa: E402


def render_result(name: str, result) -> None:
    """Print one named query's answer as a table (after disclosure)."""
    result = disclose(result)
    if isinstance(result, SearchPage):
        t = Table(title=f"search {result.query!r}: {result.total} found")
        for col in ("id", "label", "name", "aliases"):
            t.add_column(col, overflow="fold")
        for h in result.items:
            _row(t, h.id, h.label or "", h.name or "", ", ".join(h.aliases))
        console.print(t)
    elif isinstance(result, ExileFlows):
        render_exile(result)
    elif isinstance(result, ResponsibilityChain):
        when = f"{result.date_from} .. {result.date_to}" if result.date_from else "date not stated"
        t = Table(title=f"responsibility chain of {result.incident.id} ({when})")
        for col in ("level", "kind", "entity", "role", "below", "valid"):
            t.add_column(col, overflow="fold")
        for link in result.links:
            _row(t, str(link.level), link.kind, f"{link.entity.name} ({link.entity.id})", link.role or "",
                      link.below or "", f"{link.valid_from or ''} .. {link.valid_to or ''}" if (link.valid_from or link.valid_to) else "")
        console.print(t)
        if result.note:
            console.print(Text(result.note))
        elif not result.links:
            console.print("no perpetrator of this incident is named in the sources")
    elif name == "guilt-by-association":
        t = Table(title=f"guilt by association: {len(result)} relatives targeted")
        for col in ("relative", "relation", "defender", "incidents"):
            t.add_column(col, overflow="fold")
        for g in result:
            _row(t, g.relative.name or g.relative.id, g.relation or "", g.defender.name or g.defender.id,
                      "\n".join(f"{i.date or '?'} {i.type}: {i.name}" for i in g.incidents))
        console.print(t)
    elif name == "officials-cases":
        t = Table(title=f"officials and organizations linked to incidents: {len(result)} links")
        for col in ("perpetrator", "role (confidence)", "incident", "date", "victims"):
            t.add_column(col, overflow="fold")
        for c in result:
            role = c.role + (" (may have held the post then)" if c.certainty == "may_have_held" else "")
            _row(t, c.perpetrator.name or c.perpetrator.id, f"{role} ({c.confidence:g})" if c.confidence is not None else role, c.incident.name or c.incident.id,
                      c.incident.date or "", ", ".join(v.name or v.id for v in c.victims))
        console.print(t)
    elif name in ("laws", "operations"):
        render_with_incidents(name, result)
    elif render_accountability(name, result):
        pass
    else:  # pragma: no cover
        console.print(result)


def render_exile(result: ExileFlows) -> None:
    t = Table(title=f"exile flows by {result.by} (individual records)")
    t.add_column(result.by)
    t.add_column("defenders", justify="right")
    t.add_column("who", overflow="fold")
    for g in result.groups:
        _row(t, g.key, str(g.count), ", ".join(p.name or p.id for p in g.persons))
    console.print(t)
    t = Table(title="exile records")
    for col in ("defender", "host country", "date", "route", "source quote"):
        t.add_column(col, overflow="fold")
    for r in result.records:
        _row(t, r.person.name or r.person.id, r.country.name or r.country.id, r.date or "not stated",
                  r.route or "", _quote(r.citations))
    console.print(t)
    t = Table(title="reported figures (sourced statistics, not individuals)")
    for col in ("figure", "value", "period", "quote"):
        t.add_column(col, overflow="fold")
    for s in result.statistics:
        value = f"{s.qualifier + ' ' if s.qualifier else ''}{s.value:g}{'%' if s.unit == 'percent' else ''}"
        period = f"{s.period_start or '?'} .. {s.period_end or '?'}" if (s.period_start or s.period_end) else "not stated"
        _row(t, s.measure or s.name or s.id, value, period, _quote(s.citations))
    console.print(t)


def render_with_incidents(name: str, items) -> None:
    t = Table(title=name)
    for col in ("name", "incidents", "source quote"):
        t.add_column(col, overflow="fold")
    for item in items:
        incidents = "\n".join(f"{i.date or '?'} {i.type}: {i.name}" for i in item.incidents) or "none linked in the sources"
        _row(t, item.name or item.id, incidents, _quote(item.citations))
    console.print(t)
