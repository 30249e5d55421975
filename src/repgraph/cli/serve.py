"""``repgraph serve``: the HTTP API (see repgraph.api)."""
