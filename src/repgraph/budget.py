"""A time budget for one piece of work, checked cooperatively in long loops.

The API gives each costly request a :class:`Budget` (``REPGRAPH_REQUEST_BUDGET`` seconds)
through a context variable; loops that can run long (betweenness over thousands of
sources) call :func:`check` between steps, which raises :class:`BudgetExceeded` once the
budget is spent or the client has gone (the API answers 503 with the reason). Without a
budget (the CLI, the admin on their own machine) :func:`check` does nothing.
"""

from __future__ import annotations

import time
from contextvars import ContextVar


class BudgetExceeded(Exception):
    """The work was stopped: the message says why (time spent, client gone)."""


class Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.reason: str | None = None

    def cancel(self, reason: str) -> None:
        self.reason = self.reason or reason

    def check(self) -> None:
        if self.reason is None and time.monotonic() > self.deadline:
            self.reason = f"the request's time budget of {self.seconds:g} s was spent; ask for less (e.g. a smaller max_nodes, or a root)"
        if self.reason is not None:
            raise BudgetExceeded(self.reason)


current: ContextVar[Budget | None] = ContextVar("repgraph_budget", default=None)


def check() -> None:
    """Raise :class:`BudgetExceeded` if the current work's budget is spent or cancelled."""
    budget = current.get()
    if budget is not None:
        budget.check()
