"""Small helpers for the sentences repgraph writes (errors, notices)."""

from __future__ import annotations


def article(word: str) -> str:
    """``word`` with its indefinite article: ``an Operation``, ``an Incident``, ``a Law``.

    >>> article("Operation"), article("Law"), article("Incident"), article("Organization")
    ('an Operation', 'a Law', 'an Incident', 'an Organization')
    """
    return f"{'an' if word[:1].lower() in tuple('aeiou') else 'a'} {word}"
