"""Limits shared by every exit (CLI, API, views), so one command and one request agree.

Kept in a module of their own, free of heavy imports, so the CLI can name them in its
option declarations without loading the renderer.
"""

from __future__ import annotations

from typing import Literal

#: Most nodes a view fetches and draws (``--max-nodes`` / ``max_nodes=`` at most this):
#: beyond, the browser's layout takes too long. One constant for CLI, API and renderer.
MAX_VIEW_NODES = 1000
#: Most links a view draws (the nearest to its anchors, or to its best-linked nodes, first).
MAX_VIEW_EDGES = 3000

#: Most words a search query may have: Neo4j's Lucene refuses a query of more than 1024
#: clauses (each word is one), so a longer query would be an error on one backend and an
#: answer on the other. No name has this many words.
MAX_SEARCH_WORDS = 64
#: Longest word a search query may have: Lucene's tokenizer cuts indexed words at 255
#: characters and refuses a prefix term of about 1000 (its automaton limit).
MAX_SEARCH_WORD_LENGTH = 255

#: Which exit a text is written for: the CLI names flags (``--max-nodes``), the API query
#: parameters (``max_nodes=``).
Exit = Literal["cli", "api"]


def knob(name: str, via: Exit = "cli", value: str | None = None) -> str:
    """How a user of exit ``via`` sets parameter ``name`` (to ``value``).

    >>> knob("max_nodes"), knob("max_nodes", "api"), knob("root", "cli", "ID"), knob("root", "api", "ID")
    ('--max-nodes', 'max_nodes=', '--root ID', 'root=ID')
    """
    if via == "cli":
        return f"--{name.replace('_', '-')}" + (f" {value}" if value is not None else "")
    return f"{name}=" + (value if value is not None else "")
