"""The one escaping helper and diacritics folding."""

from __future__ import annotations

import math

import pytest

from mapping.text import escape, fold, markdown_literal, slug

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "${alert(2)}",
    "`; alert(3); `",
    "back\\` slash",
    "</script><script>alert(4)</script>",
    "\"' onmouseover=alert(5) '",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_leaves_no_active_character(payload):
    escaped = escape(payload)
    for char in "<>\"'`$\\":
        assert char not in escaped


def test_escape_is_reversible_html():
    assert escape("Đurković & <b>") == "Đurković &amp; &lt;b&gt;"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_escape_of_unknown_is_empty(missing):
    assert escape(missing) == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đurković", "djurkovic"),
        ("ŠKALJARI", "skaljari"),
        ("Prčanj", "prcanj"),
        ("Žanić", "zanic"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_markdown_literal_neutralises_links_and_emphasis():
    assert markdown_literal("[x](http://evil) **b**") == r"\[x\]\(http\://evil\) \*\*b\*\*"


def test_css_string_keeps_quotes_and_style_tags_inside_the_string() -> None:
    from mapping.text import css_string

    assert css_string("Filteri") == '"Filteri"'
    hostile = css_string('a"b\\c</style><script>x</script>é')
    assert hostile.count('"') == 2 and "<" not in hostile and "\\" + "22 " in hostile
    assert css_string(None) == '""'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ново Село", "novo-selo"),
        ("Ѓорче Петров II", "gorche-petrov-ii"),  # was "ii": the Cyrillic letters dropped
        ("ООУ 86", "oou-86"),  # was "86"
        ("Ќуќе Јанко Йордан", "kuke-janko-yordan"),
        ("Đurđevo Brdo", "djurdjevo-brdo"),  # Latin names keep the fold rule
        ("Κέρκυρα", "kerkyra"),
        ("„“ ★", "x"),  # nothing readable: the default
    ],
)
def test_ascii_slugs_transliterate_every_script(name, expected):
    assert slug(name, "x", ascii_only=True) == expected


def test_file_name_slugs_keep_their_script():
    assert slug("Ново Село") == "ново-село"
