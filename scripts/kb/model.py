"""The knowledge base as plain Python: load every page, validate it, group and sort records.

Nothing here imports MkDocs; the hooks and the `kb` command both call `load_knowledge_base`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel

from . import history, schemas
from .frontmatter_parse import ParsedFile, read
from .problems import Problem, errors
from .validate import validate

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")
MARKER = re.compile(r"<!--\s*kb:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->")
# The listings a page may ask for; scripts/kb/render.py has one handler for each.
MARKERS = ("plan-overview", "plan-full-text", "plan-tasks", "wenshi-index", "lecture-index", "event-index", "field-reference")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def text_hash(body: str, meta_title: str, extra: str = "") -> str:
    """Fingerprint of what a translation translates: the Chinese title, body and translatable fields."""
    normal = "\n".join(line.rstrip() for line in (meta_title + "\n" + extra + "\n" + body).strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


@dataclass
class Translation:
    src: str  # docs-relative, e.g. "plan/2024/01.en.md"
    lang: str
    data: BaseModel
    body: str
    parsed: ParsedFile
    updated: Optional[dt.date] = None  # last commit touching the file


@dataclass
class Entry:
    src: str  # docs-relative Chinese source, e.g. "plan/2024/01.md"
    collection: schemas.Collection
    data: BaseModel
    body: str
    parsed: ParsedFile
    translations: dict[str, Translation] = field(default_factory=dict)
    updated: Optional[dt.date] = None  # last commit touching the file (None outside git)

    @property
    def id(self) -> str:
        if self.collection is schemas.WORK_POINT:
            return f"{self.data.year}-{self.data.number:02d}"
        return self.src[: -len(".md")]

    @property
    def url(self) -> str:
        """Directory URL relative to the language root, e.g. "plan/2024/01/"."""
        stem = self.src[: -len(".md")]
        if stem == "index":
            return ""
        return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"

    @property
    def draft(self) -> bool:
        return bool(getattr(self.data, "draft", False))

    @property
    def visibility(self) -> str:
        return getattr(self.data, "visibility", "public")

    def translated(self, lang: str) -> Optional[Translation]:
        return None if lang == DEFAULT_LANG else self.translations.get(lang)

    def title(self, lang: str) -> str:
        t = self.translated(lang)
        return t.data.title if t else self.data.title

    def body_for(self, lang: str) -> str:
        t = self.translated(lang)
        return t.body if t else self.body

    def updated_for(self, lang: str) -> Optional[dt.date]:
        t = self.translated(lang)
        dates = [d for d in (self.updated, t.updated if t else None) if d]
        return max(dates) if dates else None

    def source_hash(self) -> str:
        # Fields a translation carries besides title/body (the plan's section headings, ...).
        translatable = set(self.collection.translation_model.model_fields) - set(schemas.Translation.model_fields)
        extra = json.dumps(self.data.model_dump(mode="json", include=translatable), ensure_ascii=False, sort_keys=True) if translatable else ""
        return text_hash(self.body, self.data.title, extra)


@dataclass
class KnowledgeBase:
    docs_dir: Path
    entries: dict[str, Entry] = field(default_factory=dict)  # by Chinese src path
    problems: list[Problem] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)  # src paths (all languages) left out of this edition

    # Lookups are memoised: the knowledge base does not change once loaded (load_knowledge_base
    # clears the memo after it removes hidden entries), and pages ask for the same indexes often.
    _memo: dict = field(default_factory=dict, repr=False)

    def _cached(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # --- queries -------------------------------------------------------------------------
    def of(self, collection: schemas.Collection) -> list[Entry]:
        return self._cached(("of", collection.name), lambda: [e for e in self.entries.values() if e.collection is collection])

    def plan(self, year: int) -> Optional[Entry]:
        return self._cached("plans-by-year", lambda: {e.data.year: e for e in self.of(schemas.PLAN)}).get(year)

    def plans(self) -> list[Entry]:
        return sorted(self.of(schemas.PLAN), key=lambda e: e.data.year, reverse=True)

    def points(self, year: Optional[int] = None) -> list[Entry]:
        def compute():
            found = [e for e in self.of(schemas.WORK_POINT) if year is None or e.data.year == year]
            return sorted(found, key=lambda e: (e.data.year, e.data.number))

        return self._cached(("points", year), compute)

    def point(self, point_id: str) -> Optional[Entry]:
        return self._cached("points-by-id", lambda: {e.id: e for e in self.of(schemas.WORK_POINT)}).get(point_id)

    def wenshi(self) -> list[Entry]:
        return self._cached("wenshi", lambda: sorted(self.of(schemas.WENSHI), key=lambda e: e.src))

    def lectures(self) -> list[Entry]:
        return self._cached("lectures", lambda: sorted(self.of(schemas.LECTURE), key=lambda e: (e.data.date, e.src), reverse=True))

    def events(self) -> list[Entry]:
        return self._cached("events", lambda: sorted(self.of(schemas.EVENT), key=lambda e: (e.data.start, e.data.precision != "day", e.src)))

    def records(self) -> list[Entry]:
        return self._cached("records", lambda: [e for e in self.entries.values() if e.collection in schemas.RECORD_COLLECTIONS])

    def by_ref(self, ref: str) -> Optional[Entry]:
        return self.entries.get(f"{ref}.md")

    def points_of(self, entry: Entry) -> list[Entry]:
        """The work points a record names in `points`."""
        refs = getattr(entry.data, "points", [])
        return [p for p in (self.point(r) for r in refs) if p is not None]

    def related_to(self, point: Entry) -> list[Entry]:
        """Records that name this point, plus those the point names in `related` (back-links both ways)."""

        def naming():
            index = defaultdict(list)
            for e in self.entries.values():
                for ref in getattr(e.data, "points", []):
                    index[ref].append(e)
            return index

        found = list(self._cached("named-by", naming).get(point.id, []))
        found += [r for r in (self.by_ref(ref) for ref in getattr(point.data, "related", [])) if r is not None]
        unique = {e.src: e for e in found}
        return sorted(unique.values(), key=lambda e: (e.collection.name, e.src))

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


# --- grouping -------------------------------------------------------------------------------


def group_points_by_section(plan: Entry, points: list[Entry]) -> list[tuple[schemas.PlanSection, list[Entry]]]:
    by_section = defaultdict(list)
    for p in points:
        by_section[p.data.section].append(p)
    return [(s, sorted(by_section.get(s.number, []), key=lambda e: e.data.number)) for s in plan.data.sections]


def group_wenshi(entries: list[Entry]) -> list[tuple[str, list[tuple[str, list[Entry]]]]]:
    """[(kind, [(status, entries)])] in vocabulary order; empty groups left out."""
    from .vocab import STATUS, WENSHI_KIND

    out = []
    for kind in (*WENSHI_KIND.codes, None):
        of_kind = [e for e in entries if e.data.kind == kind]
        by_status = [(s, sorted((e for e in of_kind if e.data.status == s), key=lambda e: e.data.title)) for s in STATUS.codes]
        by_status = [(s, es) for s, es in by_status if es]
        if by_status:
            out.append((kind, by_status))
    return out


def group_lectures(entries: list[Entry]) -> list[tuple[int, list[tuple[str, list[Entry]]]]]:
    """[(year, [(topic_kind, lectures newest first)])], newest year first."""
    from .vocab import TOPIC_KIND

    years = sorted({e.data.date.year for e in entries}, reverse=True)
    out = []
    for year in years:
        of_year = [e for e in entries if e.data.date.year == year]
        groups = [(k, sorted((e for e in of_year if e.data.topic_kind == k), key=lambda e: e.data.date, reverse=True)) for k in (*TOPIC_KIND.codes, None)]
        out.append((year, [(k, es) for k, es in groups if es]))
    return out


def group_events(entries: list[Entry]) -> list[tuple[str, object, list[Entry]]]:
    """[(precision, key, events)]: one group per month ("month", date of the 1st) for events known
    to the day or month, then one per year ("year", year) for those known only to the year."""
    months: dict[dt.date, list[Entry]] = defaultdict(list)
    years: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.data.precision == "year":
            years[e.data.start.year].append(e)
        else:
            months[e.data.start.replace(day=1)].append(e)
    out: list[tuple[str, object, list[Entry]]] = []
    for month in sorted(months):
        out.append(("month", month, sorted(months[month], key=lambda e: (e.data.start, e.data.precision != "day", e.data.title))))
    for year in sorted(years):
        out.append(("year", year, sorted(years[year], key=lambda e: e.data.title)))
    return out


@dataclass
class Rollup:
    """Where a set of work points stands: counts by status and the mean of known progress."""

    total: int
    by_status: dict[str, int]
    known: int  # points whose progress is known (a percentage, or completed / closed out)
    percent: Optional[float]  # mean progress over the known ones; None when nothing is reported

    @property
    def unreported(self) -> int:
        return self.by_status.get("not-reported", 0)


def point_progress(point: Entry) -> Optional[int]:
    if point.data.progress is not None:
        return point.data.progress
    if point.data.status in ("completed", "closed-out"):
        return 100
    return None


def rollup(points: list[Entry]) -> Rollup:
    from .vocab import STATUS

    by_status = {code: sum(1 for p in points if p.data.status == code) for code in STATUS.codes}
    known = [v for v in (point_progress(p) for p in points) if v is not None]
    return Rollup(len(points), by_status, len(known), sum(known) / len(known) if known else None)


# --- loading --------------------------------------------------------------------------------


def split_lang(src: str) -> tuple[str, str]:
    """("plan/2024/01.md", "en") for "plan/2024/01.en.md"."""
    for lang in LANGS:
        if lang != DEFAULT_LANG and src.endswith(f".{lang}.md"):
            return src[: -len(f".{lang}.md")] + ".md", lang
    return src, DEFAULT_LANG


def iter_markdown(docs_dir: Path) -> Iterable[str]:
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(root, name).relative_to(docs_dir).as_posix()


def load_knowledge_base(
    docs_dir: Path | str,
    *,
    include_drafts: bool = False,
    edition: str = "public",
    display_root: Path | str | None = None,
    with_history: bool = True,
) -> KnowledgeBase:
    """Read and check every page under docs_dir.

    include_drafts: drafts are kept (for `mkdocs serve`); otherwise they are hidden.
    edition: "public" hides `visibility: members` pages; "members" keeps them.
    display_root: paths in messages are relative to this folder (default: docs_dir's parent).
    with_history: read last-updated dates from git (one `git log` call).
    """
    docs_dir = Path(docs_dir)
    root = Path(display_root) if display_root else docs_dir.parent
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    kb = KnowledgeBase(docs_dir)
    pending_translations: list[tuple[str, str, str, ParsedFile]] = []

    for src in iter_markdown(docs_dir):
        shown = _shown(prefix, src)
        parsed = _read_cached(docs_dir / src, shown)
        kb.problems += parsed.problems
        if errors(parsed.problems):
            continue
        zh_src, lang = split_lang(src)
        if lang != DEFAULT_LANG:
            pending_translations.append((src, zh_src, lang, parsed))
            continue
        collection = schemas.collection_for(src)
        data, problems = validate(parsed, collection.model, shown)
        kb.problems += problems
        if collection in schemas.RECORD_COLLECTIONS or collection is schemas.PLAN:
            stem = src.rsplit("/", 1)[-1][: -len(".md")]
            if collection is not schemas.PLAN and not _SLUG.match(stem):
                kb.problems.append(
                    Problem(shown, 1, f"文件名“{stem}.md”会成为网址，只能用小写英文字母、数字和“-”，例如 2024-03-15-changcheng-wenhua.md。请重命名。")
                )
        if data is not None:
            kb.entries[src] = Entry(src, collection, data, parsed.body, parsed)

    for src, zh_src, lang, parsed in pending_translations:
        shown = _shown(prefix, src)
        original = kb.entries.get(zh_src)
        model = schemas.collection_for(zh_src).translation_model
        data, problems = validate(parsed, model, shown)
        kb.problems += problems
        if not (docs_dir / zh_src).exists():
            kb.problems.append(Problem(shown, 1, f"找不到对应的中文原文 {prefix}/{zh_src}。译文必须与中文页面同名、只多一个 .{lang}（例如 01.md 与 01.en.md）。"))
        elif data is not None and original is not None:
            original.translations[lang] = Translation(src, lang, data, parsed.body, parsed)

    if with_history:
        dates = history.last_updated(docs_dir)
        for e in kb.entries.values():
            e.updated = dates.get(e.src)
            for t in e.translations.values():
                t.updated = dates.get(t.src)
    _check_references(kb, prefix)
    _apply_edition(kb, include_drafts=include_drafts, edition=edition)
    return kb


# Parsing is a pure function of a file's bytes, so a parsed file is reused while the file is
# unchanged: mkdocs-static-i18n loads the knowledge base once per language, and `mkdocs serve`
# once more per rebuild. Only parsing is cached; the knowledge base itself is built per build.
_PARSED: dict[tuple[str, str], tuple[tuple[int, int], ParsedFile]] = {}


def _read_cached(path: Path, shown: str) -> ParsedFile:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (str(path), shown)
    hit = _PARSED.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    parsed = read(path.read_bytes(), shown)
    _PARSED[key] = (stamp, parsed)
    return parsed


def _shown(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def _check_references(kb: KnowledgeBase, prefix: str) -> None:
    seen_points: dict[str, Entry] = {}
    for e in kb.points():
        shown = _shown(prefix, e.src)
        stem = e.src.rsplit("/", 1)[-1][: -len(".md")]
        year_dir = e.src.split("/")[1]
        if stem != f"{e.data.number:02d}":
            kb.problems.append(Problem(shown, e.parsed.line_of(("number",)), f"number: {e.data.number} 与文件名 {stem}.md 不一致。第 {e.data.number} 项的文件应命名为 {e.data.number:02d}.md。"))
        if year_dir != str(e.data.year):
            kb.problems.append(Problem(shown, e.parsed.line_of(("year",)), f"year: {e.data.year} 与所在文件夹 plan/{year_dir}/ 不一致。"))
        if e.id in seen_points:
            kb.problems.append(Problem(shown, e.parsed.line_of(("number",)), f"编号重复：{e.id} 已由 {_shown(prefix, seen_points[e.id].src)} 使用。"))
        seen_points[e.id] = e
        plan = kb.plan(e.data.year)
        if plan is None:
            kb.problems.append(Problem(shown, e.parsed.line_of(("year",)), f"找不到 {e.data.year} 年的工作要点总览页 {prefix}/plan/{e.data.year}/index.md。"))
        elif e.data.section not in {s.number for s in plan.data.sections}:
            kb.problems.append(
                Problem(shown, e.parsed.line_of(("section",)), f"section: {e.data.section} 不存在：{e.data.year} 年工作要点只有 {len(plan.data.sections)} 个部分。")
            )

    for e in kb.entries.values():
        shown = _shown(prefix, e.src)
        for src, parsed in [(e.src, e.parsed)] + [(t.src, t.parsed) for t in e.translations.values()]:
            for m in MARKER.finditer(parsed.body):
                if m.group("name") not in MARKERS:
                    line = parsed.body_line + parsed.body.count("\n", 0, m.start())
                    kb.problems.append(
                        Problem(_shown(prefix, src), line, f"未知的列表标记“kb:{m.group('name')}”。可用的标记：{'、'.join(MARKERS)}。")
                    )
        if e.translations:
            _check_translations(kb, e, prefix)
        for i, ref in enumerate(getattr(e.data, "points", [])):
            if kb.point(ref) is None:
                kb.problems.append(Problem(shown, e.parsed.line_of(("points", i)), f"工作要点“{ref}”不存在。请写成 年度-两位序号，例如 2024-02 表示 2024 年第 2 项。"))
        for i, ref in enumerate(getattr(e.data, "related", [])):
            if kb.by_ref(ref) is None:
                kb.problems.append(Problem(shown, e.parsed.line_of(("related", i)), f"相关记录“{ref}”不存在：找不到 {prefix}/{ref}.md。请写不带 .md 的路径，例如 wenshi/sanqin-accounts。"))


def _check_translations(kb: KnowledgeBase, e: Entry, prefix: str) -> None:
    """A translation records the fingerprint of the Chinese text it was made from (`kb translated`);
    when the Chinese page changes afterwards, the translation is reported as stale."""
    current = e.source_hash()
    for t in e.translations.values():
        recorded = getattr(t.data, "source_hash", None)
        if recorded == current:
            continue
        if recorded is None:
            why = "没有记录它依据的中文原文版本"
        else:
            why = "对应的中文原文在翻译之后改动过"
        kb.problems.append(
            Problem(
                _shown(prefix, t.src),
                1,
                f"译文可能已过期：{why}（中文原文 {_shown(prefix, e.src)}）。请对照原文更新译文，"
                f"然后运行 python -m scripts.kb translated {_shown(prefix, t.src)}。",
                severity="warning",
            )
        )


def _apply_edition(kb: KnowledgeBase, *, include_drafts: bool, edition: str) -> None:
    """Remove drafts and members-only entries from this edition, and remember their files."""
    for src, e in list(kb.entries.items()):
        if (e.draft and not include_drafts) or (e.visibility == "members" and edition != "members"):
            kb.hidden.add(src)
            kb.hidden.update(t.src for t in e.translations.values())
            del kb.entries[src]
    kb._memo.clear()
