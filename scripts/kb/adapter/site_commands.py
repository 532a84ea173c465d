"""`kb build` and `kb preview`: MkDocs run the way this project publishes and previews the site, so
that editors type one command and never a developer's.

`kb build` is the publishing build: it refuses to run without the address the site will be
published at (a build without one has no canonical links, link previews or sitemap, which is
right for a look at the site and wrong for publishing), naming the setting, then runs
`mkdocs build --strict`, which refuses any error `kb check` reports. `kb build --members` builds the
members' edition into site-members/, with its own address.

`kb preview` runs `mkdocs serve --dirty --no-strict` on the members' edition: an editor sees
everything that may be published (drafts, members-only pages, the editors' guide), each marked,
with the file to edit under every record. `--public` previews the public edition instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..content import site_config

ROOT = Path(__file__).resolve().parents[3]
PREVIEW_OPTIONS = ("--dirty", "--no-strict")


def _address_problem(address: str | None, *, members: bool) -> str | None:
    setting = (
        "环境变量 KB_MEMBERS_SITE_URL（或 mkdocs.yml 中 extra 下的 members_site_url）"
        if members
        else "环境变量 KB_SITE_URL（或 mkdocs.yml 的 site_url）"
    )
    example = "https://members.kb.example.gov.cn/" if members else "https://kb.example.gov.cn/"
    variable = "KB_MEMBERS_SITE_URL" if members else "KB_SITE_URL"
    command = "kb build --members" if members else "kb build"
    what = "委员版" if members else "网站"
    if not address:
        return (
            f"没有设置{what}的网址，不能生成要发布的{what}：请在{setting}中写上发布后的网址，"
            f"例如 {variable}={example} {command}。"
            "没有网址时，页面的规范链接、分享预览和站点地图都无法指向网站。"
        )
    parts = urlsplit(address)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return f"{what}的网址 {address!r} 无效：{setting}应是以 https:// 开头的完整网址，例如 {example}。"
    return None


def build(*, members: bool) -> int:
    """The publishing build of one edition; returns the exit status."""
    address = site_config.members_address() if members else site_config.published_address()
    problem = _address_problem(address, members=members)
    if problem is None and members:
        public = site_config.published_address()
        if public and urlsplit(public).netloc == urlsplit(address).netloc:
            problem = (
                f"委员版的网址 {address} 与公开网站在同一主机（{urlsplit(public).netloc}）上：委员版须放在"
                "单独的主机名下（见 deploy/README.md 的“Members' edition”），请为 KB_MEMBERS_SITE_URL 另设网址。"
            )
    if problem:
        print(problem, file=sys.stderr)
        return 2
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_EDITION": "members" if members else "public"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml")]
    return subprocess.run(command, env=env, cwd=ROOT).returncode


def preview(*, public: bool, address: str | None) -> int:
    """`mkdocs serve --dirty --no-strict` of the members' edition (or the public one), until the
    editor stops it (Ctrl+C)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_EDITION": "public" if public else "members"}
    command = [sys.executable, "-m", "mkdocs", "serve", *PREVIEW_OPTIONS, "-f", str(ROOT / "mkdocs.yml")]
    if address:
        command += ["-a", address]
    try:
        return subprocess.run(command, env=env, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 0
