"""Who runs the site and how to reach them: set once in mkdocs.yml `extra:` and shown in the footer
of every page, as Chinese official sites do (《政府网站发展指引》: 主办单位, 联系方式, 网站标识码,
ICP 备案编号 linked to the MIIT filing system, 公安机关备案号 linked to the public-security one).

The values are data: they are returned as plain text, and the template escapes them. Nothing here
is invented: a key that mkdocs.yml leaves unset is simply not shown (only `owner` has a default).

A value is one text for every language (a filing number), or a text per language, so that the
English edition names the owner in English:

    owner:
      zh: 政协北京市门头沟区委员会
      en: Mentougou District Committee of the CPPCC, Beijing

A language without its own text shows the Chinese one (marked as Chinese on the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from . import personal_data
from .model import DEFAULT_LANG, LANGS

DEFAULT_OWNER = "政协北京市门头沟区委员会"
DEFAULT_OWNER_NAMES = {DEFAULT_LANG: DEFAULT_OWNER, "en": "Mentougou District Committee of the CPPCC, Beijing"}
KEYS = ("owner", "organizer", "address", "phone", "email", "site_code", "icp", "police_record")
LABELS = {
    "zh": {
        "owner": "主办单位",
        "organizer": "承办单位",
        "address": "地址",
        "phone": "电话",
        "email": "电子邮箱",
        "site_code": "网站标识码",
        "icp": "ICP备案号",
        "police_record": "公安机关备案号",
    },
    "en": {
        "owner": "Owner",
        "organizer": "Run by",
        "address": "Address",
        "phone": "Telephone",
        "email": "Email",
        "site_code": "Website code",
        "icp": "ICP filing",
        "police_record": "Public security filing",
    },
}
MIIT_FILING = "https://beian.miit.gov.cn/"
MPS_FILING = "https://beian.mps.gov.cn/#/query/webSearch?code="
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_MAX_LENGTH = 200


class IdentityError(ValueError):
    """A value in mkdocs.yml `extra:` that cannot be shown; the message says which key and the fix."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    value: str
    href: str | None
    zh: bool  # a Chinese value on a page in another language (marked lang="zh")


def values(extra: dict | None, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The identity keys that are set, as text in `lang` (a per-language value's own text, else
    its Chinese one); `owner` defaults to the committee. Raises IdentityError (in Chinese, naming
    mkdocs.yml and the key) for a value that is not text."""
    extra = extra or {}
    out: dict[str, str] = {}
    for key in KEYS:
        value = extra.get(key, DEFAULT_OWNER_NAMES if key == "owner" else None)
        if isinstance(value, dict):
            value = _in_language(key, value, lang)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _not_text(key, value)
        text = " ".join(str(value).split())
        if len(text) > _MAX_LENGTH:
            raise IdentityError(
                key, f"mkdocs.yml: extra.{key} 太长（{len(text)} 个字符，最多 {_MAX_LENGTH}）。请改短。"
            )
        if hits := personal_data.find(text):
            raise IdentityError(
                key,
                f"mkdocs.yml: extra.{key} 里有{'、'.join(h.describe() for h in hits)}：网站标识显示在每一页的页脚上，"
                "请写单位的办公电话（座机）和办公地址，不写个人的手机号、身份证号或家庭住址。",
            )
        if text:
            out[key] = text
    return out


def _not_text(key: str, value) -> IdentityError:
    kind = {list: "列表", dict: "键值表", bool: "是/否值", float: "小数"}.get(type(value), type(value).__name__)
    return IdentityError(
        key,
        f'mkdocs.yml: extra.{key} 应是一段文字（例如 {key}: "…"），或按语言各写一段（{key}: {{zh: "…", en: "…"}}），'
        f"现在是{kind}。请改成用引号括起的文字，或删去这一行。",
    )


def _in_language(key: str, value: dict, lang: str):
    """A per-language value: {zh: …, en: …}; its keys must be the site's languages and its
    Chinese text is the fallback (every value needs one)."""
    if not value or not set(map(str, value)) <= set(LANGS) or DEFAULT_LANG not in value:
        raise _not_text(key, value)
    for text in value.values():
        if isinstance(text, bool) or not isinstance(text, str | int):
            raise _not_text(key, text)
    chosen = value.get(lang)
    return chosen if chosen not in (None, "") else value[DEFAULT_LANG]


def _href(key: str, value: str) -> str | None:
    if key == "icp":
        return MIIT_FILING
    if key == "police_record":
        digits = "".join(re.findall(r"\d", value))
        return MPS_FILING + digits if digits else None
    if key == "email" and "@" in value and " " not in value:
        return "mailto:" + quote(value, safe="@.+-_")
    return None


def footer_items(extra: dict | None, lang: str) -> list[Item]:
    """The footer's lines for a page in `lang`, in the order official sites list them."""
    labels = LABELS.get(lang, LABELS["en"])
    return [
        Item(key, labels[key], value, _href(key, value), lang != DEFAULT_LANG and bool(_CJK.search(value)))
        for key, value in values(extra, lang).items()
    ]
