"""ASGI middleware: tell Streamlit's frontend where the server is on a deep link.

Why: loaded at a page path such as ``/whats-on``, Streamlit's frontend does not know
whether the server sits at ``/whats-on/`` or ``/``. It probes ``/whats-on/_stcore/health``
and ``/whats-on/_stcore/host-config`` first (404s, and more of them on every reconnect),
then falls back to ``/`` (streamlit/streamlit#7074, open). The frontend reads an optional
``window.__streamlit`` object before it connects; with ``BACKEND_BASE_URL`` set to the
server's root it probes that root only. Checked in the bundles of 1.59 and 1.67.

How: for a GET of a page path (not a Streamlit endpoint or asset), the HTML answer
(Streamlit's ``index.html``) gets one inline script at the top of ``<head>``. The server
knows how many path segments follow ``server.baseUrlPath`` (the page part); the script
strips that many from the browser's own URL (``new URL("./", location.href)`` for one).
So the base stays right behind a proxy that adds a path prefix, and ``server.baseUrlPath``
needs no special case. Everything else passes through untouched; a response that is not
plain (uncompressed) HTML, or has no ``<head>``, is passed on as it came.

Not chosen: answering the probed ``/whats-on/_stcore/…`` paths. A 200 there makes the
frontend adopt ``/whats-on/`` as its base (websocket, media, components, page names), a
redirect ends in the same, and any non-2xx only disguises the wasted probes.

Nothing here imports Streamlit: ``scripts/serve.py`` adds it through ``st.App``'s public
``middleware`` parameter. The private surface left is the frontend's ``window.__streamlit``
contract (``tests/browser/test_responses_browser.py`` fails if it stops working).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# First path segments (after server.baseUrlPath) that are Streamlit's, never a page.
NOT_PAGES = frozenset({"_stcore", "static", "media", "component", "app"})
# Request headers dropped on a page request: the HTML must come uncompressed (so it can
# be edited) and whole (no 304 against a copy cached before this middleware).
_DROPPED_REQUEST_HEADERS = frozenset({b"accept-encoding", b"if-none-match", b"if-modified-since"})
# Response headers that describe the file, not the edited body.
_DROPPED_RESPONSE_HEADERS = frozenset({b"content-length", b"etag", b"last-modified"})


def page_depth(path: str, base_url_path: str = "") -> int:
    """How many segments of *path* name a page (0: the root, an endpoint or an asset)."""
    base = [part for part in base_url_path.split("/") if part]
    parts = [part for part in path.split("/") if part]
    if parts[: len(base)] != base:
        return 0
    page = parts[len(base) :]
    if not page or page[0] in NOT_PAGES:
        return 0
    return len(page)


def base_script(depth: int) -> bytes:
    """The inline script that sets the frontend's ``BACKEND_BASE_URL`` for *depth*."""
    relative = "./" if depth <= 1 else "../" * (depth - 1)
    return (
        b'<script>window.__streamlit=Object.assign({BACKEND_BASE_URL:new URL("'
        + relative.encode()
        + b'",location.href).href},window.__streamlit);</script>'
    )


def inject(html: bytes, script: bytes) -> bytes:
    """*html* with *script* right after ``<head>``; unchanged if there is no ``<head>``."""
    at = html.find(b"<head>")
    if at < 0:
        return html
    at += len(b"<head>")
    return html[:at] + script + html[at:]


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((value for key, value in headers if key.lower() == name), b"")


class PageBaseMiddleware:
    """Adds :func:`base_script` to the HTML that answers a page path (see module doc)."""

    def __init__(self, app: ASGIApp, base_url_path: Callable[[], str] = str) -> None:
        """*base_url_path* is read per request: Streamlit loads its config after this."""
        self.app = app
        self.base_url_path = base_url_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        depth = 0
        if scope["type"] == "http" and scope["method"] == "GET":
            depth = page_depth(scope["path"], self.base_url_path() or "")
        if not depth:
            await self.app(scope, receive, send)
            return
        scope = {
            **scope,
            "headers": [
                (key, value)
                for key, value in scope["headers"]
                if key.lower() not in _DROPPED_REQUEST_HEADERS
            ],
        }
        held: Message | None = None
        chunks: list[bytes] = []

        async def edit(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if (
                    message["status"] == 200
                    and _header(headers, b"content-type").startswith(b"text/html")
                    and not _header(headers, b"content-encoding")
                ):
                    held = message
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = inject(b"".join(chunks), base_script(depth))
                headers = [
                    (key, value)
                    for key, value in held.get("headers", [])
                    if key.lower() not in _DROPPED_RESPONSE_HEADERS
                ]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**held, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, edit)
