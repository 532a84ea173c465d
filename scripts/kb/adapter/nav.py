"""The navigation, derived from the collections: mkdocs.yml names none of them.

mkdocs.yml's `nav` holds the pages that belong to no collection (home, tags, the guide) and, where
the collections go, the entry `kb-collections`. Each collection declaring a `menu_order` takes
its place there, in that order: its folder's own menu (`Extension.menu`: the plan's years, newest
first) or its index page under its name; the English labels come from the same declarations
(mkdocs-static-i18n's `nav_translations`). A collection's records are left out of the menu where
they are loaded (events.exclude_hidden_files), as Material's blog does with its posts.
"""

from __future__ import annotations

from ..content.derived import derived_pages
from ..content.model import KnowledgeBase
from ..content.urls import DEFAULT_LANG

PLACE = "kb-collections"


def entries(kb: KnowledgeBase) -> list:
    """The collections' navigation entries (Chinese labels), in their declared order."""
    existing = set(kb.entries) | {p.src for p in derived_pages(kb)}
    out = []
    for c in kb.registry.menu():
        menu = kb.registry.extension(c).menu
        if menu is not None:
            item = menu(kb, existing)
        else:
            item = {c.titles[DEFAULT_LANG]: c.index_page} if c.index_page in existing else None
        if item:
            out.append(item)
    return out


def labels(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    """The collections' Chinese navigation labels in `lang`."""
    found = {c.titles[DEFAULT_LANG]: c.titles[lang] for c in kb.registry.menu() if lang in c.titles}
    for extension in kb.registry.all_extensions():
        if extension.menu_labels is not None:
            found.update(extension.menu_labels(kb, lang))
    return found


def drop_hidden(config, kb: KnowledgeBase) -> None:
    """A page that this edition leaves out (members-only, such as the editors' guide; a draft)
    leaves the navigation that mkdocs.yml gives it too, instead of failing the build as a
    reference to a missing file. Runs in each language's on_config, before `derive`."""

    def keep(item) -> bool:
        value = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
        return not (isinstance(value, str) and value in kb.hidden)

    def prune(items: list) -> list:
        out = []
        for item in items:
            if not keep(item):
                continue
            if isinstance(item, dict) and len(item) == 1:
                ((label, value),) = item.items()
                if isinstance(value, list):
                    item = {label: prune(value)}
            out.append(item)
        return out

    if config["nav"]:
        config["nav"] = prune(config["nav"])


def derive(config, kb: KnowledgeBase) -> None:
    """Put the collections where mkdocs.yml's nav says `kb-collections`, and their labels into
    each further language's nav translations. Runs in each language's on_config; the further
    languages' builds get a nav already derived."""
    nav = config["nav"]
    if not nav:
        return
    if PLACE in nav:
        at = nav.index(PLACE)
        config["nav"] = nav[:at] + entries(kb) + nav[at + 1 :]
    i18n = config.plugins.get("i18n")
    for language in getattr(getattr(i18n, "config", None), "languages", None) or []:
        if language.locale != DEFAULT_LANG:
            language.nav_translations = {**(language.nav_translations or {}), **labels(kb, language.locale)}
