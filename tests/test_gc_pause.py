"""The whole lists are built with Python's cyclic garbage collector paused
(repgraph/gc_pause.py): their models all stay alive until the answer is returned, so every
collection their allocations trigger scans them and frees nothing. Measured at 10k
persons: officials-cases 572 -> 460 ms p50, laws' p95 66 -> 31 ms (docs/benchmarks.md)."""

from __future__ import annotations

import gc
import threading

import pytest

from repgraph import service as S
from repgraph.gc_pause import collector_paused


@pytest.fixture
def collector():
    """The collector enabled at its default thresholds, restored after the test."""
    was, thresholds = gc.isenabled(), gc.get_threshold()
    gc.enable()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if was else gc.disable)()


def test_paused_inside_resumed_after_also_nested(collector):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_resumed_after_an_error(collector):
    with pytest.raises(ZeroDivisionError):
        with collector_paused():
            1 / 0
    assert gc.isenabled()


def test_a_collector_the_program_disabled_stays_disabled(collector):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_last_pause_of_any_thread_resumes_it(collector):
    """Two threads building answers at once: the first to finish must not resume the
    collector under the other (the collector is process-wide)."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with collector_paused():
            second_in.set()
            first_out.wait(10)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


@pytest.mark.parametrize("answer", [
    lambda store: S.officials_cases(store),
    lambda store: S.guilt_by_association(store),
    lambda store: S.exile_flows(store, "country"),
    lambda store: S.laws(store),
    lambda store: S.operations(store),
    lambda store: S.officials_cases_page(store, None, None, 5, 0),
], ids=["officials-cases", "guilt-by-association", "exile-flows", "laws", "operations", "officials-cases page"])
def test_whole_lists_run_no_collection_while_being_built(synthetic_store, collector, answer):
    """With a threshold of one allocation the collector runs at nearly every allocation:
    on the synthetic network 43 (guilt-by-association) to 296 (officials-cases) times in
    one answer built unpaused; paused, only in the few allocations around the pause (the
    call into the function, and once when it ends: the answer, alive, scanned once). The
    answer is still the right one: a pause changes when memory is freed, not what is
    built."""
    want = answer(synthetic_store)
    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(count)
    try:
        got = answer(synthetic_store)
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(700, 10, 10)
    assert got == want and got
    assert len(runs) <= 8, runs
