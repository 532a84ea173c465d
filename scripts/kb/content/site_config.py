"""The published address as mkdocs.yml sets it, for code that runs without MkDocs (`kb check`,
`kb export`): the same value the build gets, KB_SITE_URL or the file's default."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def _config() -> dict:
    class _Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        names = loader.construct_sequence(node)
        return next((os.environ[n] for n in names[:-1] if n in os.environ), names[-1])

    _Loader.add_constructor("!ENV", env)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader) or {}


def site_url() -> str:
    return _config().get("site_url") or "/"


def published_address() -> str | None:
    """The public site's address as the build gets it (KB_SITE_URL, or mkdocs.yml's site_url),
    or None when none is configured."""
    value = _config().get("site_url")
    return str(value).strip() or None if value else None


def members_address() -> str | None:
    """The members' edition's own address (KB_MEMBERS_SITE_URL, or mkdocs.yml's
    extra.members_site_url), or None."""
    value = (_config().get("extra") or {}).get("members_site_url")
    return str(value).strip() or None if value else None


def sessions() -> dict:
    """The table editors keep of the committee's sessions and their years (extra: sessions:), for
    proposal lists titled by session (十一届三次会议以来…)."""
    return (_config().get("extra") or {}).get("sessions") or {}


def nav_pages() -> set[str]:
    """The pages mkdocs.yml's `nav` names (docs-relative), e.g. {"index.md", "wenshi/index.md"}."""
    found = set()

    def walk(item):
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(_config().get("nav") or [])
    return found


def identity_problems() -> list:
    """mkdocs.yml's identity keys (extra: owner, icp …) checked as the build checks them, with
    the line of the key, so that `kb check` refuses what the build would refuse."""
    from .identity import IdentityError, values
    from .problems import Problem

    extra = _config().get("extra") or {}
    try:
        values(extra if isinstance(extra, dict) else {})
    except IdentityError as exc:
        key = exc.key
        lines = (ROOT / "mkdocs.yml").read_text("utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.strip().startswith(f"{key}:")), 1)
        return [Problem("mkdocs.yml", line, str(exc).removeprefix("mkdocs.yml: "))]
    return []
