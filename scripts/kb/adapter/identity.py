"""The site's identity in every page: the footer's 主办单位 and filing numbers (from mkdocs.yml
`extra:`), and each page's link preview (description, Open Graph and Twitter tags, share card).

The hooks call `install_footer` from on_env (so the 404 page has the footer too) and
`share_context` from on_page_context; the templates are overrides/partials/copyright.html and
overrides/partials/kb-meta.html.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError

from ..content import identity, sharing, text, urls
from ..content.model import KnowledgeBase
from ..outputs import link_preview, share_cards
from .i18n_workarounds import lang_of

log = logging.getLogger("mkdocs.plugins.kb")


def install_footer(env, config, kb: KnowledgeBase | None = None) -> None:
    lang = lang_of(config)
    try:
        env.globals["kb_identity"] = identity.footer_items(config.extra, lang)
    except identity.IdentityError as exc:
        raise PluginError(str(exc)) from None
    env.globals["kb_identity_colon"] = "：" if lang == urls.DEFAULT_LANG else ": "
    # The feed, and what the collections offer (the activities calendar), in the footer, where
    # readers look for them.
    t = text.strings()[lang]
    links = [(t["subscribe_feed"], urls.lang_prefix(lang) + "feed.xml", "application/atom+xml")]
    for extension in kb.registry.all_extensions() if kb is not None else []:
        if extension.subscriptions is not None:
            links += extension.subscriptions(lang)
    env.globals["kb_subscribe"] = {"label": t["subscribe"], "links": links}


def card_cache(config) -> share_cards.CardCache:
    """Cards are kept beside mkdocs.yml (`.cache/kb-cards/`, or KB_CARD_CACHE), like photos."""
    folder = os.environ.get("KB_CARD_CACHE") or (
        Path(config["config_file_path"] or config["docs_dir"]).parent / ".cache" / "kb-cards"
    )
    return share_cards.CardCache(Path(folder))


def _card_footer(config, lang: str) -> str:
    """The card's last line: 主办单位：… (Run by: …)."""
    owner = identity.values(config.extra, lang).get("owner", "")
    colon = "：" if lang == urls.DEFAULT_LANG else ": "
    label = identity.LABELS.get(lang, identity.LABELS["en"])["owner"]
    return f"{label}{colon}{owner}" if owner else ""


def foresee_cards(config, kb: KnowledgeBase, cards: share_cards.CardCache) -> int:
    """The cards this language's pages will ask `share_context` for, known once the knowledge
    base is read: the site's card and one for each published entry people share, titled as its
    page is (`shown_title`). Given to the card pool at on_config, they are drawn while this
    process reads and converts pages. Only a build with an address draws cards."""
    if not config["site_url"]:
        return 0
    lang = lang_of(config)
    site_name, footer = config["site_name"], _card_footer(config, lang)
    wanted = [share_cards.Card(site_name, site_name, footer, lang)]
    for entry in kb.entries.values():
        if not entry.collection.shared or entry.src in kb.hidden:
            continue
        if lang != urls.DEFAULT_LANG and entry.translated(lang) is None:
            continue  # shows its Chinese page's card
        shown = entry.collection.shown_title
        title = shown(entry, lang) if shown is not None else entry.title(lang)
        wanted.append(share_cards.Card(title, site_name, footer, lang))
    try:
        sent = cards.foresee(wanted)
    except share_cards.FontMissing as exc:
        raise PluginError(str(exc)) from None
    log.debug("share cards: %d of %d foreseen sent to the pool", sent, len(wanted))
    return sent


def _chinese_src(page) -> str:
    src, _ = urls.split_lang(page.file.src_uri)
    return src


def share_context(
    page,
    config,
    kb: KnowledgeBase | None,
    cards: share_cards.CardCache,
    site_root: Path,
    chinese_cards: dict[str, tuple[str, str]] | None = None,
) -> dict:
    """`kb_share` for overrides/partials/kb-meta.html: the page's description, its absolute
    address and its share card (made now, or taken from the cache). Without a configured address
    (site_url) the address and the card's are empty, and the template leaves their tags out; no
    card is drawn then.

    A card of its own only for a page people share (`sharing.is_shared`); the others show the
    site's card (the home page's). A page in a language it is not written in yet (an English
    page showing the Chinese text) shows its Chinese page's card: `chinese_cards` keeps, by
    Chinese source, the card and its text of each page built in the default language."""
    lang = lang_of(config)
    src = _chinese_src(page)
    entry = kb.entries.get(src) if kb is not None else None
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
    footer = _card_footer(config, lang)
    site_url = config["site_url"] or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    shared = sharing.is_shared(src, kb)
    untranslated = lang != urls.DEFAULT_LANG and entry is not None and entry.translated(lang) is None
    alt = title if shared else config["site_name"]
    rel = ""
    if not site_url:
        pass  # no address to give the card: none is drawn
    elif shared and untranslated and chinese_cards is not None and src in chinese_cards:
        rel, alt = chinese_cards[src]
    else:
        try:
            rel = cards.publish(share_cards.Card(alt, config["site_name"], footer, lang), site_root)
        except share_cards.FontMissing as exc:
            raise PluginError(str(exc)) from None
        if lang == urls.DEFAULT_LANG and chinese_cards is not None:
            chinese_cards[src] = (rel, alt)
    is_article = entry is not None and entry.collection.is_record
    return {
        "kb_share": {
            "title": title,
            "description": description,
            "url": page.canonical_url or "",
            "type": "article" if is_article else "website",
            "locale": link_preview.LOCALES.get(lang, "en_US"),
            "locale_alternates": [v for k, v in link_preview.LOCALES.items() if k != lang],
            # No address configured: no og:url and no og:image rather than a made-up or relative one
            # (a relative image is no use to the apps that read it).
            "image": urljoin(site_url, rel) if rel else "",
            "image_width": share_cards.WIDTH,
            "image_height": share_cards.HEIGHT,
            "image_alt": alt,
            "site_name": config["site_name"],
        }
    }
