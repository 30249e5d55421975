"""HEAD on every GET route: the headers of the GET answer, without its body (RFC 9110 §9.3.2).

FastAPI registers only the methods a route declares, so ``HEAD /health`` answered 405 and
monitors that probe with HEAD saw the service as broken. This ASGI middleware serves a
HEAD request as the GET it stands for and drops the body, for every route at once
(including any added later), without adding HEAD operations to the OpenAPI document.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: ``HEAD`` answered as ``GET`` with an empty body (same status and
    headers, ``content-length`` included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
