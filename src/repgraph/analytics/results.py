"""Result models of the analytics: what ``repgraph analyze -f json`` prints and
``GET /analytics/...`` answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..models import EntityRef


class GraphScope(BaseModel):
    """Which graph was analysed: an entity's neighbourhood or the whole store, and its size
    once documentation was left out."""

    root: str | None = Field(default=None, description="Centre of the ego graph analysed; null for the whole graph")
    depth: int | None = None
    nodes: int = Field(description="Nodes of the analysed graph")
    edges: int = Field(description="Linked pairs of the analysed graph (undirected, simple)")
    truncated: bool = Field(default=False, description="The store's node cap cut the subgraph: metrics are of the part returned")
    omitted_nodes: int = 0
    selection: str | None = Field(default=None, description="How the analysed nodes were chosen when the store did not fit the cap")
    note: str | None = Field(default=None, description="What the figures do and do not cover, and how to scope the analysis; null when they cover everything asked")
    excluded_labels: list[str] = Field(default_factory=list)
    excluded_types: list[str] = Field(default_factory=list)


class NodeScore(BaseModel):
    id: str
    label: str | None = None
    name: str | None = None
    degree: int = Field(description="Distinct neighbours, >= 0")
    degree_centrality: float = Field(description="degree / (n - 1), in [0, 1]")
    betweenness: float = Field(description="Normalised betweenness centrality, in [0, 1]")


class CentralityReport(BaseModel):
    scope: GraphScope
    subjects: Literal["perpetrators", "all"] = Field(
        description="perpetrators: named perpetrators, officials and state organizations (never NGOs, media or international bodies); all: every node")
    scores: list[NodeScore] = Field(description="Ordered by betweenness, then degree (both descending), then id")
    note: str | None = Field(default=None, description="Why ``scores`` is empty, when it is")


class Broker(BaseModel):
    """An articulation point: removing it disconnects the graph."""

    entity: EntityRef
    components_if_removed: int = Field(description="Pieces its component falls into without it, >= 2")
    communities: list[int] = Field(description="Communities of its neighbours (indexes into the community list)")


class Bridge(BaseModel):
    """A link whose removal disconnects the graph."""

    source: EntityRef
    target: EntityRef
    types: list[str] = Field(description="Relationship types linking the two")
    side_sizes: list[int] = Field(description="Nodes on the source's side and on the target's side without the link")
    communities: list[int] = Field(description="Communities of source and target")
    between_communities: bool


class BrokersReport(BaseModel):
    scope: GraphScope
    method: str = Field(description="Community detection used to place brokers")
    articulation_points: list[Broker] = Field(description="Ordered by components_if_removed desc, then id")
    bridges: list[Bridge] = Field(description="Ordered by source id, target id (source id < target id)")


class Community(BaseModel):
    index: int
    size: int
    members: list[EntityRef] = Field(description="Ordered by id")


class CommunitiesReport(BaseModel):
    scope: GraphScope
    method: Literal["louvain", "label_propagation"]
    seed: int | None = Field(default=None, description="Random seed (Louvain); fixed so answers repeat")
    modularity: float | None = Field(default=None, description="Newman modularity of the partition, in [-0.5, 1]; null without edges")
    communities: list[Community] = Field(description="Largest first, then by smallest member id")


class Path(BaseModel):
    nodes: list[EntityRef]
    relationships: list[list[str]] = Field(description="Relationship types between consecutive nodes (len(nodes) - 1 lists)")


class PathsReport(BaseModel):
    source: EntityRef
    target: EntityRef
    hops: int | None = Field(description="Length of the shortest connection; null when none was found")
    paths: list[Path] = Field(description="Shortest connections, in order of their node ids")
    total_paths: int = Field(description="Shortest connections found (capped at the scan limit)")
    truncated: bool = Field(description="More shortest connections exist than are listed")
    max_hops: int
    explored_nodes: int
    exploration_capped: bool = Field(description="The search stopped at its node cap before meeting: a longer view may exist")
    excluded_labels: list[str] = Field(default_factory=list)
    excluded_types: list[str] = Field(default_factory=list)
