"""`kb import proposals`: the office's proposal list (提案办理情况表) into docs/proposals/ (issue 17 item 3).

The tests work on a copy of the real docs/ and use proposal numbers far above any the office
has, so records an editor adds never collide with them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kb_testlib import DOCS, build_tree, page_text, run_kb
from scripts.kb.adapter import inventory
from scripts.kb.collections import REGISTRY

YEAR = 2024
BASE = 9000  # proposal numbers 9003, 9006, ...: no real list reaches them
SHEET = "提案办理情况"
CATEGORIES = ["经济建设", "城市建设", "社会事业", "文化旅游"]
STATUSES = ["已办复", "办理中", "立案", "已办复"]


def digest(docs: Path) -> dict[str, str]:
    return {
        p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in docs.rglob("*")
        if p.is_file()
    }


def title(i: int) -> str:
    return f"关于门头沟区测试事项第{i}项的建议"


def office_list(path: Path, n: int = 20, status=None, extra=None) -> Path:
    """The list as the office keeps it: a merged title row, their own headings (案由, not 题目), a
    序号 column the site does not use, 类别 merged over five rows, Excel dates, Chinese labels."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"政协北京市门头沟区委员会{YEAR}年提案办理情况一览表"])
    ws.merge_cells("A1:J1")
    ws.append(["序号", "提案号", "案由", "提案人", "提案者类别", "类别", "办理状态", "承办单位", "答复日期", "满意度"])
    for i in range(1, n + 1):
        st = (status or {}).get(i, STATUSES[i % 4])
        ws.append(
            [
                i,
                BASE + i * 3,
                title(i),
                "张三、李四" if i % 2 else "民盟门头沟区委",
                "委员联名" if i % 2 else "党派",
                CATEGORIES[(i - 1) // 5 % 4],
                st,
                "区发展改革委、区财政局" if i % 3 else "区文化和旅游局",
                dt.datetime(YEAR, 6, i) if st == "已办复" else None,
                "满意" if st == "已办复" else None,
            ]
        )
    for k in range((n + 4) // 5):
        ws.merge_cells(f"F{3 + 5 * k}:F{min(7 + 5 * k, n + 2)}")
    if extra:
        extra(ws)
    wb.save(path)
    return path


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def proposals(docs: Path) -> dict[int, object]:
    kb = inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)
    return {
        e.data.number: e
        for e in kb.entries.values()
        if e.collection is REGISTRY["proposal"] and e.data.year == YEAR and (e.data.number or 0) > BASE
    }


def test_twenty_proposals_are_created_listed_in_both_languages_and_a_second_import_changes_nothing(docs, tmp_path):
    sheet = office_list(tmp_path / f"{YEAR}年提案.xlsx")
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 0, result.stderr
    assert "新建 20 件" in result.stdout
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout

    found = proposals(docs)
    assert sorted(found) == [BASE + i * 3 for i in range(1, 21)]
    p2 = found[BASE + 6].data  # row 2: a party's proposal, still being filed
    assert (p2.title, p2.proposers, p2.proposer_kind, p2.category) == (
        title(2),
        ["民盟门头沟区委"],
        "party",
        "经济建设",
    )
    assert (p2.status, p2.handling_units, p2.reply_date) == ("filed", ["区发展改革委", "区财政局"], None)
    p4 = found[BASE + 12].data  # the merged 类别 cell F3:F7 reaches row 4; 已办复 with its date
    assert (p4.category, p4.status, p4.reply_date, p4.satisfaction) == (
        "经济建设",
        "replied",
        dt.date(YEAR, 6, 4),
        "satisfied",
    )
    assert found[BASE + 18].data.category == "城市建设"  # row 6: the second merged block
    assert all(e.src.startswith(f"proposals/{YEAR}-{e.data.number:03d}-") for e in found.values())

    site = build_tree(docs, tmp_path)
    for url in ("/proposals/", "/en/proposals/"):
        listing = page_text(site, url)
        for i in range(1, 21):
            assert title(i) in listing, (url, i)
    record = page_text(site, f"/{found[BASE + 12].url}")
    for text in (
        title(4),
        "民盟门头沟区委",
        "区发展改革委、区财政局",
        "已办复",
        f"{YEAR}年6月4日",
        "满意",
        f"{BASE + 12}",
    ):
        assert text in record, text

    before = digest(docs)
    again = run_kb("import", "proposals", str(sheet), docs=docs)
    assert again.returncode == 0, again.stderr
    assert "没有需要更新的内容" in again.stdout
    assert digest(docs) == before


def test_an_updated_list_changes_only_what_changed(docs, tmp_path):
    assert run_kb("import", "proposals", str(office_list(tmp_path / "first.xlsx")), docs=docs).returncode == 0
    before = {n: (docs / e.src).read_text("utf-8") for n, e in proposals(docs).items()}
    whole = digest(docs)
    # Proposal 2 is replied to; the rest of the list is as before.
    updated = office_list(tmp_path / "second.xlsx", status={2: "已办复"})
    result = run_kb("import", "proposals", str(updated), docs=docs)
    assert result.returncode == 0, result.stderr
    assert "更新 1 件" in result.stdout and "办理状态：立案 → 已办复" in result.stdout
    after = {n: (docs / e.src).read_text("utf-8") for n, e in proposals(docs).items()}
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {BASE + 6}
    old = before[BASE + 6].replace('"', "").splitlines()
    new = after[BASE + 6].replace('"', "").splitlines()
    assert [line for line in old if line not in new] == ["status: filed", "reply_date:", "satisfaction:"]
    assert [line for line in new if line not in old] == [
        "status: replied",
        f"reply_date: {YEAR}-06-02",
        "satisfaction: satisfied",
    ]
    assert {k for k, v in digest(docs).items() if whole.get(k) != v} == {proposals(docs)[BASE + 6].src}
    assert run_kb("check", docs=docs).returncode == 0


def test_a_bad_status_is_refused_with_its_cell_and_nothing_is_written(docs, tmp_path):
    sheet = office_list(tmp_path / "bad.xlsx", status={3: "待研究"})
    before = digest(docs)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # Row 3 of the list is sheet row 5; 办理状态 is column G.
    assert (
        f"{sheet}:{SHEET}!G5: 办理状态“待研究”不认识。请填写其中之一：立案、办理中、已办复、不予立案、并案处理、撤案。"
        in result.stderr
    )
    assert "没有写入任何文件" in result.stderr
    assert digest(docs) == before  # not even the 19 good rows
    # The editors' guide quotes the message as the command prints it.
    message = result.stderr.split(f"{sheet}:", 1)[1].splitlines()[0]
    guide = (DOCS / "guide/index.md").read_text("utf-8")
    assert f"2024年提案办理情况.xlsx:{message}" in guide


def test_hostile_cells_are_refused_with_their_address(docs, tmp_path):
    def hostile(ws):
        ws["C3"] = "=A3&B3"  # a formula never calculated
        ws["H4"] = "#N/A"  # an error value
        ws["D5"] = "张" * 2001  # longer than the field allows
        ws["B6"] = "第X号"  # not a number
        ws["B7"] = BASE + 3  # the number of row 3 again
        ws["I8"] = "2024-02-30"  # no such day

    sheet = office_list(tmp_path / "hostile.xlsx", n=6, extra=hostile)
    before = digest(docs)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    where = f"{sheet}:{SHEET}!"
    for cell, words in (
        ("C3", "单元格是公式，但文件里没有保存计算结果"),
        ("H4", "单元格是错误值 #N/A"),
        ("D5", "单元格有 2001 个字符，“提案人”最多 2000 个"),
        ("B6", "提案号“第X号”不是编号"),
        ("B7", f"{YEAR} 年第 {BASE + 3} 号提案重复出现（B3 已有一行）"),
        ("I8", "日期“2024-02-30”不存在"),
    ):
        assert f"{where}{cell}: {words}" in result.stderr, (cell, result.stderr)
    assert digest(docs) == before


def test_text_a_spreadsheet_would_run_is_imported_as_text(docs, tmp_path):
    def hostile(ws):
        ws["C3"].value = '=HYPERLINK("http://example.invalid","点击查看")'
        ws["C3"].data_type = "s"  # typed as text, as Excel stores '=...
        ws["H3"] = "@SUM(A1)、-区财政局"

    sheet = office_list(tmp_path / "text.xlsx", n=1, extra=hostile)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 0, result.stderr
    p = proposals(docs)[BASE + 3].data
    assert p.title == '=HYPERLINK("http://example.invalid","点击查看")' and p.handling_units == [
        "@SUM(A1)",
        "-区财政局",
    ]
    assert run_kb("check", docs=docs).returncode == 0


def test_year_comes_from_the_title_row_or_must_be_given(docs, tmp_path):
    def no_year(ws):
        ws["A1"] = "提案办理情况一览表"

    sheet = office_list(tmp_path / "list.xlsx", n=1, extra=no_year)
    result = run_kb("import", "proposals", str(sheet), "--dry-run", docs=docs)
    assert result.returncode == 1 and "看不出这件提案是哪一年的。请加上 --year" in result.stderr
    result = run_kb("import", "proposals", str(sheet), "--year", str(YEAR), "--dry-run", docs=docs)
    assert result.returncode == 0 and "（试运行）新建 1 件" in result.stdout
    assert proposals(docs) == {}


def test_a_list_in_a_hidden_sheet_is_refused(docs, tmp_path):
    from openpyxl import load_workbook

    sheet = office_list(tmp_path / "hidden.xlsx", n=2)
    wb = load_workbook(sheet)
    wb.create_sheet("说明", 0)
    wb[SHEET].sheet_state = "hidden"
    wb.active = 0
    wb.save(sheet)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 1 and f"工作表“{SHEET}”是隐藏的" in result.stderr
    assert proposals(docs) == {}


def test_a_csv_list_in_gbk_with_formula_like_text_imports_it_as_text(docs, tmp_path):
    """A .csv saved by WPS on Chinese Windows (GBK), cells written the OWASP way ('=…) and bare."""
    rows = [
        [f"{YEAR}年提案办理情况"],
        ["提案号", "题目", "承办单位", "办理状态"],
        [BASE + 1, '\'=HYPERLINK("http://example.invalid","点击查看")', "@SUM(A1)", "已办复"],
        [BASE + 2, "+1+1的建议", "-区财政局", "办理中"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet = tmp_path / "list.csv"
    sheet.write_bytes(buffer.getvalue().encode("gb18030"))
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 0, result.stderr
    found = proposals(docs)
    assert found[BASE + 1].data.title == '=HYPERLINK("http://example.invalid","点击查看")'
    assert found[BASE + 1].data.handling_units == ["@SUM(A1)"] and found[BASE + 1].data.status == "replied"
    assert (found[BASE + 2].data.title, found[BASE + 2].data.handling_units) == ("+1+1的建议", ["-区财政局"])
    assert run_kb("check", docs=docs).returncode == 0


@pytest.mark.parametrize(
    "pattern, replacement, cell, words",
    [
        # a shared-string index that points nowhere: the file is damaged
        (
            rb'<c r="C3" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="C3" t="s"><v>99999</v></c>',
            None,
            "无法作为 .xlsx 表格读取",
        ),
        # a date cell whose serial is beyond any calendar: Excel shows #VALUE!
        (rb'(<c r="I6"[^>]*>)<v>[^<]*</v>', rb"\1<v>99999999</v>", "I6", "单元格是错误值 #VALUE!"),
        # a control character (DEL) in a title, as a crafted file can carry it
        (rb'(<c r="C3" t="inlineStr"><is><t>)([^<]*)</t>', b"\\1\\2\x7f</t>", "C3", "控制字符（U+007F）"),
        # markup in a title
        (
            rb'(<c r="C4" t="inlineStr"><is><t>)([^<]*)</t>',
            b"\\1&lt;script&gt;alert(1)&lt;/script&gt;</t>",
            "C4",
            "HTML 标记",
        ),
    ],
)
def test_crafted_cells_are_refused(docs, tmp_path, pattern, replacement, cell, words):
    sheet = office_list(tmp_path / "crafted.xlsx", n=4)
    _rewrite(sheet, pattern, replacement)
    before = digest(docs)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"{sheet}:{SHEET}!{cell}: " if cell else f"{sheet}: ") in result.stderr, result.stderr
    assert words in result.stderr, result.stderr
    assert digest(docs) == before


def _rewrite(path: Path, pattern: bytes, replacement: bytes) -> None:
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(pattern, replacement, data, count=1)
                assert count == 1, data[-600:]
            dst.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def test_a_two_row_header_with_merged_headings(docs, tmp_path):
    """提案号 and 案由 merged down over two header rows; 办理情况 over 办理状态 and 承办单位."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"{YEAR}年提案办理情况"])
    ws.append(["提案号", "案由", "办理情况", None])
    ws.append([None, None, "办理状态", "承办单位"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    ws.append([BASE + 1, title(1), "办理中", "区财政局"])
    ws.append([BASE + 2, title(2), "已办复", "区文化和旅游局"])
    wb.save(tmp_path / "two.xlsx")
    result = run_kb("import", "proposals", str(tmp_path / "two.xlsx"), docs=docs)
    assert result.returncode == 0, result.stderr
    found = proposals(docs)
    assert (found[BASE + 1].data.status, found[BASE + 1].data.handling_units) == ("handling", ["区财政局"])
    assert (found[BASE + 2].data.status, found[BASE + 2].data.handling_units) == ("replied", ["区文化和旅游局"])
