"""``repgraph viz`` and ``repgraph analyze``: interactive views and network analytics."""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterator

import typer
from rich.markup import escape as esc
from rich.table import Table

from ..limits import MAX_VIEW_NODES
from . import app
from .render import print_table
from .common import (
    DbOption, FormatOption, OutputFormat, answer, console, current_viewer, input_id, err_console, print_error, print_file_error, print_json,
    store_for,
)
from ..wording import counted

viz_app = typer.Typer(help="Interactive HTML views (open offline in any browser).", no_args_is_help=True)
analyze_app = typer.Typer(help="Network analytics (networkx) on the graph or an entity's neighbourhood.",
                          no_args_is_help=True)
app.add_typer(viz_app, name="viz")
app.add_typer(analyze_app, name="analyze")


class SizeBy(str, Enum):
    degree = "degree"
    betweenness = "betweenness"


class ColorBy(str, Enum):
    community = "community"


class Subjects(str, Enum):
    perpetrators = "perpetrators"
    all = "all"


class Method(str, Enum):
    louvain = "louvain"
    label_propagation = "label_propagation"


OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="HTML file to write (default: visualizations/KIND-ID.html).")]
SizeOption = Annotated[SizeBy | None, typer.Option("--size-by", help="Size nodes by a centrality of the view's graph.")]
ColorOption = Annotated[ColorBy | None, typer.Option("--color-by", help="Colour nodes by community (shape still shows the label).")]
MaxNodesOption = Annotated[int, typer.Option("--max-nodes", min=1, max=MAX_VIEW_NODES,
                                             help=f"Most nodes drawn (1..{MAX_VIEW_NODES}, the API's limit too), nearest first; a notice counts the rest.")]


@contextmanager
def _answering(db: Path | None) -> Iterator:
    """The store; unknown ids and bad values end the command with exit 2 and the reason."""
    from ..service import NotFound

    with store_for(db) as store:
        try:
            yield store
        except (NotFound, ValueError) as exc:
            print_error(exc)
            raise typer.Exit(2) from None


def _write(view, output: Path | None, default_name: str, size_by: SizeBy | None, color_by: ColorBy | None) -> None:
    from ..viz import apply_metrics, write_view
    from ..viz.render import cap

    apply_metrics(view, size_by.value if size_by else None, color_by.value if color_by else None)
    path = output or Path("visualizations") / f"{default_name}.html"
    try:
        write_view(view, path)
    except OSError as exc:
        print_file_error(exc, path)
        raise typer.Exit(1) from None
    nodes, edges, cap_notices = cap(view)  # what the page draws, the same cut the renderer makes
    console.print(f"wrote {esc(str(path))} ({counted(len(nodes), 'node')}, {counted(len(edges), 'link')} drawn)", soft_wrap=True)
    for notice in [*view.notices, *cap_notices]:
        console.print(f"[yellow]note:[/] {esc(notice)}", soft_wrap=True)


# --------------------------------------------------------------------------- viz


@viz_app.command("ego")
def viz_ego(
    entity_id: Annotated[str, typer.Argument(help="Id of a person, organization or any entity.")],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=3, help="Hops from the entity (1..3).")] = 1,
    output: OutputOption = None, max_nodes: MaxNodesOption = 200, size_by: SizeOption = None,
    color_by: ColorOption = None, db: DbOption = None,
) -> None:
    """An entity's neighbourhood."""
    from ..viz import build_ego

    with _answering(db) as store:
        view = build_ego(store, input_id(store, entity_id), depth=depth, max_nodes=max_nodes, via="cli", viewer=current_viewer())
        _write(view, output, f"ego-{entity_id}", size_by, color_by)


@viz_app.command("chain")
def viz_chain(
    incident_id: Annotated[str, typer.Argument(help="Id of an incident.")],
    output: OutputOption = None, size_by: SizeOption = None, color_by: ColorOption = None, db: DbOption = None,
) -> None:
    """An incident's victims, perpetrators and the chain of command above them at its date."""
    from ..viz import build_chain

    with _answering(db) as store:
        _write(build_chain(store, input_id(store, incident_id), viewer=current_viewer()), output, f"chain-{incident_id}", size_by, color_by)


@viz_app.command("operation")
def viz_operation(
    operation_id: Annotated[str, typer.Argument(help="Id of an operation.")],
    output: OutputOption = None, max_nodes: MaxNodesOption = 300, size_by: SizeOption = None,
    color_by: ColorOption = None, db: DbOption = None,
) -> None:
    """The incidents of an operation, their victims and perpetrators."""
    from ..viz import build_operation

    with _answering(db) as store:
        _write(build_operation(store, input_id(store, operation_id), max_nodes=max_nodes, viewer=current_viewer()), output, f"operation-{operation_id}", size_by, color_by)


@viz_app.command("law")
def viz_law(
    law_id: Annotated[str, typer.Argument(help="Id of a law.")],
    output: OutputOption = None, max_nodes: MaxNodesOption = 300, size_by: SizeOption = None,
    color_by: ColorOption = None, db: DbOption = None,
) -> None:
    """The incidents a law was applied in, their victims and perpetrators."""
    from ..viz import build_law

    with _answering(db) as store:
        _write(build_law(store, input_id(store, law_id), max_nodes=max_nodes, viewer=current_viewer()), output, f"law-{law_id}", size_by, color_by)


@viz_app.command("exile")
def viz_exile(output: OutputOption = None, db: DbOption = None) -> None:
    """Defenders -> host countries (with routes), countries sized by defenders."""
    from ..viz import build_exile

    with _answering(db) as store:
        _write(build_exile(store, viewer=current_viewer()), output, "exile", None, None)


@viz_app.command("path")
def viz_path(
    source: Annotated[str, typer.Argument(help="Id of the first entity.")],
    target: Annotated[str, typer.Argument(help="Id of the second entity.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=8, help="Longest connection searched (hops).")] = 6,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most shortest connections drawn.")] = 10,
    output: OutputOption = None, db: DbOption = None,
) -> None:
    """The shortest connections between two entities."""
    from ..viz import build_path

    with _answering(db) as store:
        _write(build_path(store, input_id(store, source), input_id(store, target), max_hops=max_hops, limit=limit, viewer=current_viewer()), output, f"path-{source}-{target}", None, None)


@viz_app.command("graph")
def viz_graph(
    output: OutputOption = None, max_nodes: MaxNodesOption = 500, size_by: SizeOption = None,
    color_by: ColorOption = None, db: DbOption = None,
) -> None:
    """Everything in the store; on a larger store its best-linked nodes and their neighbours."""
    from ..viz import build_whole

    with _answering(db) as store:
        _write(build_whole(store, max_nodes=max_nodes, viewer=current_viewer()), output, "graph", size_by, color_by)


# --------------------------------------------------------------------------- analyze

RootOption = Annotated[str | None, typer.Option("--root", help="Analyse this entity's neighbourhood instead of the whole graph.")]
DepthOption = Annotated[int, typer.Option("--depth", "-d", min=1, max=3, help="Hops around --root (1..3).")]
AnalysisNodesOption = Annotated[int, typer.Option("--max-nodes", min=1, max=5000, help="Most nodes fetched from the store.")]


def _scope_line(scope) -> str:
    where = f"neighbourhood of {esc(scope.root)} ({scope.depth} hops)" if scope.root else "whole graph"
    cut = f"; [yellow]capped: {scope.omitted_nodes} more nodes not fetched[/]" if scope.truncated else ""
    note = f"\n[yellow]{esc(scope.note)}[/]" if scope.note else ""
    return (f"{where}: {counted(scope.nodes, 'node')}, {counted(scope.edges, 'linked pair')} "
            f"(left out: {', '.join(scope.excluded_labels)} nodes, {', '.join(scope.excluded_types)} links){cut}{note}")


#: What ``--subjects`` lists, for table titles (courts and prosecutors are state bodies).
SUBJECTS_TITLE = {
    "perpetrators": "named perpetrators, officials and state organizations (incl. courts and prosecutors)",
    "all": "every node",
}


@analyze_app.command("centrality")
def analyze_centrality(
    root: RootOption = None, depth: DepthOption = 2, max_nodes: AnalysisNodesOption = 1000,
    subjects: Annotated[Subjects, typer.Option("--subjects", help="perpetrators (and organizations) or all nodes.")] = Subjects.perpetrators,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Show the first N.")] = None,
    fmt: FormatOption = OutputFormat.table, db: DbOption = None,
) -> None:
    """Degree and betweenness centrality of named perpetrators, officials and state organizations (or all nodes)."""
    from ..analytics import analysis_subgraph, centrality_report

    with _answering(db) as store:
        sub, scope = analysis_subgraph(store, input_id(store, root), depth, max_nodes, via="cli", focus=subjects.value, viewer=current_viewer())
        report = answer(centrality_report(sub, subjects=subjects.value, top=top, scope=scope), store)
    if fmt is OutputFormat.json:
        return print_json(report)
    t = Table(title=f"centrality of {SUBJECTS_TITLE[report.subjects]}", caption=_scope_line(report.scope))
    for col, just in (("entity", "left"), ("id", "left"), ("label", "left"), ("degree", "right"),
                      ("degree centrality", "right"), ("betweenness", "right")):
        t.add_column(col, justify=just, overflow="fold", no_wrap=col == "id")
    for s in report.scores:
        t.add_row(esc(s.name or s.id), esc(s.id), s.label or "", str(s.degree), f"{s.degree_centrality:.3f}", f"{s.betweenness:.3f}")
        t.columns[1].min_width = max(t.columns[1].min_width or 0, len(s.id))  # whole ids
    print_table(t)
    if report.note:
        console.print(f"no scores: {esc(report.note)}")


@analyze_app.command("brokers")
def analyze_brokers(
    root: RootOption = None, depth: DepthOption = 2, max_nodes: AnalysisNodesOption = 1000,
    method: Annotated[Method, typer.Option("--method", help="Community detection placing the brokers.")] = Method.louvain,
    fmt: FormatOption = OutputFormat.table, db: DbOption = None,
) -> None:
    """Brokers: articulation points and bridges, and the communities they join."""
    from ..analytics import analysis_subgraph, brokers_report

    with _answering(db) as store:
        sub, scope = analysis_subgraph(store, input_id(store, root), depth, max_nodes, via="cli", viewer=current_viewer())
        report = answer(brokers_report(sub, method=method.value, scope=scope), store)
    if fmt is OutputFormat.json:
        return print_json(report)
    t = Table(title="articulation points (removing one splits the network)", caption=_scope_line(report.scope))
    for col in ("entity", "id", "label", "pieces without it", "communities touched"):
        t.add_column(col, overflow="fold", no_wrap=col == "id")
    for b in report.articulation_points:
        t.add_row(esc(b.entity.name or b.entity.id), esc(b.entity.id), b.entity.label or "", str(b.components_if_removed),
                  ", ".join(map(str, b.communities)))
        t.columns[1].min_width = max(t.columns[1].min_width or 0, len(b.entity.id))
    print_table(t)
    t = Table(title="bridges (removing one splits the network)")
    for col in ("from", "to", "relationships", "side sizes", "between communities"):
        t.add_column(col, overflow="fold")
    for b in report.bridges:
        t.add_row(esc(b.source.name or b.source.id), esc(b.target.name or b.target.id), ", ".join(b.types),
                  " | ".join(map(str, b.side_sizes)), "yes" if b.between_communities else "no")
    print_table(t)


@analyze_app.command("communities")
def analyze_communities(
    root: RootOption = None, depth: DepthOption = 2, max_nodes: AnalysisNodesOption = 1000,
    method: Annotated[Method, typer.Option("--method", help="louvain (seeded) or label_propagation.")] = Method.louvain,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Table: hide smaller communities.")] = 2,
    fmt: FormatOption = OutputFormat.table, db: DbOption = None,
) -> None:
    """Communities (Louvain or label propagation) and their members."""
    from ..analytics import analysis_subgraph, communities_report

    with _answering(db) as store:
        sub, scope = analysis_subgraph(store, input_id(store, root), depth, max_nodes, via="cli", viewer=current_viewer())
        report = answer(communities_report(sub, method=method.value, scope=scope), store)
    if fmt is OutputFormat.json:
        return print_json(report)
    shown = [c for c in report.communities if c.size >= min_size]
    modularity = "n/a" if report.modularity is None else f"{report.modularity:.3f}"
    t = Table(title=f"{len(report.communities)} communities ({report.method}, modularity {modularity}); "
                    f"{len(report.communities) - len(shown)} smaller than {min_size} hidden",
              caption=_scope_line(report.scope))
    for col in ("#", "size", "members"):
        t.add_column(col, overflow="fold")
    for c in shown:
        t.add_row(str(c.index), str(c.size), esc(", ".join(m.name or m.id for m in c.members)))
    print_table(t)


@analyze_app.command("path")
def analyze_path(
    source: Annotated[str, typer.Argument(help="Id of the first entity.")],
    target: Annotated[str, typer.Argument(help="Id of the second entity.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=8, help="Longest connection searched (hops).")] = 6,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most shortest connections listed.")] = 10,
    fmt: FormatOption = OutputFormat.table, db: DbOption = None,
) -> None:
    """The shortest connections between two entities (sources are not connections)."""
    from ..analytics import paths_report

    with _answering(db) as store:
        report = answer(paths_report(store, input_id(store, source), input_id(store, target), max_hops=max_hops, limit=limit, viewer=current_viewer()), store)
    if fmt is OutputFormat.json:
        return print_json(report)
    if report.hops is None:
        console.print(f"no connection of at most {report.max_hops} hops between {esc(source)} and {esc(target)}"
                      + (" (search capped)" if report.exploration_capped else ""))
        return
    t = Table(title=f"{report.total_paths} shortest connection(s) of {report.hops} hops"
                    + (f", first {len(report.paths)} shown" if report.truncated else ""))
    t.add_column("#")
    t.add_column("connection")
    for i, p in enumerate(report.paths, 1):
        steps = [p.nodes[0].name or p.nodes[0].id]
        for rels, node in zip(p.relationships, p.nodes[1:]):
            steps.append(f" -[{'|'.join(rels)}]- {node.name or node.id}")
        t.add_row(str(i), esc("".join(steps)))
    print_table(t)
