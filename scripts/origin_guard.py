"""ASGI middleware: refuse another site's websocket before Streamlit sees it.

Why: Streamlit refuses a websocket whose ``Origin`` is not the server itself, but to
decide, it tries the machine's internal address (a UDP socket towards 8.8.8.8) and its
external address — an HTTP request to ``checkip.amazonaws.com``, repeated for every
refused origin while the lookup fails (``streamlit.web.server.server_util.
is_url_from_allowed_origins``, 1.67). A script opening cross-origin websockets thus makes
the server call out, as often as it likes. This middleware answers those with a 403
itself, from the same rules without the lookups: no ``Origin`` (not a browser), the
page's own host (``Origin`` host and port = ``Host``), ``localhost``/``127.0.0.1``, the
host of ``browser.serverAddress`` and of ``server.corsAllowedOrigins`` pass to
Streamlit; with ``server.enableCORS`` off every origin passes (Streamlit's rule).
A deployment behind ``deploy/nginx`` has the same refusal at the proxy.

Nothing here imports Streamlit: ``scripts/serve.py`` gives the allowed hosts as a
callable read per connection (Streamlit loads its config after the middleware is made).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from page_base import ASGIApp, Receive, Scope, Send

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0"})


def host_of(url: str) -> str:
    """The host name of *url* (``https://a.example:8443/x`` -> ``a.example``), or ``""``."""
    try:
        return (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:
        return ""


def allowed_hosts(server_address: str, cors_origins: Iterable[str]) -> frozenset[str]:
    """The host names Streamlit accepts as a websocket's origin besides the page's own."""
    named = {host_of(server_address), *(host_of(origin) for origin in cors_origins)}
    return LOCAL_HOSTS | (named - {""})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def origin_allowed(scope: Scope, hosts: frozenset[str]) -> bool:
    """Whether the websocket of *scope* may reach Streamlit (see the module doc)."""
    origin = _header(scope, b"origin")
    if origin is None:
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return netloc == _header(scope, b"host") or host_of(origin) in hosts


class OriginGuard:
    """Closes (403) a websocket from another site before the app sees it."""

    def __init__(
        self, app: ASGIApp, hosts: Callable[[], frozenset[str] | None] = lambda: None
    ) -> None:
        """*hosts*: the allowed host names, read per connection; ``None`` allows all."""
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            hosts = self.hosts()
            if hosts is not None and not origin_allowed(scope, hosts):
                await send({"type": "websocket.close", "code": 1008})
                return
        await self.app(scope, receive, send)
