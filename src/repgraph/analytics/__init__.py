"""Network analytics (networkx) on the subgraphs the store returns.

- :mod:`.graph`: a :class:`~repgraph.models.Subgraph` as an undirected simple graph,
  documentation (``Source``, ``Statistic``, ``DOCUMENTED_IN``) left out;
- :mod:`.centrality`: degree and betweenness centrality, of perpetrators and organizations;
- :mod:`.brokers`: articulation points and bridges, placed among communities;
- :mod:`.communities`: Louvain (seeded) or label propagation, with modularity;
- :mod:`.paths`: the shortest connections between two entities (a bidirectional walk of
  the store, then networkx);
- :mod:`.scope`: which subgraph to analyse (an ego graph or the whole store).

Each ``*_report`` function returns a model of :mod:`.results`, which the CLI prints as a
table or JSON and the API returns.
"""

from __future__ import annotations

from .brokers import articulation_points, bridges, brokers_report
from .centrality import betweenness_centrality, centrality_report, degree_centrality
from .communities import METHODS, community_index, communities_report, detect_communities, modularity
from .graph import DEFAULT_EXCLUDED_LABELS, DEFAULT_EXCLUDED_TYPES, perpetrator_ids, to_networkx
from .paths import connecting_subgraph, path_subgraph, paths_report, shortest_paths
from .results import BrokersReport, CentralityReport, CommunitiesReport, GraphScope, PathsReport
from .scope import analysis_subgraph

__all__ = [
    "DEFAULT_EXCLUDED_LABELS", "DEFAULT_EXCLUDED_TYPES", "METHODS", "BrokersReport", "CentralityReport",
    "CommunitiesReport", "GraphScope", "PathsReport", "analysis_subgraph", "articulation_points",
    "betweenness_centrality", "bridges", "brokers_report", "centrality_report", "communities_report",
    "community_index", "connecting_subgraph", "degree_centrality", "detect_communities", "modularity",
    "path_subgraph", "paths_report", "perpetrator_ids", "shortest_paths", "to_networkx",
]
