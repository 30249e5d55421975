"""repgraph: a knowledge graph of state repression networks."""

__version__ = "0.1.0"
