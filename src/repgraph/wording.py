"""Small helpers for the sentences repgraph writes (errors, notices)."""

from __future__ import annotations


def article(word: str) -> str:
    """``word`` with its indefinite article: ``an Operation``, ``an Incident``, ``a Law``.

    >>> article("Operation"), article("Law"), article("Incident"), article("Organization")
    ('an Operation', 'a Law', 'an Incident', 'an Organization')
    """
    return f"{'an' if word[:1].lower() in tuple('aeiou') else 'a'} {word}"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with the noun in its number: ``counted(1, "node")`` is ``"1 node"``,
    ``counted(3, "node")`` ``"3 nodes"``; ``plural`` where it is not ``singular + "s"``
    (``counted(2, "linked pair")`` needs none, ``counted(2, "entity", "entities")`` does)."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
