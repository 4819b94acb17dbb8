"""End-to-end: in Montenegrin, no text of the English catalogue is on screen.

Every English catalogue text that differs from its Montenegrin one (plural forms
included) is looked for in what a visitor sees and what a screen reader reads: the
page's visible text, and in the map's frame its visible text and the titles and
aria-labels of its controls. Texts with placeholders are looked for by their longest
literal part. The words the two languages share (a name, "OpenStreetMap") are skipped
because they are the same in both catalogues.
"""

from __future__ import annotations

import re

import pytest

from mapping import i18n
from tests.browser.harness import open_map

SHOWN_TEXT = """() => {
  const parts = [document.body.innerText];
  document.querySelectorAll('[title], [aria-label]').forEach(el => {
    parts.push(el.getAttribute('title') || '', el.getAttribute('aria-label') || '');
  });
  return parts.join('\\n');
}"""


def _forms(value: i18n.Text) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def english_only_fragments() -> set[str]:
    """Literal parts (6+ characters) of English texts that Montenegrin does not share."""
    english, montenegrin = i18n.catalogue("en"), i18n.catalogue("me")
    shared = "\n".join(form for value in montenegrin.values() for form in _forms(value))
    fragments: set[str] = set()
    for key, value in english.items():
        if key == "app.language":  # the switch says "Language" in every language, on purpose
            continue
        for form in _forms(value):
            literal = max(re.split(r"\{[^}]*\}", form), key=len).strip(" :.,·—-()")
            if len(literal) >= 6 and literal not in shared:
                fragments.add(literal)
    return fragments


@pytest.mark.parametrize("path", ["?lang=ME", "whats-on?lang=ME"])
def test_montenegrin_pages_show_no_english_catalogue_text(watched, kotor_server, path):
    page = watched.page
    frame = open_map(page, kotor_server, path)
    shown = page.evaluate(SHOWN_TEXT) + "\n" + frame.evaluate(SHOWN_TEXT)
    english = sorted(f for f in english_only_fragments() if f in shown)
    assert english == [], f"English on the Montenegrin page {path}: {english}"
    assert len(english_only_fragments()) > 50  # the check has something to look for
