"""Python's cyclic garbage collector paused while an answer is built.

An answer is models that all stay alive until it is returned: a whole list
(officials-cases, guilt-by-association, exile flows, laws, operations) is tens of
thousands; an ego graph around a hub decodes a thousand relationships. Every collection
their allocations trigger scans them and frees nothing, and CPython starts a full
collection each time the objects that survived grow by a quarter, so an answer built with
the collector running is scanned several times over, and a full collection in a server
scans its whole heap too. Measured at 10k persons in the benchmark's process (after its
server warm-up): officials-cases spent 40% of its CPU in the collector (572 ms p50, 406 ms
with it paused); laws and operations' p95 was twice their p50 (30 / 66 ms) because one
call in three paid a full collection of 35 ms; at 100k persons on Neo4j the API's ego
graph around a host country took 77 ms of the server's CPU (60 ms paused), with full
collections of 60-90 ms on top now and then.

Paused, the answer's objects are scanned once, by the first collection after the pause.
Reference counting still frees everything that is not in a cycle, so memory grows only by
the cyclic garbage made meanwhile (a few objects per request). The collector is
process-wide, so the pause is counted across threads: it runs again when the last answer
being built ends, and a collector the embedding program had disabled stays disabled.
Under a steady stream of overlapping requests the count might never reach zero: a pause
starting or ending when the collector has been held for :data:`MAX_HELD_SECONDS` runs a
full collection itself, so cyclic garbage never outlives that by much. (A single answer
running long while only unpaused work runs beside it holds the collector until it ends:
at most the request's time budget in the API.)
"""

from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager
from typing import Iterator

#: Longest the collector stays paused without a collection when pauses overlap (s).
MAX_HELD_SECONDS = 1.0

_lock = threading.Lock()
_depth = 0
_resume = False
_held_since = 0.0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (usable as a decorator:
    ``@collector_paused()``). Reentrant and thread-safe; restores the collector's state of
    before the outermost pause."""
    global _depth, _resume, _held_since
    collect = False
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            _held_since = time.monotonic()
            gc.disable()
        elif _resume and time.monotonic() - _held_since > MAX_HELD_SECONDS:
            _held_since = time.monotonic()  # a long answer holds it: this one starts with a collection
            collect = True
        _depth += 1
    if collect:
        gc.collect()
    try:
        yield
    finally:
        collect = False
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _resume:
                    gc.enable()
            elif _resume and time.monotonic() - _held_since > MAX_HELD_SECONDS:
                _held_since = time.monotonic()  # other answers are still being built
                collect = True
        if collect:
            gc.collect()
