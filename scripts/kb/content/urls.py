"""THE rule for addresses: a page's source path, its language, and where it is published.

Every address the project writes comes from here: a page's directory URL, the language prefix,
the address recorded in addresses.txt, absolute links (feeds, calendars, link previews), links
relative to another page (MkDocs' rule and raw HTML's), and the path of a page's translation.
MkDocs computes the same URLs for the pages it renders (`use_directory_urls: true`); tests check
that the two agree. Plain functions on strings, nothing imported from MkDocs.

    source                   language   url(src, lang)         address(src)
    index.md                 zh         ""                     /
    plan/2024/01.md          zh         plan/2024/01/          /plan/2024/01/
    plan/2024/01.en.md       en         en/plan/2024/01/       /plan/2024/01/
    wenshi/index.md          en         en/wenshi/             /wenshi/
"""

from __future__ import annotations

import functools
import posixpath

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")


def split_lang(src: str) -> tuple[str, str]:
    """("plan/2024/01.md", "en") for "plan/2024/01.en.md"; a Chinese source is its own."""
    for lang in LANGS:
        if lang != DEFAULT_LANG and src.endswith(f".{lang}.md"):
            return src[: -len(f".{lang}.md")] + ".md", lang
    return src, DEFAULT_LANG


def translation_src(src: str, lang: str) -> str:
    """The source path of the page `src` (Chinese) in `lang`: "x/y.md" -> "x/y.en.md"."""
    return src if lang == DEFAULT_LANG else src[: -len(".md")] + f".{lang}.md"


def lang_prefix(lang: str) -> str:
    """The folder a language's pages are published under: "" for Chinese, "en/" for English."""
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def lang_root(lang: str) -> str:
    """A language's home address: "/" or "/en/"."""
    return "/" + lang_prefix(lang)


def directory_url(src: str) -> str:
    """A Chinese source path's directory URL relative to the language root:
    "plan/2024/01.md" -> "plan/2024/01/", "plan/index.md" -> "plan/", "index.md" -> ""."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def url(src: str, lang: str = DEFAULT_LANG) -> str:
    """Where the page of `src` (either language's source) is published in `lang`, relative to the
    site root: "en/plan/2024/01/"."""
    return lang_prefix(lang) + directory_url(split_lang(src)[0])


def address(src: str) -> str:
    """A page's address without language prefix, as addresses.txt and redirects.yml write it:
    plan/2024/03.md and plan/2024/03.en.md -> /plan/2024/03/; wenshi/index.md -> /wenshi/."""
    return "/" + directory_url(split_lang(src)[0])


def source_of(address_: str) -> list[str]:
    """The source files that would give an address (for messages): /plan/2024/03/ ->
    plan/2024/03.md or plan/2024/03/index.md."""
    inner = address_.strip("/")
    if not inner:
        return ["index.md"]
    return [f"{inner}.md", f"{inner}/index.md"]


def absolute(site_url: str, site_relative: str) -> str:
    """An address on the published site: `site_url` joined with a site-relative URL."""
    return site_url.rstrip("/") + "/" + site_relative.lstrip("/")


def relative_url(target: str, other: str) -> str:
    """`target` relative to the page at `other` (both site-relative, slash-separated), with MkDocs'
    rule (`mkdocs.utils.get_relative_url`): a last component of `other` with a dot is a file."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _norm_parts(other), _norm_parts(target)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if target.endswith("/") else rel


@functools.cache
def _norm_parts(path: str) -> list[str]:
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return path.split("/") if path else []


def relative_address(from_address: str, to_address: str) -> str:
    """The relative link from a page at one address to another (both directory URLs)."""
    rel = posixpath.relpath(to_address, from_address)
    return "./" if rel == "." else rel.rstrip("/") + "/"


def page_href(target_src: str, page_src: str) -> str:
    """A link for raw HTML on the page of `page_src` to the page of `target_src` (Chinese sources,
    same language): their directory URLs, relative (MkDocs rewrites no link in raw HTML)."""
    target, here = directory_url(target_src), directory_url(page_src)
    return posixpath.relpath(target or ".", here or ".") + "/" if target != here else "./"


def to_site_root(page_src: str, lang: str) -> str:
    """The relative URL of the site root from the page of `page_src` in `lang` ("../../"), where
    files written after the build live (task sheets, calendars)."""
    return "../" * (directory_url(split_lang(page_src)[0]).count("/") + lang_prefix(lang).count("/"))


def html_base(page_src: str) -> str:
    """The folder a browser resolves a raw-HTML link on the page of `page_src` against: the page's
    directory URL (x/y.md and x/y.en.md are served as x/y/), without the trailing slash."""
    return directory_url(split_lang(page_src)[0]).rstrip("/")


def source_link(target_src: str, page_src: str) -> str:
    """A Markdown link from the source of `page_src` to the source of `target_src` (MkDocs turns it
    into the target's URL, in the page's language)."""
    return posixpath.relpath(target_src, posixpath.dirname(page_src) or ".")


def html_link(target: str, page_src: str) -> str:
    """A raw-HTML reference from the page of `page_src` to the docs-relative `target` (a file, or a
    page's directory URL): relative to the page's directory URL, where the browser resolves it."""
    return posixpath.relpath(target, html_base(page_src) or ".")


def lang_of_url(site_relative: str) -> str:
    """The language a site-relative URL is in: "en/plan/2024/" is English, "plan/2024/" Chinese."""
    for lang in LANGS:
        prefix = lang_prefix(lang)
        if prefix and (site_relative == prefix or site_relative.startswith(prefix)):
            return lang
    return DEFAULT_LANG
