"""Addresses that never break (issue 18 item 4).

Two files beside docs/, in the repository:

- `addresses.txt`: every page address the site has published, one a line, without the language
  prefix (`/plan/2024/03/` stands for it and `/en/plan/2024/03/`). `kb addresses`
  adds the addresses of the current pages; nothing ever removes one.
- `redirects.yml`: old address -> new address, written by `kb mv OLD NEW`. The
  build writes a page at each old address, in both languages, that leads to the new one
  (outputs/redirects.py), and an nginx map so nginx answers the same with a 301.

`kb check` refuses a recorded address that is neither a page any more nor redirected, naming the
address and the command that moves a page properly.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .derived import derived_pages
from .model import KnowledgeBase
from .problems import Problem
from .urls import address, source_of

RECORD = "addresses.txt"
REDIRECTS = "redirects.yml"
# Addresses the site uses: lowercase ASCII path segments, each ending with "/".
ADDRESS = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")
# Files the build writes besides pages, and the folders of the theme's and the search's files: an
# old address there (or under one) would overwrite them or need a folder where a file is.
_GENERATED_FILE = re.compile(
    r"(^|/)(feed\.xml|calendar\.ics|sitemap\.xml(\.gz)?|tasks\.(xlsx|csv)|tags\.json|[^/]*\.html?)$", re.I
)
_RESERVED_FOLDERS = ("assets", "search")


def dot_segments(address: str) -> bool:
    """Whether an address has a "." or ".." segment (a path that climbs out of where it is)."""
    return any(part in (".", "..") for part in address.split("/"))


def normalised(address: str) -> str:
    """The address without dot segments, as a browser resolves it ("/a/../b/" -> "/b/")."""
    out: list[str] = []
    for part in address.split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/" + "".join(f"{p}/" for p in out)


def shadowed_file(old: str, static_files: set[str]) -> str | None:
    """The file the build publishes (a file of docs/, or one it generates) that an old address
    would need to be a folder, or would write over; None when there is none."""
    parts = old.strip("/").split("/") if old.strip("/") else []
    if parts and parts[0].lower() in _RESERVED_FOLDERS:
        return "/".join(parts[:1]) + "/"
    for k, part in enumerate(parts):  # /.well-known/, /.git/: no page is there, nginx keeps them apart
        if part.startswith("."):
            return "/".join(parts[: k + 1]) + "/"
    for k in range(1, len(parts) + 1):
        path = "/".join(parts[:k])
        if path in static_files or _GENERATED_FILE.search(path):
            return path
    return None


RECORD_HEADER = """\
# Every page address this site has published (issue 18: addresses never break), without the
# language prefix: /plan/2024/03/ stands for it and for /en/plan/2024/03/.
# `kb addresses` adds the current pages' addresses; never delete a line.
# A page that moves keeps its old address working: move it with `kb mv OLD NEW`,
# which records the redirect in redirects.yml. `kb check` refuses an address here
# that is neither a page nor redirected.
"""

REDIRECTS_HEADER = """\
# Old address -> new address, without the language prefix (each also holds under /en/).
# Written by `kb mv OLD NEW`; the build writes a page at each old address that
# leads to the new one, and an nginx map (site/.redirects.map) that deploy/nginx.conf serves as 301.
# An old address may be pointed at any current page by hand, e.g. when a page is withdrawn.
"""


def current_addresses(pages: list[str], kb: KnowledgeBase) -> set[str]:
    """The addresses of the pages MkDocs renders (all languages, every edition: a page made
    members-only or a draft is withheld on purpose, not lost) and of the derived pages."""
    found = {address(src) for src in pages}
    found |= {address(d.src) for d in derived_pages(kb)}
    return found


def read_record(root: Path) -> list[tuple[int, str]]:
    """(line, address) of every recorded address; none without the file."""
    path = Path(root) / RECORD
    if not path.is_file():
        return []
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((n, line))
    return out


def write_record(root: Path, addresses: set[str]) -> None:
    path = Path(root) / RECORD
    path.write_text(RECORD_HEADER + "".join(f"{a}\n" for a in sorted(addresses)), "utf-8")


def read_redirects(root: Path) -> tuple[dict[str, str], dict[str, int], list[Problem]]:
    """The redirect map, the line of each old address, and problems with the file itself."""
    path = Path(root) / REDIRECTS
    if not path.is_file():
        return {}, {}, []
    text = path.read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return (
            {},
            {},
            [
                Problem(
                    REDIRECTS,
                    mark.line + 1 if mark else 1,
                    "不是有效的 YAML。每行写成“/旧网址/: /新网址/”，例如 /lectures/old/: /lectures/new/。",
                )
            ],
        )
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict):
        return (
            {},
            {},
            [
                Problem(
                    REDIRECTS, 1, "应当是“/旧网址/: /新网址/”的列表（YAML 映射），例如 /lectures/old/: /lectures/new/。"
                )
            ],
        )
    lines = {}
    for n, line in enumerate(text.splitlines(), 1):
        key = line.split(":", 1)[0].strip().strip("'\"")
        if key and not key.startswith("#"):
            lines.setdefault(key, n)
    redirects, problems = {}, []
    for old, new in data.items():
        n = lines.get(str(old), 1)
        if isinstance(old, str) and isinstance(new, str) and (dot_segments(old) or dot_segments(new)):
            problems.append(
                Problem(
                    REDIRECTS,
                    n,
                    f"“{old}: {new}”中有“.”或“..”这样的路径段：网址只能是从网站根目录写起的规范路径，"
                    f"不能往上跳出。请写成 {normalised(old)}: {normalised(new)} 这样的规范网址（请核对它们是否是要转的地址）。",
                )
            )
            continue
        if (
            not isinstance(old, str)
            or not isinstance(new, str)
            or not ADDRESS.match(old)
            or not ADDRESS.match(new)
            or any(a == "/en/" or a.startswith("/en/") for a in (old, new))
        ):
            problems.append(
                Problem(
                    REDIRECTS,
                    n,
                    f"“{old}: {new}”不是两个网址。旧网址和新网址都以 / 开头和结尾，不带 /en/，"
                    "例如 /lectures/old/: /lectures/new/。",
                )
            )
            continue
        redirects[old] = new
    return redirects, lines, problems


def write_redirects(root: Path, redirects: dict[str, str]) -> None:
    path = Path(root) / REDIRECTS
    body = "".join(f"{old}: {new}\n" for old, new in sorted(redirects.items()))
    path.write_text(REDIRECTS_HEADER + body, "utf-8")


def check(root: Path, current: set[str], *, shown: str = "", static_files: set[str] = frozenset()) -> list[Problem]:
    """Recorded addresses that would break, and redirects that lead nowhere, hide a page or would
    overwrite a file the site publishes. `shown`: the folder of the two files as the editor sees
    it ("" for the current folder); `static_files`: the docs-relative paths of docs/' other files."""
    redirects, lines, problems = read_redirects(root)
    problems = [_shown(p, shown) for p in problems]
    found = []
    for old, new in redirects.items():
        n = lines.get(old, 1)
        clash = shadowed_file(old, static_files)
        if clash is not None:
            found.append(
                Problem(
                    REDIRECTS,
                    n,
                    f"旧网址 {old} 与网站发布的文件 /{clash} 冲突：在这里写转址页会覆盖它，或要把它当作文件夹。"
                    f"网站自己生成的文件（/feed.xml、/sitemap.xml、/assets/、/search/ 等）和 docs/ 中的文件不能作为旧网址。"
                    f"请删除 {REDIRECTS} 的这一行。",
                )
            )
            continue
        if old in current:
            found.append(
                Problem(
                    REDIRECTS,
                    n,
                    f"{old} 现在又是一个页面（docs/{' 或 docs/'.join(source_of(old))}），"
                    f"不能再转到 {new}。请删除 {REDIRECTS} 的这一行。",
                )
            )
        elif new not in current:
            found.append(
                Problem(
                    REDIRECTS,
                    n,
                    f"{old} 转到的 {new} 不是现有页面。请把它改为现有页面的网址（页面移动过的话，写它现在的网址）。",
                )
            )
    record = read_record(root)
    unrecorded_now = sorted(current - {a for _, a in record})
    for n, old in record:
        if not ADDRESS.match(old):
            found.append(Problem(RECORD, n, f"“{old}”不是网址：应以 / 开头和结尾，例如 /lectures/x/。"))
            continue
        if old in current or old in redirects:
            continue
        command = "kb mv docs/旧文件.md docs/新文件.md"
        guess = _renamed_to(old, unrecorded_now)
        if guess:
            command = f"kb mv docs/{source_of(old)[0]} docs/{source_of(guess)[0]}"
        found.append(
            Problem(
                RECORD,
                n,
                f"网址 {old}（英文版 /en{old}）已经发布过，但现在既没有这个页面"
                f"（docs/{' 或 docs/'.join(source_of(old))}），也没有转到新网址，读者保存和转发的链接会失效。"
                f"如果页面改了名或换了位置，请先把文件（和译文）改回原名，再用 {command} "
                f"移动（它会同时移动译文和照片，并记录转址）；如果页面确实撤下了，请在 {REDIRECTS} 中写一行"
                f"“{old}: /某个现有页面的网址/”。",
            )
        )
    return problems + [_shown(p, shown) for p in found]


def _renamed_to(old: str, new_addresses: list[str]) -> str | None:
    """The new page an old address was most likely renamed to: the only new address in the
    same folder, or the only new address at all."""
    folder = old.rstrip("/").rsplit("/", 1)[0] + "/"
    same = [a for a in new_addresses if a.rstrip("/").rsplit("/", 1)[0] + "/" == folder]
    if len(same) == 1:
        return same[0]
    return new_addresses[0] if len(new_addresses) == 1 else None


def _shown(problem: Problem, folder: str) -> Problem:
    if not folder:
        return problem
    return Problem(f"{folder}/{problem.path}", problem.line, problem.message, problem.severity)


def unrecorded(root: Path, current: set[str]) -> list[str]:
    """Current addresses missing from the record (only when there is a record at all)."""
    if not (Path(root) / RECORD).is_file():
        return []
    recorded = {a for _, a in read_record(root)}
    return sorted(current - recorded)
