"""Python's cyclic garbage collector paused while a whole list is built.

A whole list (officials-cases, guilt-by-association, exile flows, laws, operations) is
tens of thousands of models that all stay alive until the answer is returned. Every
collection their allocations trigger scans them and frees nothing, and CPython starts a
full collection each time the objects that survived grow by a quarter, so a list built
with the collector running is scanned several times over. Measured at 10k persons in the
benchmark's process (after its server warm-up): officials-cases spent 40% of its CPU in
the collector (572 ms p50, 406 ms with it paused); laws and operations' p95 was twice
their p50 (30 / 66 ms) because one call in three paid a full collection of 35 ms.

Paused, the answer's objects are scanned once, by the first collection after the pause.
Reference counting still frees everything that is not in a cycle, so memory grows only by
cyclic garbage made during the answer. The collector is process-wide, so the pause is
counted across threads: it runs again when the last answer being built ends, and a
collector the embedding program had disabled stays disabled.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (usable as a decorator:
    ``@collector_paused()``). Reentrant and thread-safe; restores the collector's state of
    before the outermost pause."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
