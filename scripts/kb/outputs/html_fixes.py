"""Small, documented corrections to the HTML that Material for MkDocs 9.8 writes, applied to each
finished page. Each one removes an error that the Nu HTML Checker (vnu) or axe-core reports on a
stock Material site; overriding Material's templates instead would mean copying them whole.

Plain string work on the page as Material writes it: no MkDocs import. If a later Material
changes its markup, a fix simply stops matching, and the validator tests (tests/test_validators.py,
tests/browser/test_a11y.py) say which error is back.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

# 1. Material's drawer and search toggles are checkboxes with autocomplete="off", which HTML allows
#    only on text-like inputs (vnu: "Attribute autocomplete is only allowed when the input type
#    is …"). Material uses it so that Firefox does not restore an open drawer on Back;
#    docs/assets/javascripts/kb-material.js closes both toggles on `pageshow` instead.
_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
_AUTOCOMPLETE_OFF = re.compile(r'\s+autocomplete="off"')

# 2. Section labels in the navigation (navigation.sections) get tabindex="" (vnu: "Bad value
#    for attribute tabindex"); an absent tabindex is what the empty one means.
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?)\s+tabindex=""')

# 3. On a section's index page (navigation.indexes) the table of contents' title is a label for
#    the toggle "__toc", which Material writes only for pages that are not section indexes (vnu:
#    "The value of the for attribute of the label element must be the ID of a non-hidden form
#    control"). Without the toggle the label has nothing to toggle, so `for` goes.
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'

# 4. The search overlay is role="dialog" without a name (axe: aria-dialog-name, serious).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'

# 5. A section with an index page (navigation.indexes) shows its title as a link and, beside it, a
#    label holding only an icon; the section's <nav> is aria-labelledby that label, so it has no
#    name (axe: landmark-unique). The <nav> is named with the section's title instead (an
#    aria-label on the label itself is not allowed: vnu).
_SECTION_LABEL = re.compile(
    r'(<div class="md-nav__link md-nav__container">\s*<a\b[^>]*>)((?:(?!</a>).)*)(</a>\s*<label\b[^>]*?id="(__nav_[0-9_]+_label)")',
    re.S,
)
_TAG = re.compile(r"<[^>]+>")

# 6. Language alternates in <head> are relative (`../../en/plan/2024/`); search engines want
#    absolute hreflang URLs (Lighthouse: "Relative href value").
_HREFLANG_LINK = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)">')


def fix_nav(html: str) -> str:
    """Corrections 2 and 5, which concern the site navigation only: applied to Material's
    navigation partial as it is rendered (scripts/kb/adapter/nav_cache.py), once per folder
    rather than over every whole page."""
    html = _EMPTY_TABINDEX.sub(r"\1", html)
    for m in _SECTION_LABEL.finditer(html):
        html = html.replace(f'aria-labelledby="{m.group(4)}"', f'aria-label="{_text_attr(m.group(2))}"')
    return html


# Corrections 1, 4 and 6 concern what Material writes before its main container (<head>, the
# drawer and search toggles, the header with the search dialog): a few KB of a page, read alone.
_CONTAINER = '<div class="md-container"'


def fix_page(html: str, *, search_label: str, site_url: str | None, page_url: str, nav_fixed: bool = False) -> str:
    """The page with the corrections above. `page_url` is the page's URL relative to the site
    root (MkDocs' `page.url`, e.g. "en/plan/2024/"); hreflang URLs become absolute only when
    `site_url` is set. nav_fixed: the navigation was corrected as it was rendered (`fix_nav`)."""
    split = html.find(_CONTAINER)
    if split < 0:  # not a whole Material page: every correction over all of it
        return _fix_container(_fix_top(html, search_label, site_url, page_url), nav_fixed)
    return _fix_top(html[:split], search_label, site_url, page_url) + _fix_container(html[split:], nav_fixed)


def _fix_top(html: str, search_label: str, site_url: str | None, page_url: str) -> str:
    """Corrections 1, 4 and 6."""
    html = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE_OFF.sub("", m.group(0)), html)
    html = html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{_attr(search_label)}">', 1)
    if site_url:
        base = urljoin(site_url if site_url.endswith("/") else site_url + "/", page_url)
        html = _HREFLANG_LINK.sub(
            lambda m: f'<link rel="alternate" href="{urljoin(base, m.group(1))}" hreflang="{m.group(2)}">', html
        )
    return html


def _fix_container(html: str, nav_fixed: bool) -> str:
    """Correction 3, and 2 and 5 unless the navigation was corrected as it was rendered."""
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    return html if nav_fixed else fix_nav(html)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _text_attr(markup: str) -> str:
    """The text of a fragment of (already escaped) HTML, as an attribute value."""
    return " ".join(_TAG.sub(" ", markup).split()).replace('"', "&quot;")
