"""Inlined assets for the standalone map (:func:`mapping.render.standalone_html`).

The standalone page is the same map the app shows (:func:`mapping.render.venue_map`,
the same runtime ``templates/venue_map.js`` and payload), drawn with the asset base
:data:`INLINE`. With that base every vendored script and stylesheet is written *into*
the page instead of linked, and every ``url(…)`` a stylesheet names (the Font Awesome
font, Leaflet's layer-control images) becomes a ``data:`` URI. So the file works opened
from disk and inside an ``<iframe>`` on another site; only the map tiles need the
network.

Decisions:

- **Frozen "now".** A file has no server: the cards' "open now" and "today" describe
  the moment of the export (:func:`mapping.exporting.export_bytes`'s ``now``); the
  README says to export again to refresh.
- **A missing font file** named by a stylesheet (Font Awesome's ``.ttf`` fallback is
  not vendored) becomes an empty ``data:`` URI: the browser uses the ``woff2``, and no
  request leaves the page.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import cache
from pathlib import Path

INLINE = "inline:"
"""The asset base that inlines the vendored files (``static/vendor``) into the page."""
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
"""The vendored Leaflet, markercluster and Font Awesome (see ``static/VENDOR.md``)."""

_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
_MIME = {".woff2": "font/woff2", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml"}


def is_inline(url: str) -> bool:
    """Whether an asset URL names a vendored file to inline (asset base :data:`INLINE`)."""
    return url.startswith(INLINE)


@cache
def inline_asset(url: str) -> str:
    """The ``<script>`` or ``<style>`` element holding the vendored file ``url`` names.

    ``</`` inside a script is written ``<\\/`` so the file cannot end its element.
    """
    path = VENDOR / url.removeprefix(INLINE).lstrip("/")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".js":
        return "<script>" + text.replace("</", "<\\/") + "</script>"
    return "<style>" + inline_css_urls(text, path.parent) + "</style>"


def inline_css_urls(css: str, folder: Path) -> str:
    """``css`` with every relative ``url(…)`` replaced by a ``data:`` URI of the file."""

    def data_uri(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#", "http:", "https:")):
            return match.group(0)
        target = (folder / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file() or VENDOR not in target.parents:
            return 'url("data:,")'
        mime = _MIME.get(target.suffix) or mimetypes.guess_type(target.name)[0] or ""
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{encoded}")'

    return _CSS_URL.sub(data_uri, css)
