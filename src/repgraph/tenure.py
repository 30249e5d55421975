"""Whether a tenure (a HOLDS as stored) covers an incident's dates, as far as the
sources allow: shared by every command-responsibility answer."""

from __future__ import annotations

from .ontology import date_bounds


def covers(valid_from: str | None, valid_to: str | None, tenure: str | None, as_of: str | None,
           start_qualifier: str | None, date_from: str, date_to: str,
           start_date: str | None = None, end_date: str | None = None) -> str:
    """``held`` | ``may_have_held`` | ``ended_before`` | ``began_after``.

    ``held``: the start is certainly on or before the incident's first day (the LAST day
    of a partial start: a post taken "in 2019" may have been taken in December; "since at
    least" counts: it began then or earlier) and the end, or the date the source says the
    post was still held, certainly on or after its last day (the FIRST day of a partial
    end). ``may_have_held``: neither excluded nor settled (start or end unknown, or a
    partial date containing the incident's). ``valid_from``/``valid_to``: the HOLDS's
    earliest start and latest end (ISO days); ``start_date``/``end_date``: its partial
    dates as stated (None on rows without them: then the ISO days decide). ISO-day
    strings throughout.
    """
    if valid_to is not None and valid_to < date_from:
        return "ended_before"
    if valid_from is not None and valid_from > date_to and start_qualifier != "at_least":
        return "began_after"
    latest_start = date_bounds(start_date)[1] if start_date else valid_from
    earliest_end = date_bounds(end_date)[0] if end_date else valid_to
    start_known = latest_start is not None and latest_start <= date_from
    end_known = (earliest_end is not None and earliest_end >= date_to) or (
        tenure == "current" and as_of is not None and as_of >= date_to)
    return "held" if start_known and end_known else "may_have_held"
