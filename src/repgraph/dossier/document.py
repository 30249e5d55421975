"""The dossier as a document: sections of headings, paragraphs, lists and tables whose
texts carry footnote marks, one numbered footnote per distinct citation (source, quote,
page). The Markdown and HTML renderers only emit these blocks, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import CitationOut, EntityRef
from .figure import figure_svg
from .model import Dossier


@dataclass(frozen=True)
class Mark:
    """A footnote mark: the number of a citation in :attr:`Document.footnotes`."""

    n: int


@dataclass(frozen=True)
class Strong:
    text: str


Inline = str | Mark | Strong
Line = list[Inline]

#: What a derived exculpatory item rests on, by kind (default: the recorded dates of a
#: post, for an incident outside it).
DERIVED_FROM = {"delisting": "from the listing's recorded status (section 6)"}


@dataclass
class Block:
    kind: str  # h2 | h3 | p | ul | table | figure
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[Line]] = field(default_factory=list)
    svg: str = ""


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[CitationOut] = field(default_factory=list)
    _index: dict[tuple, int] = field(default_factory=dict)

    def cite(self, citations: list[CitationOut]) -> list[Inline]:
        """Footnote marks for ``citations`` (numbered on first use, reused after)."""
        marks = []
        for c in citations:
            key = (c.source, c.quote, c.page)
            if key not in self._index:
                self.footnotes.append(c)
                self._index[key] = len(self.footnotes)
            mark = Mark(self._index[key])
            if mark not in marks:
                marks.append(mark)
        return marks

    def add(self, kind: str, text: str = "", **kw) -> None:
        self.blocks.append(Block(kind, text, **kw))


def _name(e: EntityRef | None) -> str:
    if e is None:
        return "—"
    return e.name or e.id


def _conf(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _span(lo: str | None, hi: str | None) -> str:
    return f"{lo or '?'} – {hi or '?'}"


def build_document(d: Dossier, full_clearance: bool = True) -> Document:
    """The blocks of a dossier, in the issue's section order. ``full_clearance``: the reader
    sees everything; below it an incident without a victim the reader may see, and an
    empty section, say so ("none you may see"), not that the sources name none (a viewer's
    dossier said "None recorded." of direct allegations it hid)."""
    none = "None recorded." if full_clearance else "None you may see."
    doc = Document(title=f"Dossier: {_name(d.person)}",
                   subtitle=f"repgraph dossier on {d.person.id}, generated {d.generated_at}; sanctions gap as of {d.sanctions_gap.date}")
    idt = d.identity
    # 1 identity
    doc.add("h2", "1. Identity")
    lines: list[Line] = [[f"{n.type}: ", Strong(n.value)] for n in idt.names]
    lines[0] += doc.cite(idt.citations)
    if idt.unnamed:
        lines.append(["unnamed: the name is a description given by the source"])
    lines.append([f"roles: {', '.join(idt.roles) or '—'}"])
    precision = f" ({idt.birth_date_precision})" if idt.birth_date and idt.birth_date_precision not in (None, "day") else ""
    lines.append([f"birth date: {idt.birth_date or 'not stated'}{precision}"])
    lines.append([f"nationality: {', '.join(idt.nationality) or 'not stated'}"])
    for ident in idt.identifiers:
        lines.append(["identifier: " + " ".join(str(v) for v in ident.values() if v is not None)])
    for k, v in idt.other.items():
        lines.append([f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"])
    if idt.description:
        lines.append([f"description: {idt.description}"])
    doc.add("ul", lines=lines)

    # 2 posts
    doc.add("h2", "2. Posts over time")
    if d.posts:
        doc.add("table", header=["post", "organization", "dates (precision)", "confidence"], rows=[
            [[p.position.name or p.position.id, *([" (head)"] if p.is_head else []), *doc.cite(p.citations)],
             [_name(p.organization)], [p.dates], [_conf(p.confidence)]] for p in d.posts])
    else:
        doc.add("p", lines=[["No post is recorded." if full_clearance else "No post you may see."]])

    # 3 chain of command
    doc.add("h2", "3. Chain of command during each post")
    if d.chain_of_command:
        posts = {p.position.id: p.position.name for p in d.posts}
        doc.add("table", header=["during post", "superior / subordinate", "unit", "held by", "overlap with the post"], rows=[
            [[posts.get(c.post) or c.post], [c.direction], [_name(c.unit), f" (link {_span(c.link_from, c.link_to)})"],
             [_name(c.holder) if c.holder else "no holder recorded", *doc.cite(c.citations)],
             [_span(c.overlap_from, c.overlap_to) if c.holder else "—"]] for c in d.chain_of_command])
    else:
        doc.add("p", lines=[["No superior or subordinate is recorded for these posts." if full_clearance
                              else "No superior or subordinate you may see for these posts."]])
    doc.add("figure", svg=figure_svg(d.figure), text="Chain of command: superiors above, the person's posts, subordinates below.")

    # 4 + 5 allegations and evidence
    doc.add("h2", "4. Allegations")
    doc.add("h3", "4.1 Direct (perpetrated, ordered, took part)")
    if not d.allegations_direct:
        doc.add("p", lines=[[none]])
    for a in d.allegations_direct:
        doc.add("p", lines=[[Strong(f"{a.incident.date or 'undated'} — {a.incident.name or a.incident.id}"),
                             f" ({a.incident.type}); role: {', '.join(a.roles)}", *doc.cite(a.incident.citations)]])
        doc.add("ul", lines=_incident_lines(doc, a, full_clearance) + _evidence_lines(doc, a.evidence))
    doc.add("h3", "4.2 By command (commanded the perpetrating unit at the incident's date)")
    if not d.allegations_by_command:
        doc.add("p", lines=[[none]])
    for a in d.allegations_by_command:
        doc.add("p", lines=[[Strong(f"{a.incident.date or 'undated'} — {a.incident.name or a.incident.id}"),
                             f" ({a.incident.type}); {a.statement}", *doc.cite(a.incident.citations)]])
        doc.add("ul", lines=[[f"perpetrating unit: {_name(a.organization)}; post: {_name(a.position)}; "
                              f"certainty: {a.certainty.replace('_', ' ')}"]] + _incident_lines(doc, a, full_clearance) + _evidence_lines(doc, a.evidence))
    for note in d.notes:
        doc.add("p", lines=[[f"Note: {note}"]])

    # 6 exculpatory
    doc.add("h2", "5. Exculpatory information")
    if d.exculpatory:
        doc.add("ul", lines=[[Strong(e.kind.replace("_", " ")), f" ({e.date or 'undated'}): {e.name or e.description or ''}",
                              f" — weakens {_name(e.weakens)}", *([f" (link of {e.perpetrator})"] if e.perpetrator else []),
                              *([f" [derived by repgraph {DERIVED_FROM.get(e.kind, 'from the recorded dates')}]"] if e.derived else []),
                              *doc.cite(e.citations)] for e in d.exculpatory])
    else:
        doc.add("p", lines=[[none]])
    if d.proceedings:
        doc.add("h3", "Proceedings concerning the person")
        doc.add("ul", lines=[[Strong(p.kind or "proceeding"), f" {p.date or 'undated'}: {p.name or p.id}",
                              *([f", {p.body}"] if p.body else []), *([f"; role: {p.role}"] if p.role else []),
                              *doc.cite(p.citations)] for p in d.proceedings])

    # 7 sanctions
    doc.add("h2", "6. Sanctions by authority")
    if d.sanctions:
        rows = []
        for s in d.sanctions:
            listed = ("since at least " if s.listed_qualifier == "at_least" else "") + (s.listed_date or "date not stated")
            rows.append([
                [Strong(s.authority), *([f" ({s.authority_name})"] if s.authority_name else [])],
                [s.programme or "—", *([f"; legal basis {s.legal_basis}"] if s.legal_basis else []),
                 *([f"; list id {s.list_id}"] if s.list_id else [])],
                [s.status or "active"],
                [listed, *doc.cite(s.listed_citations or s.citations)],
                [s.end_date or "—", *doc.cite(s.end_citations)],
                [s.reason or "—", *doc.cite(s.citations)],
            ])
        doc.add("table", header=["authority", "programme / legal basis", "status", "listed", "ended", "reason"], rows=rows)
    else:
        doc.add("p", lines=[["No sanction is recorded." if full_clearance else "No sanction you may see."]])
    gap = d.sanctions_gap
    # an authority whose listing the table shows (lifted, expired, or not yet in force on
    # the gap's date) is not one with "no listing recorded": a delisting is what an
    # advocate asks to reverse
    listed = [a for a in gap.not_by if any(s.authority == a for s in d.sanctions)]
    never = [a for a in gap.not_by if a not in listed]
    # "not by" read as "this authority declined"; it only means no listing is recorded here,
    # and "in force" only that no end is recorded (the newest source may be years old)
    doc.add("p", lines=[[Strong(f"Gap as of {gap.date}:"),
                         f" listed, no end recorded: {', '.join(gap.in_force_by) or 'none'};"
                         + (f" dates cannot tell: {', '.join(gap.unknown_by)};" if gap.unknown_by else "")
                         + (f" listing recorded, not in force: {', '.join(listed)};" if listed else "")
                         # below full clearance a listing may be hidden: "none you may see", never "none recorded"
                         + (f" no listing recorded: {', '.join(never) or 'none'}." if full_clearance
                            else f" no listing you may see: {', '.join(never) or 'none'}.")
                         + " Recorded means in the sources ingested here; check each authority's current list."]])

    # 8 relatives and associates
    doc.add("h2", "7. Relatives and associates")
    doc.add("p", lines=[["Listed for screening; a family or business tie says nothing of what the relative or associate did."]])
    if d.relatives_and_associates:
        doc.add("ul", lines=[[Strong(_name(a.other)), f" — {a.relation or a.type.lower()}",
                              f" ({'of ' + _name(a.person) if a.relation_of == 'other_to_person' else _name(a.person) + ' is their ' + (a.relation or '')})",
                              f"; {a.type}, confidence {_conf(a.confidence)}", *doc.cite(a.citations)]
                             for a in d.relatives_and_associates])
    elif not (d.sanctions or d.allegations_direct or d.allegations_by_command or d.proceedings):
        # a defender's sister is on file and "None recorded" read as a fault: say what the list covers
        doc.add("p", lines=[["Not listed: this section covers the circle of sanctioned or accused persons only, "
                             + ("and no sanction or allegation against this person is recorded." if full_clearance
                                else "and you may see no sanction or allegation against this person.")]])
    else:
        doc.add("p", lines=[[none]])
    if d.affiliations:
        doc.add("h3", "Affiliations (acting for, appointments, ownership, control, membership)")
        doc.add("ul", lines=[[f"{a.type} ({'from' if a.direction == 'out' else 'to'} the person): ", Strong(_name(a.other)),
                              *[f"; {k} {v}" for k, v in sorted(a.properties.items())
                                if k in ("relation", "role", "percentage", "date", "position", "startDate", "endDate")],
                              *doc.cite(a.citations)] for a in d.affiliations])
    return doc


def _incident_lines(doc: Document, a, full_clearance: bool = True) -> list[Line]:
    lines: list[Line] = []
    if a.description:
        lines.append([f"what: {a.description}"])
    lines.append([f"where: {', '.join(_name(p) for p in a.places) or 'not stated'}"])
    lines.append([f"victims: {', '.join(_name(v) for v in a.victims) or ('not named' if full_clearance else 'none you may see')}"])
    if a.laws:
        lines.append([f"laws invoked: {', '.join(_name(x) for x in a.laws)}"])
    if a.operations:
        lines.append([f"operation: {', '.join(_name(x) for x in a.operations)}"])
    for p in a.proceedings:
        lines.append([f"proceeding: {p.kind} {p.date or ''} {p.name or p.id}", *doc.cite(p.citations)])
    return lines


def _evidence_lines(doc: Document, ev) -> list[Line]:
    lines: list[Line] = [[
        f"evidence: {ev.independent_sources} independent source(s) "
        f"({', '.join(s.publisher or s.title or s.id for s in ev.sources)}); confidence {_conf(ev.lowest_confidence)}"
        f"–{_conf(ev.highest_confidence)}; flags: {', '.join(ev.flags) or 'none'}", *doc.cite(ev.citations)]]
    for c in ev.citations:
        lines.append([f"“{c.quote}” — {c.source_title or c.source}", *([f", p. {c.page}"] if c.page else []), *doc.cite([c])])
    for e in ev.exculpatory:
        lines.append([f"against: {e.kind} — {e.name or ''}", *doc.cite(e.citations)])
    return lines
