"""What a link to a page shows when it is shared (Open Graph, Twitter cards, the meta description):
a description of its own for every page, from the page's text, never invented.

- a page whose front matter has `description` (a record's summary): that;
- a work point: its text from the first sentence, as many whole sentences as fit;
- any other page: its first real paragraph (not a short addressee line ending in a colon);
- a page without one (a listing that is all list): its title and the site's description.

Descriptions are plain text (tags removed, entities decoded) and at most LIMIT characters, cut at
a sentence or word end; the template escapes them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

LIMIT = 120
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# A sentence ends after Chinese 。！？； or Latin .!? followed by a space (or the end).
_SENTENCE = re.compile(r".*?(?:[。！？；]|[.!?;](?=\s|$)|$)", re.S)
_MIN_PARAGRAPH = 12

LOCALES = {"zh": "zh_CN", "en": "en_US"}


def plain(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _cjk_tight(text: str) -> str:
    """Spaces that removing tags left between Chinese characters removed again."""
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def paragraphs(content_html: str) -> Iterator[str]:
    """The page's paragraphs as plain text, as far as the caller reads: a description needs the
    first real one, and a long page's other paragraphs were most of the time spent here."""
    for m in _PARAGRAPH.finditer(content_html or ""):
        text = _cjk_tight(plain(m.group(1)))
        if text:
            yield text


def clip(text: str, limit: int = LIMIT) -> str:
    """Whole sentences from the start that fit in `limit` characters; if the first sentence alone
    is longer, it is cut at a word (or, in Chinese, character) boundary and ends with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    out = ""
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if not sentence:
            break
        if len(out + sentence) > limit:
            break
        out += sentence
    if out.strip():
        return out.strip()
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :] and not re.search(r"[\u3000-\u9fff]", cut[-10:]):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ，,、；;：:") + "…"


def describe(
    *,
    title: str,
    content_html: str,
    meta_description: str | None,
    site_description: str,
    by_sentences: bool,
    lang: str,
) -> str:
    if meta_description and str(meta_description).strip():
        return clip(str(meta_description))
    found = paragraphs(content_html)
    if by_sentences:
        first = next(found, None)
        if first is not None:
            return clip(first)
    for text in found:
        # An addressee line ("各专门工作委员会……：") is no description; a long paragraph that
        # leads into a list ("主要工作任务如下：") is, cut at its sentences.
        if len(text) >= _MIN_PARAGRAPH and (len(text) > 60 or not text.endswith(("：", ":"))):
            return clip(text)
    colon = "：" if lang == "zh" else ": "
    return clip(f"{title}{colon}{site_description}" if title else site_description)
