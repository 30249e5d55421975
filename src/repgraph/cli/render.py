"""Rich tables for named-query results (the ``table`` format).

One rule for sources on every table: a **sources** column with each citation's short
source title and, where the case file records one, its page or section; ``-v`` adds the
verbatim quotes. Ids never wrap (a split id breaks copy and paste): id columns are
``no_wrap``, and an id is never folded into a name cell.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from ..disclosure import Role, disclose
from ..models import CitationOut, EntityList, ExileFlows, ResponsibilityChain, SearchPage
from ..service import DEFENDER_ROLES
from .common import console

#: Longest short source title shown in a table (the full title is in the JSON and the views).
SHORT_TITLE = 28


def _row(table: Table, *cells: str) -> None:
    """Add a row whose cells are plain text: names like ``[red]`` or ``<b>`` are data, not markup.
    Id columns widen to their longest id, so no id is ever split across lines."""
    table.add_row(*(Text(c) for c in cells))
    for column, cell in zip(table.columns, cells):
        if column.no_wrap:
            column.min_width = max(column.min_width or 0, len(cell))


#: A cell word longer than this may be split across lines (a long compound, a URL).
WORD_ROOM = 16


def _longest_word(column) -> int:
    """The longest word of ``column``'s header, or of its cells up to :data:`WORD_ROOM`
    letters (a column that never wraps is laid out whole by rich: 0)."""
    if column.no_wrap:
        return 0
    words = str(column.header).split()
    words += [w for cell in column.cells for w in str(cell).split() if len(w) <= WORD_ROOM]
    return max(map(len, words), default=0)


def print_table(table: Table) -> None:
    """Print ``table``; when whole ids leave no room for the other columns at this
    terminal's width, print each row as a block instead (``column: value`` lines, ids on
    lines of their own that never wrap), so nothing is cropped or split."""
    room = console.width - table._extra_width
    widths = table._calculate_column_widths(console, console.options.update_width(room))  # rich's own layout
    # a column squeezed below its header (or 6 characters), or so narrow that a word of
    # its header or of a cell (up to WORD_ROOM letters) is split, is unreadable: blocks
    # instead ("pieces withou / t it", "Velásq / uez" at 80 columns)
    squeezed = any(w < max(min(6, len(str(c.header))), _longest_word(c)) + 2 for w, c in zip(widths, table.columns))
    if sum(widths) <= room and not squeezed:
        console.print(table)
        return
    if table.title:
        console.print(Text(str(table.title), style="italic"))
    cells = [list(c.cells) for c in table.columns]
    for r in range(table.row_count):
        for i, column in enumerate(table.columns):
            value = str(cells[i][r]) if r < len(cells[i]) else ""
            if not value.strip():
                continue
            if i == 0:  # the row's heading: its first cell, whole (an id never wraps)
                # a bare number or date says nothing alone: "level 2", not "2"
                heading = value if any(ch.isalpha() for ch in value) else f"{column.header} {value}"
                console.print(Text(heading, style="bold"), soft_wrap=column.no_wrap)
            elif column.no_wrap:  # an id: whole, on one line
                console.print(Text(f"  {column.header}: {value}"), soft_wrap=True)
            else:
                console.print(Text(f"  {column.header}: " + value.replace("\n", "\n    ")))
    if table.caption:
        console.print(Text.from_markup(str(table.caption)))


from .render_accountability import render_accountability  # noqa: E402


def _id_column(table: Table, name: str = "id") -> None:
    table.add_column(name, no_wrap=True)


def short_title(c: CitationOut) -> str:
    """A citation's source in a few words: the title up to its first colon, at most
    :data:`SHORT_TITLE` characters (the id when the source has no title)."""
    title = (c.source_title or c.source).split(":")[0].strip()
    if len(title) <= SHORT_TITLE:
        return title
    cut = title[: SHORT_TITLE - 1].rsplit(" ", 1)[0]  # at a word boundary
    return cut.rstrip(" ,;-") + "\u2026"


def where(c: CitationOut) -> str:
    """``Title, p. 12`` / ``Title, §3.2``: the short title and the page or section, if recorded."""
    if not c.page:
        return short_title(c)
    page = c.page.strip()
    return f"{short_title(c)}, {'p. ' if page[:1].isdigit() else ''}{page}"


def sources_cell(citations: list[CitationOut], verbose: bool = False) -> str:
    """The sources column: one line per distinct source place; with ``verbose`` each
    citation's quote under it. ``not cited`` when there is none."""
    if not citations:
        return "not cited"
    if verbose:
        return "\n".join(f"{where(c)}: \u201c{c.quote}\u201d" for c in citations)
    return "\n".join(dict.fromkeys(where(c) for c in citations))


def _sources_column(table: Table) -> None:
    table.add_column("sources", overflow="fold", min_width=8)


def _word_column(table: Table, name: str) -> None:
    """A column of single words or dates (labels, types, dates): never broken mid-word."""
    table.add_column(name, no_wrap=True)


def render_result(name: str, result, verbose: bool = False, note: str | None = None) -> None:
    """Print one named query's answer as a table (after disclosure); ``verbose`` shows
    the quotes in the sources column; ``note`` says why an empty answer is empty."""
    result = disclose(result)
    if isinstance(result, SearchPage):
        t = Table(title=f"search {result.query!r}: {result.total} found"
                  + (f", {result.offset + 1}-{result.offset + len(result.items)} shown" if result.total > len(result.items) else ""))
        _id_column(t)
        _word_column(t, "label")
        t.add_column("name", overflow="fold", min_width=8)
        t.add_column("aliases", overflow="fold")
        _sources_column(t)
        for h in result.items:
            _row(t, h.id, h.label or "", h.name or "", ", ".join(h.aliases), sources_cell(h.citations, verbose))
        print_table(t)
    elif isinstance(result, ExileFlows):
        render_exile(result, verbose)
    elif isinstance(result, ResponsibilityChain):
        when = f"{result.date_from} .. {result.date_to}" if result.date_from else "date not stated"
        t = Table(title=f"responsibility chain of {result.incident.id} ({when})")
        t.add_column("level")
        t.add_column("kind")
        t.add_column("entity", overflow="fold")
        _id_column(t)
        t.add_column("role", overflow="fold")
        _id_column(t, "below")
        t.add_column("valid", overflow="fold")
        _sources_column(t)
        for link in result.links:
            role = (link.role or "") + (" (may have held)" if link.certainty == "may_have_held" else "")
            _row(t, str(link.level), link.kind, link.entity.name or "", link.entity.id, role,
                 link.below or "", f"{link.valid_from or ''} .. {link.valid_to or ''}" if (link.valid_from or link.valid_to) else "",
                 sources_cell(link.citations, verbose))
        print_table(t)
        if result.note:
            console.print(Text(result.note))
        elif not result.links:
            from ..empty_answers import no_perpetrator_note
            from .common import current_viewer

            console.print(Text(no_perpetrator_note(current_viewer())), soft_wrap=True)
    elif name == "guilt-by-association":
        t = Table(title=f"guilt by association: {len(result)} relatives targeted")
        for col in ("relative", "relation", "defender", "incidents"):
            t.add_column(col, overflow="fold")
        _sources_column(t)
        for g in result:
            _row(t, g.relative.name or g.relative.id, g.relation or "", g.defender.name or g.defender.id,
                 "\n".join(f"{i.date or '?'} {i.type}: {i.name}" for i in g.incidents), sources_cell(g.citations, verbose))
        print_table(t)
        if not result and note:
            console.print(Text(f"none found: {note}"), soft_wrap=True)
    elif name == "officials-cases":
        t = Table(title=f"officials and organizations linked to incidents: {len(result)} links")
        for col in ("perpetrator", "role (confidence)", "incident", "date", "victims"):
            t.add_column(col, overflow="fold")
        _sources_column(t)
        for c in result:
            role = c.role + (" (may have held the post then)" if c.certainty == "may_have_held" else "")
            _row(t, c.perpetrator.name or c.perpetrator.id, f"{role} ({c.confidence:g})" if c.confidence is not None else role,
                 c.incident.name or c.incident.id, c.incident.date or "", ", ".join(v.name or v.id for v in c.victims),
                 sources_cell(c.citations, verbose))
        print_table(t)
    elif name in ("laws", "operations"):
        render_with_incidents(name, result, verbose)
    elif render_accountability(name, result):
        pass
    else:  # pragma: no cover
        console.print(result)


def render_list(page: EntityList, verbose: bool = False) -> None:
    """One page of ``repgraph list LABEL``, saying which items of how many it shows."""
    page = disclose(page)
    shown = f"{page.offset + 1}-{page.offset + len(page.items)} of {page.total}" if page.items else f"none of {page.total}"
    t = Table(title=f"{page.label}: {shown}")
    _id_column(t)
    t.add_column("name", overflow="fold", min_width=8)
    for col in ("type", "date"):
        _word_column(t, col)
    _sources_column(t)
    for e in page.items:
        _row(t, e.id, e.name or "", e.type or "", e.date or "", sources_cell(e.citations, verbose))
    print_table(t)
    if page.offset + len(page.items) < page.total:
        console.print(f"next page: --offset {page.offset + len(page.items)}", soft_wrap=True)


def render_exile(result: ExileFlows, verbose: bool = False) -> None:
    t = Table(title=f"exile flows by {result.by} (individual records)",
              caption=f"defenders only (roles {', '.join(r.replace('_', ' ') for r in DEFENDER_ROLES)}): "
                      "exiled relatives and others are not counted here")
    t.add_column(result.by)
    t.add_column("defenders", justify="right")
    t.add_column("who", overflow="fold")
    for g in result.groups:
        _row(t, g.key, str(g.count), ", ".join(p.name or p.id for p in g.persons))
    print_table(t)
    t = Table(title="exile records")
    for col in ("defender", "host country", "date", "route"):
        t.add_column(col, overflow="fold")
    _sources_column(t)
    for r in result.records:
        _row(t, r.person.name or r.person.id, r.country.name or r.country.id, r.date or "not stated",
             r.route or "", sources_cell(r.citations, verbose))
    print_table(t)
    t = Table(title="reported figures (sourced statistics, not individuals)")
    for col in ("figure", "value", "period"):
        t.add_column(col, overflow="fold")
    _sources_column(t)
    for s in result.statistics:
        value = f"{s.qualifier + ' ' if s.qualifier else ''}{s.value:g}{'%' if s.unit == 'percent' else ''}"
        period = f"{s.period_start or '?'} .. {s.period_end or '?'}" if (s.period_start or s.period_end) else "not stated"
        _row(t, s.measure or s.name or s.id, value, period, sources_cell(s.citations, verbose))
    print_table(t)


def render_with_incidents(name: str, items, verbose: bool = False) -> None:
    t = Table(title=name)
    _id_column(t)
    for col in ("name", "incidents"):
        t.add_column(col, overflow="fold")
    _sources_column(t)
    from .common import current_viewer

    # an admin is told the sources link none; a lower role only that none is theirs to see
    none = "none linked in the sources" if Role(current_viewer().role) is Role.admin else "none you may see"
    for item in items:
        incidents = "\n".join(f"{i.date or '?'} {i.type}: {i.name}" for i in item.incidents) or none
        _row(t, item.id, item.name or item.id, incidents, sources_cell(item.citations, verbose))
    print_table(t)
