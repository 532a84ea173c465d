"""The theme's templates without their indentation: every page a fifth smaller, rendered the same.

Material's templates are indented for people to read, and a page keeps that indentation: the
lines of each `{% if %}` and `{% for %}` it did not take stay in the page as blank lines of
spaces. In a record's page of a 2,000-record site, 7 KB of its 32 KB was such whitespace (5.5 KB
of the navigation's 10 KB, with ten plan years in it); the site's HTML and XML went from 126.6 to
99.7 MB without it.

`install` gives the theme's environment a loader that hands Jinja each template with every run
of whitespace that holds a line break, in the template's own text, written as one line break.
What a browser shows is the same: outside `<pre>` and `white-space: pre*` (which no template
text of Material's or ours sets), a run of whitespace is shown as one space, whatever it holds,
and a run stays a run (never becomes empty, nor appears where there was none). Left as they are:
what Jinja evaluates (`{{ }}`, `{% %}`, `{# #}`), `<script>`, `<style>`, `<pre>` and
`<textarea>`, and the template's last line break, which Jinja drops itself. The page's own
content (the Markdown's HTML) is a value, not template text: it is never touched.
(tests/test_template_whitespace.py builds the docs both ways and compares every file with its
whitespace runs normalised.) KB_TEMPLATE_WHITESPACE=keep renders the templates as they are.
"""

from __future__ import annotations

import os
import re

import jinja2

ENABLED = os.environ.get("KB_TEMPLATE_WHITESPACE", "compact") != "keep"

_KEPT = (
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # what Jinja evaluates
    r"|<(script|style|pre|textarea)\b.*?</\1\s*>"  # where whitespace is the text's own
)
_TOKEN = re.compile(rf"{_KEPT}|(?P<run>\s*\n\s*)", re.S | re.I)


def compact(source: str) -> str:
    """`source` with each run of whitespace holding a line break, outside what `_KEPT` names,
    written as one line break. A run that ends the template becomes two line breaks unless it
    was a single one: Jinja drops one trailing line break, and what is left must stay whitespace
    if it was (an included template's last run can be the only space between two words)."""

    def replace(m: re.Match) -> str:
        run = m.group("run")
        if run is None:
            return m.group(0)
        if m.end() == len(source) and run != "\n":
            return "\n\n"
        return "\n"

    return _TOKEN.sub(replace, source)


class CompactLoader(jinja2.BaseLoader):
    """`inner`'s templates, compacted (`compact`)."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment, template):
        source, filename, uptodate = self.inner.get_source(environment, template)
        return compact(source), filename, uptodate

    def list_templates(self):
        return self.inner.list_templates()


def install(env: jinja2.Environment) -> None:
    if ENABLED and not isinstance(env.loader, CompactLoader):
        env.loader = CompactLoader(env.loader)
