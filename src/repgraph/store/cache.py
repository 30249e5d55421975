"""Small derived data (every dataset's title) cached per store until the store may have
changed, so a page does not pay a round trip for it.

An entry is rebuilt when this process committed a write through the store
(``local_commits``), when :meth:`~repgraph.store.GraphStore.change_token` changes (asked at
most every ``store.change_token_interval`` seconds: another process's commit), or after
:data:`TTL` seconds (a change the token does not see, such as a dataset retitled in place
by another process, shows after at most that long)."""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any, Callable, TypeVar

T = TypeVar("T")

#: Seconds an entry is trusted at most.
TTL = 30.0

_entries: "weakref.WeakKeyDictionary[Any, dict[str, tuple[Any, int, float, float, Any]]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cached(store: Any, name: str, build: Callable[[], T]) -> T:
    """``build()`` for ``store``, from the cache while the store has not changed (see the
    module docstring). ``build`` reads the store; its result must not be mutated."""
    now = time.monotonic()
    local = getattr(store, "local_commits", 0)
    with _lock:
        entry = _entries.get(store, {}).get(name)
    if entry is not None:
        token, was_local, checked, built, value = entry
        if was_local == local and now - built < TTL:
            interval = getattr(store, "change_token_interval", 0.0)
            if interval and now - checked < interval:
                return value
            current = store.change_token()
            if current is not None and current == token:
                with _lock:
                    _entries.setdefault(store, {})[name] = (token, local, now, built, value)
                return value
    token = store.change_token()
    value = build()
    with _lock:
        _entries.setdefault(store, {})[name] = (token, local, now, now, value)
    return value
