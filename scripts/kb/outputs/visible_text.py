"""What a reader sees of Markdown: rendered in-process with the Markdown extensions mkdocs.yml
configures (as MkDocs configures them), reduced to the visible text, line by line.

`kb import plan --check` (collections/plan/fidelity.py) compares the plan's pages with the published text
this way, not only as Markdown: a build per check would cost seconds, this costs milliseconds.
tests/test_fidelity_rendered.py shows that it gives the text of the built pages. The changes
page (与上年相比) marks the changes of this text, not of the Markdown's escapes.

Plain Python-Markdown (which MkDocs uses), no MkDocs: the extensions are read from mkdocs.yml.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import yaml

from ..content import site_config

# The extensions MkDocs always loads before those of mkdocs.yml (mkdocs/config/defaults.py).
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


@lru_cache(maxsize=1)
def markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """(extension names, their options), from mkdocs.yml's markdown_extensions, merged with
    MkDocs' built-in ones the way MkDocs merges them."""

    class _Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        names = loader.construct_sequence(node)
        return next((os.environ[n] for n in names[:-1] if n in os.environ), names[-1])

    _Loader.add_constructor("!ENV", env)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((site_config.ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader) or {}
    names, options = list(MKDOCS_BUILTINS), {}
    for item in config.get("markdown_extensions") or []:
        name, opts = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if opts:
            options[name] = opts
    return names, options


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    names, options = markdown_extensions()
    return markdown.Markdown(extensions=names, extension_configs=options)


def to_html(text: str) -> str:
    """One converter per process, reset before each page (as Python-Markdown documents)."""
    return _converter().reset().convert(text)


_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_INVISIBLE = frozenset(["script", "style", "template", "head", "title"])
_WS = re.compile(r"\s+")


class _Lines(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK:
            self.lines.append("")
        elif tag in _INVISIBLE:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in _BLOCK:
            self.lines.append("")
        elif tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.lines[-1] += data


def visible_lines(html: str) -> list[str]:
    """The text of the HTML as a reader sees it: one entry per run of text between block
    boundaries (paragraph, heading, line break, list item…), whitespace collapsed, empty ones dropped."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    return [line for line in (normalize(t) for t in parser.lines) if line]


def normalize(text: str) -> str:
    return _WS.sub(" ", text).strip()


def plain_text(text: str) -> str:
    """The visible text of Markdown, one line per block."""
    return "\n".join(visible_lines(to_html(text)))
