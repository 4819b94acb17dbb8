"""Outreach: for chosen venues, a personal link each with what the venue is missing.

Two hand-over forms, both built from :func:`rows` (one :class:`OutreachRow` per venue):

- :func:`csv_bytes`, a mail-merge CSV (venue, e-mail if the data has one, the link,
  what is missing, heaviest check first), through the one CSV writer
  (:func:`mapping.files.csv_rows_bytes`: formula-safe);
- :func:`sheets_html`, a printable page per venue (A4, one venue a page): the card's
  facts as visitors read them, what is missing and why it matters
  (:func:`mapping.members.completeness`), and the link as a QR code drawn by ``segno``
  as inline SVG (no network, no CDN).

Which venues to ask: :func:`ask_first_ids` (Planning's "ask these first" for the
off-season, the answers that would change coverage most) and :func:`weakest_ids` (the
cluster overview's weakest first), the two lists the console offers.

Every data text reaching the HTML passes through :func:`mapping.text.escape`.
:func:`issue_links` issues the links (:mod:`mapping.links`); the tokens exist only in
what these functions return, never in the database.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import segno

from mapping import links, members, planning, store
from mapping.files import csv_rows_bytes
from mapping.i18n import localized, t
from mapping.io import Dataset
from mapping.submissions.hours_preview import describe_hours
from mapping.text import escape

_CSV_HEADER = (
    "outreach.col_venue",
    "outreach.col_email",
    "outreach.col_link",
    "outreach.col_missing",
)
# The card's rows and badges, with the map card's own labels (map.toml; venue_map.js).
_CARD_ROWS = {
    "address": "map.address",
    "phone": "map.phone",
    "email": "map.email",
    "website": "map.website",
}
_BADGES = {
    ("location_precision", "approximate"): "map.approximate",
    ("location_precision", "settlement"): "map.settlement_level",
    ("visit", "appointment"): "map.visit_appointment",
    ("visit", "no"): "map.visit_no",
}
_WHEELCHAIR = {
    "yes": "map.wheelchair.yes",
    "limited": "map.wheelchair.limited",
    "no": "map.wheelchair.no",
}


@dataclass(frozen=True)
class OutreachRow:
    """One venue to write to: its name, e-mail (``""`` if unknown), link, and the
    labels of the checks it fails, heaviest first."""

    venue_id: str
    name: str
    email: str
    link: str
    missing: tuple[str, ...]


def missing(data: Dataset, venue_id: str, lang: str, today: date) -> list[tuple[str, str]]:
    """(check, why it matters) for every completeness check ``venue_id`` fails, heaviest
    first: the answers that would change most."""
    found = members.completeness(data, venue_id, today)
    failed = sorted((c for c in found.checks if not c.passed), key=lambda c: -c.weight)
    return [members.check_texts(c.key, lang, data.city) for c in failed]


def ask_first_ids(data: Dataset) -> list[str]:
    """Planning's "ask these first" for the off-season, all categories, the default
    walk: the venues whose unknown hours would change coverage most, in its order."""
    selection = planning.Selection(planning.off_season(data))
    return [str(v) for v in planning.figures(data, selection).asks["venue_id"]]


def weakest_ids(data: Dataset, today: date, lang: str, count: int = 10) -> list[str]:
    """The cluster overview's ``count`` weakest members and prospective members (score
    below 100), weakest first: who has most to tell us."""
    table = members.overview(data, None, today, lang)
    return [str(v) for v in table.loc[table["score"] < 100, "id"].head(count)]


def issue_links(
    where: store.Where,
    venue_ids: Iterable[str],
    base_url: str,
    *,
    now: datetime,
    days: int,
    replace: bool = False,
) -> dict[str, str]:
    """A new link per venue (``venue id -> URL``), valid ``days`` days."""
    return {
        venue: links.url(base_url, links.issue(where, venue, now=now, days=days, replace=replace))
        for venue in dict.fromkeys(venue_ids)
    }


def unknown_venues(data: Dataset, venue_ids: Iterable[str]) -> list[str]:
    """The ids of ``venue_ids`` that are not venues of ``data``."""
    known = set(data.venues["id"])
    return [v for v in venue_ids if v not in known]


def rows(
    data: Dataset, venue_links: Mapping[str, str], lang: str, today: date
) -> list[OutreachRow]:
    """One row per venue of ``venue_links`` (``venue id -> link``), in its order."""
    venues = data.venues.set_index("id", drop=False)
    out = []
    for venue_id, link in venue_links.items():
        record = venues.loc[venue_id]
        out.append(
            OutreachRow(
                venue_id,
                localized(record, "name", lang, data.city.languages),
                str(record.get("email") or ""),
                link,
                tuple(label for label, _ in missing(data, venue_id, lang, today)),
            )
        )
    return out


def csv_bytes(found: Iterable[OutreachRow], lang: str) -> bytes:
    """The mail-merge CSV: one line per venue; what is missing joined with ``; ``."""
    header = [t(key, lang) for key in _CSV_HEADER]
    lines = [(r.name, r.email, r.link, "; ".join(r.missing), r.venue_id) for r in found]
    return csv_rows_bytes([*header, "id"], lines)


def qr_svg(text: str) -> str:
    """``text`` as a QR code in inline SVG (error correction M: survives a crease)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=4, border=2, svgclass="qr", title=None
    )
    return out.getvalue().decode("utf-8")


_STYLE = """
@page { size: A4; margin: 14mm; }
@media print { body { font-size: 10pt; } h1 { font-size: 16pt; } h2 { font-size: 11.5pt; }
  .vc-name { font-size: 13pt; } .link svg { width: 34mm; height: 34mm; }
  .missing li, .vc-rows li { margin: 0.6mm 0; } .sheet { margin: 0; } }
body { font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2327; margin: 0; }
.sheet { page-break-after: always; break-after: page; max-width: 178mm; margin: 0 auto 12mm; }
.sheet:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 20pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; }
.venue-card { border: 1px solid #c5ccd3; border-radius: 3mm; padding: 4mm 5mm; }
.vc-cat { color: #55606a; font-size: 10pt; } .vc-name { font-size: 15pt; margin: 1mm 0 2mm; }
.vc-badge { display: inline-block; border: 1px solid #c5ccd3; border-radius: 2mm;
  padding: 0.5mm 2mm; margin: 0 2mm 1mm 0; font-size: 9.5pt; }
.vc-rows { list-style: none; padding: 0; margin: 2mm 0 0; } .vc-rows li { margin: 1mm 0; }
.missing li { margin: 1.5mm 0; } .why { color: #55606a; display: block; }
.link { display: flex; gap: 6mm; align-items: center; margin-top: 4mm; }
.link svg { width: 42mm; height: 42mm; flex: none; }
.link code { word-break: break-all; font-size: 9pt; }
@media screen { body { background: #eef1f4; padding: 8mm; }
  .sheet { background: #fff; padding: 12mm; box-shadow: 0 1px 4px rgba(0,0,0,.2); } }
@media screen and (max-width: 600px) { body { padding: 2mm; } .sheet { padding: 5mm; } }
"""


def _card(data: Dataset, venue_id: str, lang: str, today: date) -> str:
    """The card's facts as visitors read them, with the map card's labels and in its
    order: category, name, badges (approximate location, visits), description, hours in
    plain words (the card's season summary), address, phone, e-mail, website, wheelchair
    access. The map's card is drawn by its script inside Leaflet, which a printed page
    does not run; this is the same record read by the same rules."""
    venue = data.venues.set_index("id").loc[venue_id]
    languages = data.city.languages
    categories = data.categories.set_index("id")
    category = str(venue.get("category") or "")
    label = (
        localized(categories.loc[category], "label", lang, languages)
        if category in categories.index
        else category
    )
    value = str(venue.get("opening_hours") or "")
    _, hours = describe_hours(value, lang, data.city, year=today.year)
    rows = [(t("outreach.hours", lang), "; ".join(hours))]
    for field, key in _CARD_ROWS.items():
        value = str(venue.get(field) or "")
        if value:
            rows.append((t(key, lang), value))
    wheel = _WHEELCHAIR.get(str(venue.get("wheelchair") or ""), "map.wheelchair.unknown")
    rows.append(("", t(wheel, lang)))  # says its subject itself, as on the map
    badges = [t(key, lang) for (field, value), key in _BADGES.items() if venue.get(field) == value]
    description = localized(venue, "description", lang, languages)
    return (
        f'<article class="venue-card"><div class="vc-cat">{escape(label)}</div>'
        f'<h3 class="vc-name">{escape(localized(venue, "name", lang, languages))}</h3>'
        + "".join(f'<span class="vc-badge">{escape(b)}</span>' for b in badges)
        + (f'<p class="vc-desc">{escape(description)}</p>' if description else "")
        + '<ul class="vc-rows">'
        + "".join(
            f"<li><b>{escape(k)}:</b> {escape(v)}</li>" if k else f"<li>{escape(v)}</li>"
            for k, v in rows
        )
        + "</ul></article>"
    )


def sheets_html(data: Dataset, found: Iterable[OutreachRow], lang: str, today: date) -> str:
    """One printable page per venue: its card, what is missing and why, the link and
    its QR code. A whole HTML document (A4 print CSS, nothing loaded from elsewhere)."""
    pages = []
    for row in found:
        gaps = missing(data, row.venue_id, lang, today)
        listed = (
            "<ul class='missing'>"
            + "".join(
                f"<li><b>{escape(label)}</b> <span class='why'>{escape(why)}</span></li>"
                for label, why in gaps
            )
            + "</ul>"
            if gaps
            else f"<p>{escape(t('outreach.complete', lang))}</p>"
        )
        pages.append(
            f'<section class="sheet" data-venue-id="{escape(row.venue_id)}">'
            f"<h1>{escape(row.name)}</h1>"
            f"<p>{escape(t('outreach.intro', lang, town=data.city.name))}</p>"
            f"<h2>{escape(t('outreach.as_visitors', lang))}</h2>"
            f"{_card(data, row.venue_id, lang, today)}"
            f"<h2>{escape(t('outreach.missing', lang))}</h2>{listed}"
            f"<h2>{escape(t('outreach.your_link', lang))}</h2>"
            f'<div class="link">{qr_svg(row.link)}<div><p>{escape(t("outreach.link_help", lang))}'
            f"</p><code>{escape(row.link)}</code></div></div></section>"
        )
    title = escape(t("outreach.title", lang, town=data.city.name))
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body>{''.join(pages)}</body></html>"
    )
