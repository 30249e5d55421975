"""Answers are built with Python's cyclic garbage collector paused (repgraph/gc_pause.py):
their models all stay alive until the answer is returned, so every collection their
allocations trigger scans them and frees nothing. Measured at 10k persons: officials-cases
572 -> 460 ms p50, laws' p95 66 -> 31 ms; at 100k on Neo4j the API's ego graph around a
host country 77 -> 60 ms of server CPU (docs/benchmarks.md)."""

from __future__ import annotations

import gc
import threading
import time

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
    lambda store: S.ego_graph(store, "p-defender-alpha", depth=3),
    lambda store: S.entity(store, "p-defender-alpha"),
    lambda store: S.search(store, "testdefender"),
    lambda store: S.responsibility_chain(store, "inc-alpha-detention"),
    lambda store: S.whole_graph(store),
], ids=["officials-cases", "guilt-by-association", "exile-flows", "laws", "operations", "officials-cases page",
        "ego graph", "entity", "search", "responsibility-chain", "whole graph"])
def test_answers_run_no_collection_while_being_built(synthetic_store, collector, answer):
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


def test_overlapping_pauses_still_collect_cyclic_garbage(collector, monkeypatch):
    """Requests that overlap without end would keep the collector paused for ever: a pause
    ending when it has been held longer than MAX_HELD_SECONDS collects, while another
    answer is still being built, and the cycles made meanwhile are freed."""
    import weakref

    import repgraph.gc_pause as G

    monkeypatch.setattr(G, "MAX_HELD_SECONDS", 0.05)

    class Cycle:
        pass

    outer_in, inner_done = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def outer():  # an answer that takes long, still being built when the other one ends
        with collector_paused():
            outer_in.set()
            inner_done.wait(10)
            seen["paused while it ran"] = not gc.isenabled()

    t = threading.Thread(target=outer)
    t.start()
    outer_in.wait(10)
    with collector_paused():
        c = Cycle()
        c.me = c  # garbage only a collection frees
        ref = weakref.ref(c)
        del c
        time.sleep(0.1)
    seen["cycle freed by the pause's end"] = ref() is None
    inner_done.set()
    t.join(10)
    assert seen == {"cycle freed by the pause's end": True, "paused while it ran": True}
    assert gc.isenabled()


def test_many_threads_of_answers_failing_or_not_leave_the_collector_running(synthetic_store, collector, monkeypatch):
    """The API answers in a pool of worker threads: overlapping answers that end in
    NotFound (404), a spent budget (503, raised inside the pause by budget.check) or a
    right answer, for a while without a moment when none is being built. Meanwhile cyclic
    garbage made outside any answer (another route's work) is still freed, at least every
    MAX_HELD_SECONDS; once every answer has ended the collector runs again, with no pause
    left counted, and each answer was the right one."""
    import weakref

    import repgraph.gc_pause as G
    from repgraph.budget import Budget, BudgetExceeded
    from repgraph.budget import current as current_budget

    monkeypatch.setattr(G, "MAX_HELD_SECONDS", 0.1)
    want_ego = S.ego_graph(synthetic_store, "p-defender-alpha", depth=2)
    want_entity = S.entity(synthetic_store, "p-defender-alpha")
    outcomes: dict[str, int] = {}
    wrong: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def worker(i: int) -> None:
        while not stop.is_set():
            kind = ("ego", "entity", "unknown", "spent")[i % 4]
            try:
                if kind == "ego" and S.ego_graph(synthetic_store, "p-defender-alpha", depth=2) != want_ego:
                    wrong.append(kind)
                elif kind == "entity" and S.entity(synthetic_store, "p-defender-alpha") != want_entity:
                    wrong.append(kind)
                elif kind == "unknown":
                    S.ego_graph(synthetic_store, "p-nobody-such")
                elif kind == "spent":
                    token = current_budget.set(Budget(-1.0))  # spent before it starts
                    try:
                        S.ego_graph(synthetic_store, "p-defender-alpha", depth=2)
                    finally:
                        current_budget.reset(token)
                outcome = "answered"
            except S.NotFound:
                outcome = "NotFound"
            except BudgetExceeded:
                outcome = "BudgetExceeded"
            with lock:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

    class Cycle:
        pass

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    refs = []
    held = []
    try:
        for _ in range(40):  # 2 s of another route's cyclic garbage
            c = Cycle()
            c.me = c
            refs.append(weakref.ref(c))
            del c
            held.append(G._depth > 0)
            time.sleep(0.05)
        time.sleep(0.3)  # > MAX_HELD_SECONDS: some pause ended since the last cycle was made
        alive = sum(r() is not None for r in refs)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert wrong == []
    assert set(outcomes) == {"answered", "NotFound", "BudgetExceeded"}, outcomes
    assert sum(held) > 30, "the answers overlapped: the collector was held most of the time"
    assert alive == 0, f"{alive} of 40 cycles outlived MAX_HELD_SECONDS"
    assert gc.isenabled() and G._depth == 0
