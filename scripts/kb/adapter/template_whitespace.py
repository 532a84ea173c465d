"""The theme's templates without their indentation: every page a fifth smaller, shown the same.

Material's templates are indented for people to read, and a page keeps that indentation: the
lines of each `{% if %}` and `{% for %}` it did not take stay in the page as blank lines of
spaces. In a record's page of a 2,000-record site, 7 KB of its 32 KB was such whitespace (5.5 KB
of the navigation's 10 KB, with ten plan years in it).

`install` gives the theme's environment a loader that hands Jinja each template compacted
(`compact`): every run of whitespace that holds a line break, in the template's own text, is one
line break, and the line breaks just inside a block whose statements stand on lines of their own
are dropped (the ones outside it stay). Left as they are: what Jinja evaluates (`{{ }}`,
`{% %}`, `{# #}`), `<script>`, `<style>`, `<pre>` and `<textarea>`. The page's own content (the
Markdown's HTML) is a value, not template text: it is never touched. Material's navigation, made
once per folder (nav_cache), has its runs collapsed as well (`collapse`).

What a browser shows is the same: outside `<pre>` and `white-space: pre*` (which no template text
of Material's or ours sets), a run of whitespace is shown as one space, whatever it holds, and
every run stays a run (never becomes empty, nor appears where there was none). The tests compare
the docs' site with the indented templates' (KB_TEMPLATE_WHITESPACE=keep) with the runs
normalised, and any template of blocks, loops and whitespace control, rendered both ways. At 2,000
records the site's HTML and XML went from 126.6 to 96.1 MB.
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
_STATEMENT = re.compile(r"\{%[-+]?\s*(\w+)(.*?)-?%\}", re.S)
_OPENING = {"if", "for", "with"}
_CLOSING = {"endif": "if", "endfor": "for", "endwith": "with"}
_SILENT = {"import", "from"}  # statements that write nothing (and `set` with `=`)


def compact(source: str) -> str:
    """`source` with each run of whitespace holding a line break, outside what `_KEPT` names,
    written as one line break; and where a control statement stands on a line of its own, the
    line break that would go into its body, or leave it, dropped, while the one outside stays:
    `\n{% if x %}\nA\n{% endif %}\n` writes what `\n{% if x %}A{% endif %}\n` does, whitespace
    wherever there was whitespace. A loop's body keeps its last line break (between two
    iterations); `set`, `import` and `from` statements on a line of their own drop the one after.

    A run that ends the template becomes two line breaks unless it was a single one: Jinja drops
    one trailing line break, and what is left must stay whitespace if it was (an included
    template's last run can be the only space between two words)."""
    parts: list[str] = []
    runs: list[int] = []  # indexes in parts of the runs of whitespace
    position = 0
    for m in _TOKEN.finditer(source):
        if m.start() > position:
            parts.append(source[position : m.start()])
        if m.group("run") is None:
            parts.append(m.group(0))
        else:
            runs.append(len(parts))
            parts.append("\n\n" if m.end() == len(source) and m.group("run") != "\n" else "\n")
        position = m.end()
    parts.append(source[position:])
    is_run = set(runs)
    last = len(parts) - 2 if source.endswith("\n") else None  # the trailing run is left alone

    def live(run: int) -> bool:
        """A run Jinja writes: no `-` of the tags beside it strips it (`{%-`, `-%}`, `{{-` …)."""
        before = parts[run - 1] if run > 0 else ""
        after = parts[run + 1] if run + 1 < len(parts) else ""
        return run in is_run and not re.search(r"-[%}#]\}$", before) and not re.match(r"\{[{%#]-", after)

    def own_line(i: int) -> bool:
        """A statement alone on its line: a run Jinja writes on either side."""
        return _STATEMENT.fullmatch(parts[i]) is not None and live(i - 1) and live(i + 1) and i + 1 != last

    # Blocks (if, for, with) whose opening and closing statements both stand on lines of their
    # own: the line breaks around them, outside, hold whatever the block writes between
    # whitespace, so the ones just inside can go.
    drop: set[int] = set()
    open_blocks: list[tuple[str, int, list[int]]] = []  # name, index of its opening, its else/elif
    for i, part in enumerate(parts):
        statement = _STATEMENT.fullmatch(part)
        if statement is None:
            continue
        name, rest = statement.group(1), statement.group(2)
        if name in _OPENING:
            open_blocks.append((name, i, []))
        elif name in ("else", "elif") and open_blocks:
            open_blocks[-1][2].append(i)
        elif name in _CLOSING and open_blocks and open_blocks[-1][0] == _CLOSING[name]:
            block, opening, middles = open_blocks.pop()
            if own_line(opening) and own_line(i) and all(own_line(m) for m in middles):
                drop.add(opening + 1)
                for m in middles:
                    drop.add(m + 1)
                    if block != "for":  # a loop's body keeps the line break between two iterations
                        drop.add(m - 1)
                if block != "for":
                    drop.add(i - 1)
        elif (name in _SILENT or (name == "set" and "=" in rest)) and own_line(i):
            drop.add(i + 1)
    return "".join(part for i, part in enumerate(parts) if i not in drop)


_RUN = re.compile(r"\s*\n\s*")


def collapse(html: str) -> str:
    """Markup that holds no `<pre>`, `<textarea>` or `<script>` (Material's navigation, made
    once per folder by nav_cache) with each run of whitespace holding a line break as one line
    break: the line breaks that statements left side by side (a navigation item's `{% set %}`
    lines, inside loops), 345 of the 455 left in a record's page at 2,000 records."""
    return _RUN.sub("\n", html) if ENABLED else html


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
