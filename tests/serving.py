"""Helpers for tests that start ``repgraph serve`` as a real process."""

from __future__ import annotations

import subprocess
import time

import httpx


def wait_for_health(port: int | str, proc: subprocess.Popen, seconds: float = 60) -> httpx.Response:
    """The first answer of ``GET /health`` on 127.0.0.1:``port``, polled every 0.2 s while
    ``proc`` (the server) runs; AssertionError with the server's output when it exits or
    does not answer within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                if proc.poll() is None:
                    proc.kill()
                raise AssertionError(f"serve did not come up: {proc.communicate()}") from None
            time.sleep(0.2)
