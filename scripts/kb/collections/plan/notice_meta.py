"""The 公文 metadata block of a plan's notice (docs/plan/<year>/notice.md), as official sites show
a published document: 发文机关, 发文字号, 签发人, 成文日期, 附注, 抄送机关, 印发机关, 印发日期.

Every value comes from what `kb import plan` wrote from the issued text (source_text.py):
- 发文机关 and 成文日期: the notice's signature, `<p class="kb-signature">单位<br>日期</p>`;
- 印发机关 and 印发日期: the print line, kept in the plan's front matter (`issuer`, `issued`), or,
  where the plan has none, the notice's `<p class="kb-imprint">`.
- 发文字号, 签发人 (the 版头), 附注 and 抄送机关 (the 版记): the plan's front matter (`doc_number`,
  `signer`, `annotation`, `copied_to`).
A field the source does not have is left out. The block is part of the page's content (not of the
template), so the search index holds it: searching 印发日期 or the issuing body finds the notice.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from ...content import text
from ...content.urls import DEFAULT_LANG

LABELS = {
    "zh": {
        "signatory": "发文机关",
        "doc_number": "发文字号",
        "signer": "签发人",
        "signed": "成文日期",
        "annotation": "附注",
        "copied_to": "抄送机关",
        "issuer": "印发机关",
        "issued": "印发日期",
    },
    "en": {
        "signatory": "Issuing body",
        "doc_number": "Document number",
        "signer": "Signed off by",
        "signed": "Date of the document",
        "annotation": "Annotation",
        "copied_to": "Copied to",
        "issuer": "Printed and distributed by",
        "issued": "Date printed and distributed",
    },
}
CAPTION = {"zh": "公文信息", "en": "Document details"}

_SIGNATURE = re.compile(r'<p class="kb-signature">(?:(?P<who>[^<]*?)\s*<br>)?\s*(?P<date>[^<]*?)\s*</p>')
_IMPRINT = re.compile(r'<p class="kb-imprint"><span>(?P<who>[^<]*)</span>\s*<span>(?P<date>[^<]*?)印发</span></p>')
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _date(printed: str) -> dt.date | str | None:
    printed = html.unescape(printed).strip()
    m = _CN_DATE.fullmatch(printed)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return printed
    return printed or None


def fields(notice_body: str, plan_data=None) -> dict[str, str | dt.date]:
    """{field: value} for the fields the imported text has, in the order shown."""
    out: dict[str, str | dt.date] = {}
    sig = _SIGNATURE.search(notice_body or "")
    if sig:
        who = html.unescape(sig["who"] or "").strip()
        if who:
            out["signatory"] = who
        for key in ("doc_number", "signer"):
            if getattr(plan_data, key, None):
                out[key] = getattr(plan_data, key)
        signed = _date(sig["date"])
        if signed:
            out["signed"] = signed
    for key in ("annotation", "copied_to"):
        if getattr(plan_data, key, None):
            out[key] = getattr(plan_data, key)
    issuer = getattr(plan_data, "issuer", None)
    issued = getattr(plan_data, "issued", None)
    imprint = _IMPRINT.search(notice_body or "")
    if not issuer and imprint:
        issuer = html.unescape(imprint["who"]).strip()
    if not issued and imprint:
        issued = _date(imprint["date"])
    if issuer:
        out["issuer"] = issuer
    if issued:
        out["issued"] = issued
    return out


_TRANSLATED_IMPRINT = re.compile(r'<p class="kb-imprint"><span>(?P<who>[^<]*)</span>')


def translated_names(values: dict, translated_body: str | None) -> dict:
    """On a translated notice, the issuing bodies as its translation writes them in its own
    signature and print line (the dates stay those of the Chinese text, written in the page's
    language); a name the translation does not have stays Chinese."""
    out = dict(values)
    sig = _SIGNATURE.search(translated_body or "")
    if sig and "signatory" in out and html.unescape(sig["who"] or "").strip():
        out["signatory"] = Translated(html.unescape(sig["who"]).strip())
    imprint = _TRANSLATED_IMPRINT.search(translated_body or "")
    if imprint and "issuer" in out and html.unescape(imprint["who"]).strip():
        out["issuer"] = Translated(html.unescape(imprint["who"]).strip())
    return out


class Translated(str):
    """A value in the page's own language (not marked lang="zh")."""


def render(values: dict, lang: str) -> str:
    """The block as HTML (every value escaped); names stay Chinese, marked lang="zh" on pages in
    other languages; dates are written in the page's language."""
    if not values:
        return ""
    labels = LABELS.get(lang, LABELS["en"])
    rows = []
    for key, value in values.items():
        if isinstance(value, dt.date):
            shown, zh = text.format_date(value, lang), False
        else:
            shown, zh = str(value), lang != DEFAULT_LANG and not isinstance(value, Translated)
        attr = ' lang="zh"' if zh else ""
        rows.append(f"<div><dt>{html.escape(labels[key])}</dt><dd{attr}>{html.escape(shown)}</dd></div>")
    caption = html.escape(CAPTION.get(lang, CAPTION["en"]))
    return f'<section class="kb-doc-meta" aria-label="{caption}">\n<dl>\n' + "\n".join(rows) + "\n</dl>\n</section>\n"
