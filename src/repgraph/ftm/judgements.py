"""Judgements (``repgraph merge``/``unmerge``) out with an FtM export and back in with an import.

The file is nomenklatura's resolver format (what ``Resolver.dump`` writes and
``Edge.from_line`` reads), one JSON array per line::

    [target, source, judgement, score, user, created_at, deleted_at, {"reason": ..., "history": [...]}]

``target``/``source`` are the FtM ids of the two entities (:func:`repgraph.ftm.mapping.ftm_id`:
``ftm-X`` leaves as ``X``, any other id as itself), ``judgement`` ``positive`` (merged:
``same``) or ``negative`` (``different``: ``merge --not`` or an unmerge), ``score`` null (a
person decided, not a score), ``user``/``created_at`` who and when. The eighth element is
repgraph's (nomenklatura ignores it): why, and the earlier judgements on the pair.

On import (``repgraph import-ftm --judgements FILE``) ids become repgraph ids the way the
entities' do (:func:`repgraph.ftm.mapping.repgraph_id`), so a merged entity exported with
its ``referents`` is one entity again, reachable by every id.
"""

from __future__ import annotations

import json
from pathlib import Path

from nomenklatura.judgement import Judgement
from nomenklatura.resolver.edge import Edge

from .. import resolution as R
from ..disclosure import DEFAULT_VIEWER, Role, Viewer
from ..ingest.errors import CaseFileError
from ..ingest.loader import read_text
from ..merging import cluster_map
from ..models import JudgementOut
from ..store import GraphStore
from .mapping import ftm_id, repgraph_id

VERDICTS = {"same": Judgement.POSITIVE, "different": Judgement.NEGATIVE}


def _history(history: list[dict], to_id) -> list[dict]:
    return [{**h, "a": to_id(h["a"]), "b": to_id(h["b"])} if "a" in h and "b" in h else h for h in history]


def judgement_lines(store: GraphStore, viewer: Viewer = DEFAULT_VIEWER, shown: set[str] | None = None) -> list[str]:
    """The store's judgements as resolver lines, sorted. For a viewer below admin only
    those whose two entities (their merged entity for a merged-away id) are among
    ``shown`` (the node ids the viewer's export shows as themselves), with the reason
    and history left out: they may name someone the viewer may not see."""
    full = Role(viewer.role) is Role.admin or shown is None
    clusters = cluster_map(store) if not full else {}
    lines = []
    for j in R.judgements(store).values():
        extra: dict = {"reason": j.reason, "history": _history(j.history, ftm_id)}
        if not full:
            if any(clusters.get(i, (i,))[0] not in shown for i in (j.a, j.b)):
                continue
            extra = {}
        edge = Edge(ftm_id(j.a), ftm_id(j.b), judgement=VERDICTS[j.verdict], score=None, user=j.by, created_at=j.at)
        row = [*json.loads(edge.to_line()), None, extra]
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return sorted(lines)


def read_judgements(path: str | Path) -> list[JudgementOut]:
    """Judgements of a resolver file (lines ``positive``/``negative``; ``unsure`` and
    ``no_judgement`` lines and deleted edges are skipped), ids as repgraph ids. Raises
    :class:`CaseFileError` naming the file and line on anything else."""
    path = Path(path)
    out = []
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            edge = Edge.from_line(line)
            data = json.loads(line)
        except (ValueError, IndexError, TypeError, KeyError) as exc:
            raise CaseFileError(path, f"not a nomenklatura resolver line: {exc}", f"line {n}") from None
        if edge.deleted_at or edge.judgement not in (Judgement.POSITIVE, Judgement.NEGATIVE):
            continue
        if edge.target.id == edge.source.id:
            raise CaseFileError(path, "a judgement needs two different ids", f"line {n}")
        extra = data[7] if len(data) > 7 and isinstance(data[7], dict) else {}
        verdict = "same" if edge.judgement is Judgement.POSITIVE else "different"
        out.append(JudgementOut(
            a=repgraph_id(edge.target.id), b=repgraph_id(edge.source.id), verdict=verdict,
            reason=extra.get("reason"), by=edge.user or "unknown", at=edge.created_at or "",
            history=_history(extra.get("history") or [], repgraph_id),
        ))
    return out


def import_judgements(store: GraphStore, path: str | Path) -> int:
    """Record every judgement of a resolver file (:func:`read_judgements`) with the merges
    it implies (:func:`repgraph.resolution.restore`); returns how many. Raises
    :class:`CaseFileError` (nothing recorded) on a bad line."""
    found = read_judgements(path)
    for j in found:
        R.restore(store, j)
    return len(found)
