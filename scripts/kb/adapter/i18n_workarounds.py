"""Workarounds for mkdocs-static-i18n, which builds each further language from inside its own
on_post_build, in the same process."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from ..content import model


def lang_of(config) -> str:
    return config.theme.get("language") or model.DEFAULT_LANG


class NotFoundPages:
    """One 404 page per language. Every language's build writes the theme's 404.html to the same
    place (an open issue of mkdocs-static-i18n), so the last language would win: keep the default
    language's page there and put each other language's page under its own folder."""

    def __init__(self) -> None:
        self.default: str | None = None

    @staticmethod
    def reset_language_links(config) -> None:
        """The i18n plugin rewrites the language menu for each page it renders; the 404 page has no
        page, so it would keep the last page's links. Point them at each language's home page."""
        i18n = config.plugins.get("i18n")
        saved = getattr(i18n, "extra_alternate", None)
        if saved:
            # the i18n plugin sets it as an attribute, which templates read before the item
            config.extra.alternate = deepcopy(saved)
            config.extra["alternate"] = deepcopy(saved)

    def place(self, output: str, config) -> str:
        lang = lang_of(config)
        if lang == model.DEFAULT_LANG:
            self.default = output
            return output
        target = Path(config["site_dir"]) / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, "utf-8")
        return self.default if self.default is not None else output


def is_nested_build(config) -> bool:
    """True inside the builds of further languages that mkdocs-static-i18n runs from its
    on_post_build; the outermost build runs last and sees every language's output."""
    i18n = config.plugins.get("i18n")
    return bool(i18n is not None and getattr(i18n, "building", False))


def forget_previous_search_index(config) -> None:
    """Under `mkdocs serve --dirty`, Material's search keeps the previous build's index, to merge
    the rebuilt pages into, and MkDocs keeps the plugin (and that index) from one rebuild to the
    next. mkdocs-static-i18n then collects the merged index, previous pages included, once per
    language and hands the lot back to the same merge: the index, and with it the rebuild time
    and the memory, doubled with each save (the preview died of it after about 15 saves).

    Nothing here needs the previous index: the sharded search is made from a complete build (the
    preview's first; `--dirty` rebuilds keep its shards). With KB_SEARCH=material, a `--dirty`
    rebuild's index holds the rebuilt pages only, until the preview restarts. Called in every
    pass's on_config, before any page is indexed."""
    material_search = config.plugins.get("material/search")
    if material_search is not None and hasattr(material_search, "search_index_prev"):
        material_search.search_index_prev = None
