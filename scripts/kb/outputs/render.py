"""Rendering generated listings from the Jinja templates in scripts/kb/outputs/templates/.

Templates produce Markdown. Every value printed with {{ }} is escaped for Markdown and HTML
(see `_escape`), so front-matter text can never become markup; record bodies, which are Markdown
written by editors, are passed in as `Markup` on purpose.

`Renderer` holds what every listing needs (links, labels, titles, the template call) and renders
the collections' declared listings from the templates in their folders; a collection's own
markers are rendered by its folder (the plan's by scripts/kb/collections/plan/pages.py), the
guide's field reference by `guide.field_reference`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..content import listings, media, urls, vocab
from ..content.collection import Collection, Registry
from ..content.model import Entry, KnowledgeBase
from ..content.text import format_date, strings, zh_numeral

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Python-Markdown's backslash escapes; "|" becomes an entity so it is safe inside tables too.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


# Characters that are markup to HTML, or to Markdown and its extensions where raw HTML is
# parsed as Markdown again (md_in_html spans, attr_list's `{: ...}`), as numeric references:
# inert in every one of those contexts, and displayed as the character itself.
# (Line-start markup such as "1." or "-" needs a newline, which one-line fields refuse.)
_INERT = {c: f"&#{ord(c)};" for c in "\\`*_{}[]#!|~"} | {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
}
_INERT_TABLE = str.maketrans(_INERT)


def inert_html(value) -> Markup:
    """Front-matter text for raw HTML (element text or a quoted attribute value)."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_INERT_TABLE))


def _escape(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("|", "&#124;")


def environment(kind: str = "md", registry: Registry | None = None) -> jinja2.Environment:
    """The templates here and every collection folder's (`templates/`), with the names the
    collections' folders give them (`Extension.template_globals`)."""
    if registry is None:
        return _environment(kind, (str(TEMPLATES),), ())
    extra = tuple((k, v) for e in registry.all_extensions() for k, v in e.template_globals.items())
    return _environment(kind, (str(TEMPLATES), *registry.template_dirs()), extra)


@lru_cache(maxsize=16)
def _environment(kind: str, template_dirs: tuple[str, ...], extra_globals: tuple) -> jinja2.Environment:
    """`md` templates escape for Markdown and HTML (`_escape`); `html` ones for HTML and for the
    Markdown that md_in_html may still apply (`inert_html`); `xml` ones autoescape."""
    markdown = kind == "md"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(template_dirs)),
        autoescape=not markdown,
        finalize=_escape if markdown else inert_html if kind == "html" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(zh_numeral=zh_numeral, vocab=vocab.ALL, **dict(extra_globals))
    env.filters["date"] = format_date
    env.filters["markdown"] = lambda text: Markup(text)
    env.filters["code"] = lambda text: Markup("`" + str(text).replace("`", "") + "`")
    # Inside raw HTML, Markdown's backslash escapes are not undone: numeric references instead.
    env.filters["h"] = inert_html
    return env


class Renderer:
    """Renders the listings of one page in one language."""

    def __init__(self, kb: KnowledgeBase, page_src: str, lang: str):
        self.kb = kb
        self.page_src = page_src  # Chinese source path of the page being rendered
        self.lang = lang
        self.t = strings()[lang]

    # helpers exposed to templates ---------------------------------------------------------
    def link(self, target_src: str) -> str:
        return urls.source_link(target_src, self.page_src)

    def cover(self, entry: Entry) -> str | None:
        """The record's cover image, as a link from this page (None when it has none)."""
        cover = getattr(entry.data, "cover", None)
        return self.link(media.resolve(entry.src, cover)) if cover else None

    def label(self, vocabulary: str, code: str) -> str:
        return vocab.ALL[vocabulary].label(code, self.lang)

    def title(self, entry: Entry) -> str:
        return entry.title(self.lang)

    def untranslated(self, entry: Entry) -> bool:
        return self.lang != urls.DEFAULT_LANG and entry.translated(self.lang) is None

    def site_root(self) -> str:
        """The relative URL of the site root (where files written after the build live, such as
        the task sheets) from the page being rendered, in this language."""
        return urls.to_site_root(self.page_src, self.lang)

    def href(self, target_src: str) -> str:
        """A URL for raw HTML (where MkDocs does not rewrite .md links): directory URL, relative."""
        return urls.page_href(target_src, self.page_src)

    def render(self, template: str, **context) -> str:
        kind = template.rsplit(".", 2)[-2]  # "x.md.j2" -> "md", "x.html.j2" -> "html"
        return (
            environment(kind, self.kb.registry)
            .get_template(template)
            .render(
                kb=self.kb,
                lang=self.lang,
                t=self.t,
                link=self.link,
                label=self.label,
                title=self.title,
                cover=self.cover,
                untranslated=self.untranslated,
                **context,
            )
        )

    def collection_listing(self, collection: Collection) -> str:
        """A collection's declared listing: its entries, grouped, in its template."""
        groups = listings.group(self.kb.listed(collection), collection)
        return self.render(collection.listing.template, groups=groups)
