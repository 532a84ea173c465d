"""Material's interface texts through overrides/partials/language.html and kb_translate
(scripts/kb/adapter/translations.py) are Material's own, for every key of its tables."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import material
import pytest

from kb_testlib import ROOT
from scripts.kb.adapter import translations

MATERIAL = Path(material.__file__).resolve().parent / "templates"
LOOKUP = '{% import "partials/language.html" as lang with context %}{{ lang.t(key) }}'


def _keys() -> list[str]:
    keys = set()
    for name in ("zh", "en"):
        keys.update(
            re.findall(
                r'^\s*"([a-z][a-z0-9._]*)":',
                (MATERIAL / "partials" / "languages" / f"{name}.html").read_text("utf-8"),
                re.M,
            )
        )
    return sorted(keys) + ["no.such.key"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_text_is_materials(language):
    config = SimpleNamespace(theme={"language": language})
    original = jinja2.Environment(loader=jinja2.FileSystemLoader(str(MATERIAL)))
    ours = jinja2.Environment(loader=jinja2.FileSystemLoader([str(ROOT / "overrides"), str(MATERIAL)]))
    translations.install(ours)
    keys = _keys()
    assert len(keys) > 50
    for key in keys:
        expected = original.from_string(LOOKUP).render(config=config, key=key)
        assert ours.from_string(LOOKUP).render(config=config, key=key) == expected, key
    assert ours.from_string(LOOKUP).render(config=config, key="no.such.key") == "no.such.key"
    # without kb_translate (Material's search asks for its settings before the hooks' on_env)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader([str(ROOT / "overrides"), str(MATERIAL)]))
    assert plain.from_string(LOOKUP).render(config=config, key="search.config.lang") == original.from_string(
        LOOKUP
    ).render(config=config, key="search.config.lang")
