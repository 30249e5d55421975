"""Where the curated real dataset lives, and what the demo says about it."""

from __future__ import annotations

import os
from pathlib import Path

#: data/seed/ of the checkout (override with REPGRAPH_SEED_DIR)
SEED_DIR = Path(os.environ.get("REPGRAPH_SEED_DIR", Path(__file__).resolve().parents[2] / "data" / "seed"))

#: The report's own sentence on guilt by association (sippenhaft), quoted by the demo
#: because the report names no family member. A test checks it is verbatim in the report.
REPORT_SOURCE_ID = "src-pddhe-2025"
GUILT_BY_ASSOCIATION_QUOTE = (
    "Persecution is not limited to the human rights defender: it includes their family members, "
    "friends, and collaborators, who are subjected to detentions, interrogations, or workplace reprisals."
)


def seed_files() -> list[Path]:
    """The seed case files, sorted by name."""
    return sorted(p for p in SEED_DIR.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"})
