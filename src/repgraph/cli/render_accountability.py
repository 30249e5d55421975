"""Tables for the accountability queries (sanctions, associates, command, evidence)."""

from __future__ import annotations

from rich.table import Table

from ..accountability.models import CommandResponsibility, SanctionedAsOf, SanctionsGap
from .common import console


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    from .render import _row

    t = Table(title=title)
    for col in columns:
        t.add_column(col, overflow="fold")
    for r in rows:
        _row(t, *r)
    console.print(t)


def _sanctions(s) -> str:
    return "\n".join(f"{x.authority} {x.legal_basis or x.programme or ''} listed {x.listed_date or '?'}"
                     f"{' ended ' + x.end_date if x.end_date else ''} ({x.status})" for x in s)


def render_accountability(name: str, result) -> bool:
    """Print ``result`` of query ``name`` as tables; False when ``name`` is not one of these."""
    if isinstance(result, SanctionedAsOf):
        _table(f"sanctioned on {result.date}{' by ' + result.authority if result.authority else ''}: {len(result.items)}",
               ["entity", "sanctions in force"], [[e.entity.name or e.entity.id, _sanctions(e.sanctions)] for e in result.items])
    elif isinstance(result, SanctionsGap):
        _table(f"sanctioned by {result.by}, not by {result.not_by}, on {result.date}: {len(result.items)}",
               ["entity", f"{result.by} sanctions"], [[e.entity.name or e.entity.id, _sanctions(e.sanctions)] for e in result.items])
        if result.unknown:
            _table(f"sanctioned by {result.by}; whether also by {result.not_by} on {result.date} the dates cannot tell: "
                   f"{len(result.unknown)}", ["entity", "sanctions"],
                   [[e.entity.name or e.entity.id, _sanctions(e.sanctions)] for e in result.unknown])
    elif isinstance(result, CommandResponsibility):
        _table(f"command responsibility of {result.person.name or result.person.id}",
               ["post", "incident", "date", "certainty", "confidence", "sources"],
               [[f"{p.position.name} ({p.organization.name})", link.incident.name or link.incident.id, link.incident.date or "",
                 link.certainty.replace("_", " "), f"{link.evidence.lowest_confidence:g}–{link.evidence.highest_confidence:g}",
                 str(link.evidence.independent_sources)] for p in result.posts for link in p.links]
               + [[f"{p.position.name} ({p.organization.name})", e.weakens.name or e.weakens.id, "", e.kind.replace("_", " "), "", ""]
                  for p in result.posts for e in p.excluded])
    elif name == "relatives-and-associates":
        _table(f"relatives and associates of sanctioned or accused persons: {len(result)} (not an accusation)",
               ["person", "why listed", "relative or associate", "relation", "type"],
               [[a.person.name or a.person.id, ", ".join(a.why), a.other.name or a.other.id, a.relation or "", a.type] for a in result])
    elif name == "evidence-strength":
        _table(f"evidence strength: {len(result)} allegations",
               ["incident", "perpetrator", "independent sources", "confidence", "flags"],
               [[f"{e.incident.date or '?'} {e.incident.name}", e.perpetrator.name or e.perpetrator.id, str(e.independent_sources),
                 f"{e.lowest_confidence:g}–{e.highest_confidence:g}", ", ".join(e.flags)] for e in result])
    else:
        return False
    return True
