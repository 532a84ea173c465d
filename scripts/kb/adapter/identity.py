"""The site's identity in every page: the footer's 主办单位 and filing numbers (from mkdocs.yml
`extra:`), and each page's link preview (description, Open Graph and Twitter tags, share card).

The hooks call `install_footer` from on_env (so the 404 page has the footer too) and
`share_context` from on_page_context; the templates are overrides/partials/copyright.html and
overrides/partials/kb-meta.html.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError

from ..content import identity, urls
from ..content.model import KnowledgeBase
from ..outputs import link_preview, share_cards
from .i18n_workarounds import lang_of


def install_footer(env, config) -> None:
    lang = lang_of(config)
    try:
        env.globals["kb_identity"] = identity.footer_items(config.extra, lang)
    except identity.IdentityError as exc:
        raise PluginError(str(exc)) from None
    env.globals["kb_identity_colon"] = "：" if lang == urls.DEFAULT_LANG else ": "


def card_cache(config) -> share_cards.CardCache:
    """Cards are kept beside mkdocs.yml (`.cache/kb-cards/`, or KB_CARD_CACHE), like photos."""
    folder = os.environ.get("KB_CARD_CACHE") or (
        Path(config["config_file_path"] or config["docs_dir"]).parent / ".cache" / "kb-cards"
    )
    return share_cards.CardCache(Path(folder))


def _chinese_src(page) -> str:
    src, _ = urls.split_lang(page.file.src_uri)
    return src


def share_context(page, config, kb: KnowledgeBase | None, cards: share_cards.CardCache, site_root: Path) -> dict:
    """`kb_share` for overrides/partials/kb-meta.html: the page's description, its absolute
    address and its share card (made now, or taken from the cache)."""
    lang = lang_of(config)
    entry = kb.entries.get(_chinese_src(page)) if kb is not None else None
    title = str(page.meta.get("title") or page.title or config["site_name"] or "")
    if page.is_homepage:
        title = config["site_name"]
    description = link_preview.describe(
        title=title,
        content_html=page.content or "",
        meta_description=page.meta.get("description"),
        site_description=config["site_description"] or "",
        by_sentences=entry is not None and entry.collection.described_by_sentences,
        lang=lang,
    )
    owner = identity.values(config.extra).get("owner", "")
    colon = "：" if lang == urls.DEFAULT_LANG else ": "
    label = identity.LABELS.get(lang, identity.LABELS["en"])["owner"]
    card = share_cards.Card(title, config["site_name"], f"{label}{colon}{owner}" if owner else "", lang)
    try:
        rel = cards.publish(card, site_root)
    except share_cards.FontMissing as exc:
        raise PluginError(str(exc)) from None
    site_url = config["site_url"] or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    is_article = entry is not None and entry.collection.is_record
    return {
        "kb_share": {
            "title": title,
            "description": description,
            "url": page.canonical_url or "",
            "type": "article" if is_article else "website",
            "locale": link_preview.LOCALES.get(lang, "en_US"),
            "locale_alternates": [v for k, v in link_preview.LOCALES.items() if k != lang],
            "image": urljoin(site_url, rel) if site_url else "/" + rel,
            "image_width": share_cards.WIDTH,
            "image_height": share_cards.HEIGHT,
            "image_alt": title,
            "site_name": config["site_name"],
        }
    }
