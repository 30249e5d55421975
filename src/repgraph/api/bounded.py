"""Costly routes run in a worker thread under a time budget, stopped when the client leaves.

:func:`run_bounded` runs ``fn`` in a thread with a :class:`repgraph.budget.Budget` of
``REPGRAPH_REQUEST_BUDGET`` seconds; meanwhile it watches for the client's disconnect.
When the budget is spent or the client is gone the budget is cancelled (the work stops
at its next :func:`repgraph.budget.check`) and the request answers 503 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..budget import Budget, BudgetExceeded
from ..budget import current as current_budget

T = TypeVar("T")

#: How often the watcher looks for a disconnected client (seconds).
POLL = 0.1


async def run_bounded(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread within the app's request budget."""
    budget = Budget(request.app.state.request_budget)

    def work() -> T:
        token = current_budget.set(budget)
        try:
            return fn(*args, **kwargs)
        finally:
            current_budget.reset(token)

    result: list[T] = []
    errors: list[Exception] = []

    async def watch(scope: anyio.CancelScope) -> None:
        while True:
            await anyio.sleep(POLL)
            if await request.is_disconnected():
                budget.cancel("the client disconnected")
                scope.cancel()
                return

    with anyio.move_on_after(budget.seconds):
        async with anyio.create_task_group() as tg:
            tg.start_soon(watch, tg.cancel_scope)
            try:
                result.append(await anyio.to_thread.run_sync(work, abandon_on_cancel=True))
            except Exception as exc:  # noqa: BLE001 - re-raised below, outside the task group (no ExceptionGroup)
                errors.append(exc)
            tg.cancel_scope.cancel()
    if errors:
        raise errors[0]
    if not result:
        budget.cancel(f"the request's time budget of {budget.seconds:g} s was spent; "
                      "ask for less (e.g. a smaller max_nodes, or a root)")
        raise BudgetExceeded(budget.reason)
    return result[0]


async def budget_exceeded(request: Request, exc: BudgetExceeded) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


def install(app: FastAPI, seconds: float) -> None:
    app.state.request_budget = seconds
    app.add_exception_handler(BudgetExceeded, budget_exceeded)
