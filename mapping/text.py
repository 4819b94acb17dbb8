"""Text helpers: the one escaping helper for HTML/JS, and diacritics-insensitive folding.

Every string that comes from data or forms and reaches a browser passes through
:func:`escape`. It is safe in HTML text, in a quoted HTML attribute, and inside a
JavaScript template string (folium puts popups and tooltips in backtick strings,
where ``${...}`` would run and a backslash could eat the closing backtick).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from html.entities import html5 as html5_entities
from html.parser import HTMLParser

import numpy as np
import pandas as pd
from anyascii import anyascii

from mapping.schema import as_text, is_web_url

_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "\\": "&#x5C;",
}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)

# Letters that NFKD does not split into base + combining mark.
_FOLD_EXTRA = str.maketrans({"đ": "dj", "Đ": "dj", "ø": "o", "ß": "ss", "æ": "ae", "ł": "l"})
_COMBINING = re.compile(r"[\u0300-\u036f]")


def escape(value: object) -> str:
    """Escape ``value`` for HTML text, attributes and JavaScript template strings.

    ``None`` and NaN become the empty string, so unknown data never prints "nan".
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).translate(_ESCAPE_TABLE)


def fold(text: object) -> str:
    """Lower-case ``text`` and strip diacritics, so "durkovic" matches "Đurković".

    "đ" folds to "dj" (its usual Latin transliteration) *and* a plain "d" query still
    matches because :func:`search_keys` stores both spellings.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    lowered = str(text).lower().translate(_FOLD_EXTRA)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


def search_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One folded haystack per row of the given columns (columns may be missing), with
    "dj" also written as "d": what a text search looks in."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return pd.Series("", index=frame.index, dtype=object)
    parts = [as_text(frame[c]) for c in present]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + " | " + part
    folded = joined.map(fold).astype(object)
    return folded + " || " + folded.str.replace("dj", "d", regex=False)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_literal(value: object) -> str:
    """``value`` as literal text inside Streamlit markdown (labels, captions).

    Streamlit escapes HTML in markdown, but markdown itself (links, images, emphasis)
    would still be interpreted; backslash-escaping its punctuation keeps data as data.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def css_string(value: object) -> str:
    """``value`` as a quoted CSS string (for ``content:``): every character but letters,
    digits and spaces is written as a CSS hex escape, so no quote, backslash or
    ``</style>`` in a translation can end the string or the style block."""
    text = "" if value is None else str(value)
    return (
        '"'
        + "".join(
            ch if (ch.isalnum() and ch.isascii()) or ch == " " else f"\\{ord(ch):x} " for ch in text
        )
        + '"'
    )


# --------------------------------------------------------------------------- link-only HTML

_DROP_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "textarea",
        "title",
        "iframe",
        "object",
        "svg",
        "math",
    }
)


class _LinkOnly(HTMLParser):
    """Keeps text and ``<a href="http(s)://…">`` links; records everything it drops."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # keep "&copy;" as written
        self.out: list[str] = []
        self.dropped: list[str] = []
        self._open_links = 0
        self._skip = 0  # depth inside an element whose content is dropped too

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._skip += 1
            self.dropped.append(f"<{tag}>")
            return
        if tag != "a":
            self.dropped.append(f"<{tag}>")
            return
        href = next((v for k, v in attrs if k == "href"), None)
        others = sorted({k for k, _ in attrs if k != "href"})
        if others:
            self.dropped.append(f"attribute(s) {', '.join(others)} of <a>")
        if href is None or not is_web_url(href):
            self.dropped.append(f"link {href!r} (only http:// and https:// links are kept)")
            return
        if self._skip == 0:
            self.out.append(f'<a href="{escape(href.strip())}">')
            self._open_links += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.dropped.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._open_links and self._skip == 0:
            self.out.append("</a>")
            self._open_links -= 1

    def handle_data(self, data: str) -> None:
        if self._skip == 0:
            self.out.append(escape(data))

    def handle_entityref(self, name: str) -> None:
        if self._skip == 0:
            known = f"{name};" in html5_entities
            self.out.append(f"&{name};" if known else escape(f"&{name}"))

    def handle_charref(self, name: str) -> None:
        if self._skip == 0:
            digits = name[1:] if name[:1] in "xX" else name
            base = 16 if name[:1] in "xX" else 10
            try:
                valid = 0 < int(digits, base) <= 0x10FFFF
            except ValueError:
                valid = False
            self.out.append(f"&#{name};" if valid else escape(f"&#{name}"))

    def handle_comment(self, data: str) -> None:
        self.dropped.append("<!-- comment -->")

    def handle_decl(self, decl: str) -> None:
        self.dropped.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.dropped.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.dropped.append(f"<![{data}]>")

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "</a>" * self._open_links


def link_only_html(value: object) -> tuple[str, list[str]]:
    """``value`` as safe HTML holding only text and ``http(s)`` links, and what was dropped.

    Used for the tile attribution of ``city.toml``, which Leaflet inserts as HTML: text
    is kept, escaped by :func:`escape` (a known character reference such as ``&copy;``
    stays as written), an ``<a>`` keeps only an ``href`` that
    :func:`mapping.schema.is_web_url` accepts, and every other tag, attribute, comment
    or ``javascript:`` link is removed (``<script>``/``<style>`` with their content).
    The second value lists what was removed: empty when ``value`` was already safe.
    """
    parser = _LinkOnly()
    parser.feed("" if value is None else str(value))
    html = parser.result()
    return html, parser.dropped


def safe_attribution(value: object) -> str:
    """The tile attribution as text plus ``http(s)`` links only (:func:`link_only_html`)."""
    return link_only_html(value)[0]


def slug(
    text: object, default: str = "map", *, ascii_only: bool = False, max_chars: int | None = None
) -> str:
    """``text`` folded (:func:`fold`) to a slug: its words joined by ``-``; ``default``
    when nothing is left. The one slug rule: file names, and every id the app makes.

    Letters of any script and digits are kept ("Đurđevo Brdo" → "djurdjevo-brdo",
    "Ново Село" → "ново-село"): file names. ``ascii_only`` gives ``a-z`` and ``0-9``
    only, the id alphabet of :func:`mapping.schema.is_id`: other scripts are
    transliterated with ``anyascii`` (a maintained table for every Unicode character),
    so "Ново Село" → ``novo-selo`` and "Ѓорче Петров II" → ``gorche-petrov-ii``, never a
    bare ``ii`` left after the Cyrillic letters were dropped. The folding of
    :func:`fold` comes first ("đ" → "dj", as everywhere else). ``max_chars`` cuts the
    slug to at most that many characters (never ending in ``-``).
    """
    if ascii_only:
        raw = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
        words = re.findall(r"[a-z0-9]+", fold(anyascii(raw.lower().translate(_FOLD_EXTRA))))
    else:
        words = re.findall(r"[^\W_]+", fold(text))
    found = "-".join(words)
    if max_chars is not None:
        found = found[:max_chars].strip("-")
    return found or default


def unique(base: str, taken: Container[str]) -> str:
    """``base``, else ``base-2``, ``base-3``…: the first that is not in ``taken`` (a new
    id beside the ids a file already holds)."""
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found


# --------------------------------------------------------------------------- terminal

_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")
"""Unicode categories a terminal acts on or hides: controls (ESC, CR, NUL, DEL, C1),
format characters (bidi controls, zero-width space/joiners, soft hyphen, BOM), line and
paragraph separators, and lone surrogates."""


def terminal_text(text: str, *, keep_newlines: bool = True) -> str:
    r"""``text`` with every control or invisible character shown as an escape.

    Record and suggestion text printed by the CLI goes through here, so a value cannot
    drive the terminal (ESC), hide itself (zero-width, bidi) or forge a line: a value
    printed inside one line passes ``keep_newlines=False``, and its line feed shows as
    ``\n``. They become ``\x1b``, ``\r``, ``\u200b``, ``\u202e``…; line feeds stay when
    ``keep_newlines``. Other text, accents and emoji included, is unchanged.
    """
    return "".join(
        _visible(c) if _invisible(c) and not (keep_newlines and c == "\n") else c for c in text
    )


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _visible(char: str) -> str:
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
