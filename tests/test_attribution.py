"""The tile attribution reaches Leaflet (which shows it as HTML) as text and links only."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from mapping.render import base_map, map_html
from mapping.settings import load_city
from mapping.text import link_only_html, safe_attribution
from tests.conftest import MINI, REPO_DATA

OSM = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def test_the_osm_attribution_passes_unchanged():
    assert link_only_html(OSM) == (OSM, [])
    assert safe_attribution(load_city(REPO_DATA / "city.toml").tile_attribution) == OSM


@pytest.mark.parametrize(
    ("hostile", "kept"),
    [
        ("<img src=x onerror=alert(1)>OSM", "OSM"),
        ('<a href="javascript:alert(1)">OSM</a>', "OSM"),
        (
            '<a href="https://osm.org" onclick="alert(1)">OSM</a>',
            '<a href="https://osm.org">OSM</a>',
        ),
        ("<script>alert(1)</script>OSM", "OSM"),
        ("<svg onload=alert(1)><script>x</script></svg>OSM", "OSM"),
        ("<style>*{display:none}</style>OSM", "OSM"),
        ("OSM<!-- x --><![CDATA[y]]>", "OSM"),
        ("a & b < c > ${x} `", "a &amp; b &lt; c &gt; &#x24;{x} &#x60;"),
        (
            '<a href="https://x.org/?a=1&amp;b=2">q</a>',
            '<a href="https://x.org/?a=1&amp;b=2">q</a>',
        ),
        ("<a href=\"https://x.org/?b='2'\">q</a>", "q"),  # a quote in a link: not a link
        ("&#x3c;script&#x3e;", "&#x3c;script&#x3e;"),  # a reference is text, not a tag
    ],
)
def test_only_text_and_https_links_survive(hostile, kept):
    html, _ = link_only_html(hostile)
    assert html == kept
    assert not re.search(r"<(?!a href=\"https?://|/a>)", html), html


def test_dropped_parts_are_listed():
    _, dropped = link_only_html('<b>x</b><a href="ftp://x.org" title="t">y</a>')
    assert dropped == [
        "<b>",
        "attribute(s) title of <a>",
        "link 'ftp://x.org' (only http:// and https:// links are kept)",
    ]


def test_the_map_gets_the_sanitised_attribution():
    city = dataclasses.replace(
        load_city(MINI / "city.toml"), tile_attribution='<img src=x onerror="alert(1)">&copy; OSM'
    )
    html = map_html(base_map(city))
    assert "onerror" not in html and "&copy; OSM" in html
    found = re.search(r'"attr":\s*("(?:[^"\\]|\\.)*")', html)
    assert found and json.loads(found.group(1)) == "&copy; OSM"
