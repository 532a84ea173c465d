"""Material's site navigation rendered once per language and folder, not once per page.

Material writes the whole navigation into every page. Records are not in the navigation
(mkdocs.yml's not_in_nav), so for all of them it is the same markup apart from its relative
links, and those depend only on the folder the page is in: a folder's thousand records rendered
the same navigation a thousand times (with ten plan years in it, about a fifth of a build).

`overrides/partials/nav.html` asks this cache for the navigation of a page and renders Material's
own partial (`material/partials/nav.html`) only when the page is listed in the navigation (it is
then marked active there) or its folder has not been seen yet in this build. The output is the
same byte for byte (tests/test_nav_cache.py builds a site both ways). The corrections that
html_fixes makes to the navigation are made here too, once per rendering, not over every page.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..outputs import html_fixes
from . import template_whitespace

PREFIX = "material"  # overrides/partials/nav.html includes "material/partials/nav.html"
# KB_NAV_CACHE=off renders every page's navigation (the test compares the two builds)
ENABLED = os.environ.get("KB_NAV_CACHE", "on") != "off"


def _parts(url: str) -> tuple[str, ...]:
    return tuple(p for p in url.split("/") if p and p != ".")


class NavCache:
    """One build's (one language's) navigation markup, by the folder of the pages it serves."""

    def __init__(self) -> None:
        self._nav = None
        self._listed: set[int] = set()
        self._targets: list[tuple[str, ...]] = []
        self._html: dict[tuple[str, ...], Markup] = {}

    def _learn(self, nav) -> None:
        self._nav = nav
        self._html.clear()
        self._listed = {id(p) for p in nav.pages}
        urls = [getattr(item, "url", None) for item in _walk(nav.items)]
        if nav.homepage is not None:
            urls.append(nav.homepage.url)
        self._targets = [_parts(u) for u in urls if isinstance(u, str) and "://" not in u]

    def key(self, page, nav):
        """The cache key of this page's navigation, or None when it must be rendered: the page is
        listed (and so marked active), or a link of the navigation points inside its own folder
        (its relative link would then differ from a sibling's)."""
        if not ENABLED or page is None or nav is None or not isinstance(getattr(page, "url", None), str):
            return None
        if nav is not self._nav:
            self._learn(nav)
        if id(page) in self._listed:
            return None
        url = page.url
        dirname, _, basename = url.rpartition("/")
        if "." in basename:  # MkDocs relates links to a file's folder (use_directory_urls: false)
            url = dirname
        own = _parts(url)
        if not own or any(t[: len(own)] == own for t in self._targets):
            return None
        return own[:-1]

    def get(self, key):
        return self._html.get(key) if key is not None else None

    def keep(self, key, html: str) -> Markup:
        """The navigation, with html_fixes' corrections of it, remembered under `key` (if any)."""
        html = Markup(template_whitespace.collapse(html_fixes.fix_nav(html)))
        if key is not None:
            self._html[key] = html
        return html


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def install(env: jinja2.Environment) -> None:
    """Make Material's own partials reachable as "material/…" beside the theme's (overridden)
    names, and give the templates this build's cache."""
    import material

    templates = Path(material.__file__).resolve().parent / "templates"
    loader = env.loader
    if not getattr(loader, "kb_material_prefix", False):
        loader = jinja2.ChoiceLoader([loader, jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(str(templates))})])
        loader.kb_material_prefix = True
        env.loader = loader
    env.globals["kb_nav"] = NavCache()
