"""Entity resolution, reviewed by a person: candidate pairs (``repgraph dedupe``) and the
judgements people record on them (``merge``, ``merge --not``, ``unmerge``).

Scores come from :mod:`repgraph.matching`; nothing is ever joined by a score. A judgement
is data in the store: a ``Judgement`` node per pair of ids (``judgement:<a>|<b>``, the ids
sorted) with ``verdict`` (``same`` | ``different``), ``reason``, ``by``, ``at`` and the
earlier judgements on the pair (``history``). It survives re-ingest (ingest never touches
it) and is exported with the graph (it is a node). ``unmerge`` records ``different``, so
the pair is not proposed again and a later merge must be an explicit new judgement.

Recording a judgement also changes the graph, in the same transaction: ids judged the
same (directly or through a chain) become one node under the canonical id, and an
unmerge splits them again (:mod:`repgraph.merging` has the rules).
"""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime

from . import queries as Q
from .matching import Record, candidate_pairs
from .merging import canonical, closure, clusters, reproject, same_pairs
from .models import DedupeCandidate, EntityRef, JudgementOut
from .wording import article
from .store import GraphStore


class JudgementError(ValueError):
    """A judgement that cannot be recorded (unknown id, incompatible kinds, conflict)."""


def judgement_id(a: str, b: str) -> str:
    x, y = sorted((a, b))
    return f"judgement:{x}|{y}"


def records(store: GraphStore) -> list[Record]:
    """Every person and organization as matching sees them."""
    out = [Record(r["id"], "Person", r["name"] or "", list(r["aliases"] or []), list(r["identifiers"] or []), r["birthDate"])
           for r in store.read(Q.PERSON_RECORDS)]
    out += [Record(r["id"], "Organization", r["name"] or "", [*(r["aliases"] or []), *([r["acronym"]] if r["acronym"] else [])])
            for r in store.read(Q.ORGANIZATION_RECORDS)]
    return out


def judgements(store: GraphStore) -> dict[tuple[str, str], JudgementOut]:
    """Recorded judgements by (sorted) pair of ids."""
    out = {}
    for row in store.read(Q.JUDGEMENTS):
        p = row["props"]
        out[tuple(sorted((p["a"], p["b"])))] = JudgementOut(
            a=p["a"], b=p["b"], verdict=p["verdict"], reason=p.get("reason"), by=p["by"], at=p["at"],
            history=json.loads(p.get("history") or "[]"),
        )
    return out


def _links(store: GraphStore, ident: str) -> set[str]:
    return {r["otherId"] for r in store.read(Q.NEIGHBOURS, {"id": ident})}


def dedupe(store: GraphStore, only: set[str] | None = None) -> list[DedupeCandidate]:
    """Candidate pairs of ids that may be one entity, best first, with score and reasons.

    Pairs already judged (same or different) are left out. Shared links (the same other
    ends) are added to the reasons. A candidate that scores high against two ids judged
    different carries ``conflict`` (a conflict for review: never joined to either).
    ``only``: just pairs involving these ids (the ingest's warning)."""
    judged = judgements(store)
    pairs = candidate_pairs(records(store), only)
    out = []
    matches: dict[str, set[str]] = {}
    for a, b, _, _ in pairs:
        matches.setdefault(a.id, set()).add(b.id)
        matches.setdefault(b.id, set()).add(a.id)
    for a, b, score, reasons in pairs:
        if (a.id, b.id) in judged:
            continue
        conflict = None
        for x, y in ((a, b), (b, a)):
            for other in sorted(matches.get(x.id, set()) - {y.id}):
                j = judged.get(tuple(sorted((y.id, other))))
                if j and j.verdict == "different":
                    conflict = (f"{x.id} also matches {other}, and {y.id} and {other} were judged different "
                                f"by {j.by} on {j.at}: review, do not join")
        shared = sorted((_links(store, a.id) & _links(store, b.id)) - {a.id, b.id})
        if shared:
            score = min(1.0, score + 0.02 * min(len(shared), 3))
            reasons = [*reasons, f"shared links: {', '.join(shared)}"]
        out.append(DedupeCandidate(a=EntityRef(id=a.id, label=a.label, name=a.name),
                                   b=EntityRef(id=b.id, label=b.label, name=b.name),
                                   score=round(score, 3), reasons=reasons, conflict=conflict))
    out.sort(key=lambda c: (-c.score, c.a.id, c.b.id))
    return out


def _describe(store: GraphStore, ident: str) -> dict:
    rows = store.read(Q.ENTITY, {"id": canonical(store, ident)})
    if not rows:
        raise JudgementError(f"no entity with id {ident!r}")
    props = rows[0]["props"]
    return {"label": rows[0]["label"], "datasets": props.get("datasets") or ["legacy"], "sources": props.get("sourceIds") or []}


def _record(store: GraphStore, a: str, b: str, verdict: str, reason: str | None, by: str | None,
            at: str | None = None, history: list[dict] | None = None) -> JudgementOut:
    if history is None:
        previous = judgements(store).get(tuple(sorted((a, b))))
        history = [*previous.history, previous.model_dump(exclude={"history"})] if previous else []
    props = {"id": judgement_id(a, b), "a": a, "b": b, "verdict": verdict, "by": by or getpass.getuser(),
             "at": at or datetime.now(UTC).isoformat(timespec="seconds"),
             "history": json.dumps(history, ensure_ascii=False)}
    if reason:
        props["reason"] = reason

    def work(tx) -> None:
        # the judgement and the graph it implies change together: the clusters of a and b
        # before and after are re-projected (merged or split, repgraph.merging)
        tx.lock_writers()
        before = clusters(same_pairs(tx.run(Q.SAME_JUDGEMENTS)))
        tx.run(Q.MERGE_JUDGEMENT, {"id": props["id"], "props": props})
        after = clusters(same_pairs(tx.run(Q.SAME_JUDGEMENTS)))
        ids = closure((a, b), before) | closure((a, b), after)
        reproject(tx, ids, lambda i: after.get(i, (i,))[0])

    store.write(work)
    return JudgementOut(a=a, b=b, verdict=verdict, reason=reason, by=props["by"], at=props["at"], history=history)


def restore(store: GraphStore, judgement: JudgementOut) -> JudgementOut:
    """Record a judgement made elsewhere (an import of exported judgements) as it was:
    its verdict, reason, who, when and history, and the merge or split it implies. The
    ids need not be nodes of this store (an exported merged entity travels as one entity
    with the other ids as ``referents``): a ``same`` judgement on such an id makes it a
    redirect to its cluster's canonical id."""
    if judgement.a == judgement.b or judgement.verdict not in ("same", "different"):
        raise JudgementError(f"not a judgement on two ids: {judgement.a!r}, {judgement.b!r}, {judgement.verdict!r}")
    return _record(store, judgement.a, judgement.b, judgement.verdict, judgement.reason, judgement.by,
                   judgement.at, judgement.history)


def _same_as(judged: dict[tuple[str, str], JudgementOut], ident: str) -> set[str]:
    """``ident`` and every id joined to it by a chain of ``same`` judgements (sameness is
    transitive: a = c and c = d make a = d)."""
    linked: dict[str, set[str]] = {}
    for (x, y), j in judged.items():
        if j.verdict == "same":
            linked.setdefault(x, set()).add(y)
            linked.setdefault(y, set()).add(x)
    seen, todo = {ident}, [ident]
    while todo:
        for other in linked.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def merge(store: GraphStore, a: str, b: str, reason: str, by: str | None = None) -> JudgementOut:
    """Record that ``a`` and ``b`` are one entity (who, when, why).

    Raises :class:`JudgementError` for an unknown id, the same id twice, ids of different
    kinds (naming both ids, their labels, datasets and sources), or when ``a`` or ``b`` is
    already judged the same (directly or through a chain of merges) as an id judged
    different from the other or from one merged with it (a conflict for review)."""
    if a == b:
        raise JudgementError("merge needs two different ids")
    da, db = _describe(store, a), _describe(store, b)
    if da["label"] != db["label"]:
        raise JudgementError(
            f"cannot merge {article(da['label'])} and {article(db['label'])}: {a} ({da['label']}, datasets {', '.join(da['datasets'])}; "
            f"sources {', '.join(da['sources']) or 'none'}) and {b} ({db['label']}, datasets {', '.join(db['datasets'])}; "
            f"sources {', '.join(db['sources']) or 'none'})"
        )
    judged = judgements(store)
    for x in sorted(_same_as(judged, a)):
        for y in sorted(_same_as(judged, b)):
            j = judged.get(tuple(sorted((x, y))))
            if j and j.verdict == "different" and {x, y} != {a, b}:
                raise JudgementError(f"conflict for review: {x} and {y} were judged different by {j.by} on {j.at}; "
                                     f"merging {a} and {b} would join them")
    return _record(store, a, b, "same", reason, by)


def merge_not(store: GraphStore, a: str, b: str, reason: str | None = None, by: str | None = None) -> JudgementOut:
    """Record that ``a`` and ``b`` are different entities: the pair is not proposed again.

    Raises :class:`JudgementError` for an unknown id, or when other merges join ``a`` and
    ``b`` (a = c and c = b): which link is wrong is for a reviewer to say (a direct merge of
    the two is overruled, as by :func:`unmerge`)."""
    if a == b:
        raise JudgementError("a judgement needs two different ids")
    _describe(store, a), _describe(store, b)
    judged = {pair: j for pair, j in judgements(store).items() if pair != tuple(sorted((a, b)))}
    if b in _same_as(judged, a):
        raise JudgementError(f"conflict for review: {a} and {b} are joined by a chain of merges; "
                             "unmerge the link that is wrong first")
    return _record(store, a, b, "different", reason, by)


def unmerge(store: GraphStore, a: str, b: str, reason: str | None = None, by: str | None = None) -> JudgementOut:
    """Reverse a merge: records ``different`` (with the merge kept in ``history``), so the
    pair is neither proposed again nor silently re-joined. Raises :class:`JudgementError`
    when ``a`` and ``b`` were not merged."""
    j = judgements(store).get(tuple(sorted((a, b))))
    if j is None or j.verdict != "same":
        raise JudgementError(f"{a} and {b} are not merged")
    return _record(store, a, b, "different", reason or "unmerged", by)
