"""Candidate duplicates: could two records (two ids) be the same person or organization?

A score and the reasons, for a person to review (``repgraph dedupe``); never a decision.
Built on OpenSanctions' libraries: ``rigour`` tokenizes names and removes honorifics,
``normality`` folds case and accents (NFD/NFC alike), ``rapidfuzz`` compares tokens.

Names (the name and every alias of each record) are compared as token sets:

* ``"NUÑEZ, Pedro Ejemplo"`` (list order: surnames, comma, given names) is read as
  ``"Pedro Ejemplo NUÑEZ"``; accents and case do not count;
* a quoted nickname (``Nicolás “Nico” Ejemplo``) is an alias (``Nico``) and is left out of
  the name it is quoted in; it also stands for the given name (``Nico Ejemplo``);
* two forms **match** when every token of the shorter one matches a token of the longer
  one (rapidfuzz ratio >= 88, for spelling slips) and they share at least two tokens; if
  the longer one has more tokens (a dropped second surname: ``Pedro Ejemplo`` /
  ``Pedro Ejemplo Núñez``), their first tokens (the given name) must also match;
  score ``0.7 + 0.3 * shorter/longer`` (1.0 for the same tokens in any order);
* otherwise the score is ``0.5 * matched/longer``, below :data:`THRESHOLD`: father and son
  who share surnames but not a given name stay apart;
* numbers in names (``Test Person 12``) must agree, and so must generational markers
  (:data:`GENERATIONS`: ``Jr.``, ``hijo``, ``III``, ...): ``Pedro Ejemplo Núñez`` and
  ``Pedro Ejemplo Núñez (hijo)`` are father and son as a source writes them, not one
  name spelled two ways.

Then: a shared identifier (same scheme and value) is strong evidence (score at least
0.95); the same scheme with different values, or birth dates that cannot both be true,
lower the score by 0.5; a shared birth date adds 0.05 to a name match and **never makes a
match alone**; shared links (the same other ends) are listed as reasons and add 0.02 each
(at most 0.06). Records of different labels are never compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz
from rigour.names import remove_person_prefixes, tokenize_name

from .ontology import date_bounds, fold, nicknames, without_nicknames

#: Pairs scoring at least this are candidates.
THRESHOLD = 0.7

#: Folded name tokens that tell a generation apart (a son named after his father):
#: English, Spanish and Portuguese suffixes and regnal-style numerals. Two name forms
#: whose markers differ (one has ``jr``, the other none) do not match.
GENERATIONS = frozenset({
    "jr", "junior", "sr", "senior", "hijo", "padre", "nieto", "filho", "neto", "sobrinho",
    "ii", "iii", "iv",
})

def name_tokens(name: str, person: bool = True) -> tuple[str, ...]:
    """Folded tokens of a name in natural order (given names first)."""
    name = without_nicknames(name)
    if person and name.count(",") == 1:
        surnames, given = name.split(",")
        name = f"{given} {surnames}"
    if person:
        name = remove_person_prefixes(name)
    return tuple(tokenize_name(fold(name)))


@dataclass
class Record:
    """What matching knows of one id: its label, name forms, identifiers, birth date."""

    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    birth_date: str | None = None

    @property
    def forms(self) -> list[tuple[str, ...]]:
        person = self.label == "Person"
        names = [self.name, *self.aliases, *nicknames(self.name)]
        out = []
        for n in names:
            tokens = name_tokens(n, person)
            if tokens and tokens not in out:
                out.append(tokens)
        if person:  # the nickname in place of the given name: "Nico Ejemplo"
            rest = name_tokens(self.name, person)[1:]
            for nick in nicknames(self.name):
                tokens = name_tokens(nick, person) + rest
                if rest and tokens not in out:
                    out.append(tokens)
        return out


def _same_token(a: str, b: str) -> bool:
    if a.isdigit() or b.isdigit():
        return a == b
    return a == b or (min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 88)


def compare_forms(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Score of two name forms (token tuples), by the module's rules."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    free = list(long_)
    matched = 0
    for t in short:
        hit = next((u for u in free if _same_token(t, u)), None)
        if hit is not None:
            free.remove(hit)
            matched += 1
    numbers_differ = {t for t in a if t.isdigit() or t in GENERATIONS} != {t for t in b if t.isdigit() or t in GENERATIONS}
    if matched == len(short) and matched >= 2 and not numbers_differ:
        if len(short) < len(long_) and not _same_token(short[0], long_[0]):
            return 0.5 * matched / len(long_)
        return 0.7 + 0.3 * len(short) / len(long_)
    return 0.5 * matched / max(len(long_), 1)


def _dates_disjoint(a: str, b: str) -> bool:
    try:
        a0, a1, _ = date_bounds(a)
        b0, b1, _ = date_bounds(b)
    except ValueError:
        return False
    return a1 < b0 or b1 < a0


def score(a: Record, b: Record) -> tuple[float, list[str]]:
    """``(score 0..1, reasons)`` for two records of the same label."""
    best, best_pair = 0.0, None
    for fa in a.forms:
        for fb in b.forms:
            s = compare_forms(fa, fb)
            if s > best:
                best, best_pair = s, (fa, fb)
    reasons = []
    if best >= THRESHOLD and best_pair:
        reasons.append(f"names match: {' '.join(best_pair[0])!r} ~ {' '.join(best_pair[1])!r} ({best:.2f})")
    shared = sorted(set(a.identifiers) & set(b.identifiers))
    if shared:
        best = max(best, 0.95)
        reasons.append(f"shared identifier {', '.join(shared)}")
    schemes_a = defaultdict(set)
    for i in a.identifiers:
        schemes_a[i.split(":", 1)[0]].add(i)
    for i in b.identifiers:
        scheme = i.split(":", 1)[0]
        if schemes_a.get(scheme) and i not in schemes_a[scheme] and not (schemes_a[scheme] & set(b.identifiers)):
            best -= 0.5
            reasons.append(f"different {scheme}: {', '.join(sorted(schemes_a[scheme]))} / {i}")
            break
    if a.birth_date and b.birth_date:
        if _dates_disjoint(a.birth_date, b.birth_date):
            best -= 0.5
            reasons.append(f"different birth dates {a.birth_date} / {b.birth_date}")
        elif best >= THRESHOLD:
            best += 0.05
            reasons.append(f"same birth date {a.birth_date}")
    return round(max(0.0, min(best, 1.0)), 3), reasons


def blocks(records: Iterable[Record]) -> dict[tuple[str, str], list[Record]]:
    """Records grouped by every pair of their name tokens (a match shares at least two),
    plus one block per identifier."""
    out: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        keys = set()
        for form in r.forms:
            keys.update(combinations(sorted(set(form)), 2))
        keys.update(("id", i) for i in r.identifiers)
        for k in keys:
            out[k].append(r)
    return out


def candidate_pairs(records: list[Record], only: set[str] | None = None) -> list[tuple[Record, Record, float, list[str]]]:
    """Pairs of records (same label) scoring at least :data:`THRESHOLD`, best first;
    with ``only``, just pairs involving one of those ids."""
    seen: set[tuple[str, str]] = set()
    out = []
    for group in blocks(records).values():
        if len(group) < 2:
            continue
        for a, b in combinations(group, 2):
            if a.label != b.label or a.id == b.id:
                continue
            key = (min(a.id, b.id), max(a.id, b.id))
            if key in seen or (only is not None and a.id not in only and b.id not in only):
                continue
            seen.add(key)
            s, reasons = score(a, b)
            if s >= THRESHOLD:
                first, second = (a, b) if a.id < b.id else (b, a)
                out.append((first, second, s, reasons))
    out.sort(key=lambda p: (-p[2], p[0].id, p[1].id))
    return out
