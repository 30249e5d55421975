"""Whether a tenure (a HOLDS as stored) covers an incident's dates, as far as the
sources allow: shared by every command-responsibility answer."""

from __future__ import annotations


def covers(valid_from: str | None, valid_to: str | None, tenure: str | None, as_of: str | None,
           start_qualifier: str | None, date_from: str, date_to: str) -> str:
    """``held`` | ``may_have_held`` | ``ended_before`` | ``began_after``.

    ``held``: the known start is on or before the incident's first day ("since at least"
    counts: it began then or earlier) and the known end, or the date the source says the
    post was still held, is on or after its last day. ``may_have_held``: neither excluded
    nor settled (start or end unknown). ISO-day strings throughout.
    """
    if valid_to is not None and valid_to < date_from:
        return "ended_before"
    if valid_from is not None and valid_from > date_to and start_qualifier != "at_least":
        return "began_after"
    start_known = valid_from is not None and valid_from <= date_from
    end_known = (valid_to is not None and valid_to >= date_to) or (
        tenure == "current" and as_of is not None and as_of >= date_to)
    return "held" if start_known and end_known else "may_have_held"
