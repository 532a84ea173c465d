"""The 404 page of each language (overrides/404.html): in the site's own words, with the ways on
that a reader who followed a broken link needs: the home page, the newest plan (and every year's,
once there are several) and the site's search. Nothing to read aloud (kb-reader.js is told so).

Plain data for the template; the links are site-relative (the template makes them absolute from
the site's root, as MkDocs does for the 404 page, which is served at any depth)."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.derived import ARCHIVE
from ..content.model import DEFAULT_LANG, KnowledgeBase, directory_url
from ..content.text import plan_year_label, strings


@dataclass(frozen=True)
class NotFound:
    title: str
    text: str
    links: list[tuple[str, str]]  # (label, site-relative URL)
    search: str  # the label of the button that opens the site's search


def not_found(kb: KnowledgeBase | None, lang: str) -> NotFound:
    t = strings()[lang]
    prefix = "" if lang == DEFAULT_LANG else f"{lang}/"
    links = [(t["not_found_home"], prefix)]
    plans = kb.plans() if kb is not None else []
    if plans:
        links.append((plan_year_label(plans[0].data.year, lang), prefix + plans[0].url))
    if len(plans) > 1:
        links.append((t["archive_title"], prefix + directory_url(ARCHIVE)))
    return NotFound(t["not_found_title"], t["not_found_text"], links, t["search_dialog"])
