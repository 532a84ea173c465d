"""The theme's static files listed once per preview, not on every rebuild.

Before each build MkDocs asks the theme's Jinja environment for every file under the theme's
folders (`Files.add_files_from_theme`), to publish its assets: about 14,500 names, Material's
icons included, each matched against a dozen patterns, for the 43 files it keeps. A preview
(`mkdocs serve`) did that twice per save (once per language), a third of a rebuild after a
record's save at 500 records.

`cache_listing` makes the environment that the theme hands out answer that question from a
listing made once per process for the same folders and filter. Which of the names the docs
folder overrides is still decided by MkDocs on every build. A file added to the theme while the
preview runs is published after the preview restarts, as MkDocs does without --watch-theme.
The environments share the hooks' bytecode cache too (events.THEME_BYTECODE).
"""

from __future__ import annotations

from types import MethodType

_LISTINGS: dict[tuple, list[str]] = {}


def cache_listing(config, bytecode_cache=None) -> None:
    """Have `config.theme.get_env()` return environments whose `list_templates` is memoised and
    that share `bytecode_cache` (Material's search plugin asks one for its settings in every
    build's on_config, before the hooks' on_env could give it the cache: it compiled the
    language templates again each time)."""
    theme = config.theme
    if getattr(theme, "_kb_listing_cached", False):
        return
    original = theme.get_env
    static = tuple(theme.static_templates)

    def get_env(self):
        env = original()
        if bytecode_cache is not None:
            env.bytecode_cache = bytecode_cache
        searchpath = tuple(getattr(env.loader, "searchpath", ()) or ())
        if not searchpath:
            return env
        list_templates = env.list_templates

        def cached(self, extensions=None, filter_func=None):
            code = getattr(filter_func, "__code__", None)
            key = (searchpath, static, tuple(extensions or ()), code)
            if filter_func is not None and code is None:  # a filter we cannot tell apart: ask
                return list_templates(extensions, filter_func)
            if key not in _LISTINGS:
                _LISTINGS[key] = list_templates(extensions, filter_func)
            return list(_LISTINGS[key])

        env.list_templates = MethodType(cached, env)
        return env

    theme.get_env = MethodType(get_env, theme)
    theme._kb_listing_cached = True
