"""``repgraph viz`` and ``repgraph analyze``: interactive views and network analytics."""
