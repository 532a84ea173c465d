"""Material's interface texts looked up once per key and build (overrides/partials/language.html).

Material's `partials/language.html` answers `t(key)` by calling its language's macro, which
builds that language's whole table of texts and picks one; base.html and its partials ask a few
dozen times per page. `MaterialTranslations` calls the same macros, of the same templates, once
per language and key and keeps the answer: the text is Material's own, unchanged.
"""

from __future__ import annotations

from functools import partial


class MaterialTranslations:
    def __init__(self, env) -> None:
        self.env = env
        self._texts: dict[tuple[str, str], str] = {}
        self._languages: dict[str, partial] = {}

    def language(self, language: str):
        """`t(key)` for one language: what overrides/partials/language.html exports as `t`."""
        found = self._languages.get(language)
        if found is None:
            found = self._languages[language] = partial(self, language)
        return found

    def __call__(self, language: str, key: str) -> str:
        found = self._texts.get((language, key))
        if found is None:
            lang = self.env.get_template(f"partials/languages/{language}.html").module
            fallback = self.env.get_template("partials/languages/en.html").module
            found = self._texts[(language, key)] = lang.t(key) or fallback.t(key) or key
        return found


def install(env) -> None:
    env.globals["kb_translate"] = MaterialTranslations(env)
