"""The seed data names its source texts inside the repository (issue 8 item 19)."""

from __future__ import annotations

import re
from pathlib import Path

from repgraph.ingest import load_case_file
from repgraph.seed import seed_files

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "data" / "sources"


def test_seed_files_name_no_path_outside_the_repository():
    for f in seed_files():
        outside = re.findall(r"(?<![\w.])/(?:work|home|tmp|Users|mnt|var)/\S+", f.read_text(encoding="utf-8"))
        assert outside == [], f"{f.name} names {outside}"


def test_every_seed_source_copy_is_in_data_sources():
    for f in seed_files():
        text = f.read_text(encoding="utf-8")
        for node in load_case_file(f).nodes:
            if node.label == "Source" and node.local_ref:
                assert (SOURCES / node.local_ref).is_file(), f"{f.name}: {node.id} -> {node.local_ref}"
                assert f"data/sources/{node.local_ref}" in text, f"{f.name} does not say where its copy is"
