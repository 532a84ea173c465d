"""`kb preview` and `kb build`: the preview of the site on this computer, and the publishing
build (scripts/kb/adapter/site_commands.py says what each runs)."""

from __future__ import annotations

from ..adapter import site_commands


def register(sub) -> None:
    pv = sub.add_parser("preview", help="在本机预览网站（委员版：含草稿、仅委员可见的页面和编辑指南）")
    pv.add_argument("--public", action="store_true", help="预览公开版")
    pv.add_argument("-a", "--address", help="预览的地址和端口（默认 127.0.0.1:8000）")
    pv.set_defaults(func=lambda args: site_commands.preview(public=args.public, address=args.address))

    b = sub.add_parser("build", help="生成要发布的网站（须先设置网址 KB_SITE_URL）")
    b.add_argument("--members", action="store_true", help="生成委员版（site-members/，网址 KB_MEMBERS_SITE_URL）")
    b.set_defaults(func=lambda args: site_commands.build(members=args.members))
