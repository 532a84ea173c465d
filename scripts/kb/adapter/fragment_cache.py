"""Parts of Material's page rendered once per language and folder depth, not once per page.

The stylesheet and script links, the search settings (`#__config`) and the head's extras a page
holds depend on nothing of the page but how deep it lies (`base_url`, which its relative links
start from): a build of two languages wrote the same few kinds of them thousands of times (the
config block alone was 2.4 % of a 2,000-record build's rendering thread, these blocks together
5.4 %, py-spy). overrides/main.html renders each such block through `kb_cached`, which asks this
cache first; the first page at each depth renders it (Material's own block, through super()).
The pages are the same byte for byte (tests/test_fragment_cache.py builds the site both ways);
KB_FRAGMENT_CACHE=off renders every block on every page.
"""

from __future__ import annotations

import os

import jinja2

ENABLED = os.environ.get("KB_FRAGMENT_CACHE", "on") != "off"


class Fragments:
    """One language's build: rendered blocks by (block name, base_url)."""

    def __init__(self) -> None:
        self._html: dict[tuple[str, str], str] = {}

    def get(self, name: str, base_url: str) -> str | None:
        return self._html.get((name, base_url)) if ENABLED else None

    def keep(self, html: str, name: str, base_url: str) -> str:
        if ENABLED:
            self._html[(name, base_url)] = html
        return html


def install(env: jinja2.Environment) -> None:
    env.globals["kb_fragments"] = Fragments()
