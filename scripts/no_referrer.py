"""ASGI middleware: ``Referrer-Policy: no-referrer`` on every answer of the app's server.

Why: a member's personal link carries its token in the page's URL (``/members?key=…``).
Without a policy, a browser may send that URL as the ``Referer`` of a request to another
site (a link in a card, the tile server, a website a member typed). The proxy
(``deploy/nginx/app.conf``) sends the header; Streamlit's bundled server does not, so a
deployment without the proxy (``scripts/run.sh``) gets it here. Cards' own links also
carry ``rel="noopener noreferrer"`` (``mapping/templates/venue_map.js``).

An answer that already names a policy keeps it. Nothing here imports Streamlit:
``scripts/serve.py`` adds it through ``st.App``'s public ``middleware`` parameter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADER = (b"referrer-policy", b"no-referrer")


class NoReferrer:
    """Adds :data:`HEADER` to each HTTP response that has no ``Referrer-Policy``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(key.lower() == HEADER[0] for key, _ in headers):
                    headers.append(HEADER)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add)
