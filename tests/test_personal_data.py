"""No personal data goes out by a careless paste (issue 32): resident ID numbers (with a valid check
digit), mainland mobile numbers and labelled home addresses are refused in public content (every
front-matter field and body, in both languages, and the site's identity in mkdocs.yml) and warned
about where the page is members-only or a draft, by `kb check`, the build and every importer (the
proposal sheet, a Word record, the task sheet, the plan), naming the file and the cell, line or
paragraph. The proposal sheet splits names only on the separators the guide documents, never
inside brackets.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import word_files as wf
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from test_import_proposals import BASE, YEAR, digest, office_list, proposals
from test_task_sheet import first_plan, office_sheet

from kb_testlib import DOCS, ROOT, SOURCE, run_kb
from scripts.kb.adapter import runner
from scripts.kb.collections.proposal import sheet as proposal_sheet
from scripts.kb.content import identity, personal_data


def id_number(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, personal_data._WEIGHTS, strict=True))
    return first17 + personal_data._CHECK[total % 11]


ID = id_number("11010519491001001")  # 110105194910010015
ID_X = next(id_number(f"1101011980010100{k}") for k in range(10) if id_number(f"1101011980010100{k}")[-1] == "X")
MOBILE = "13800138000"
ADDRESS = "住址：北京市门头沟区新桥大街12号院3号楼2单元501室"
PASTE = f"张三，身份证号{ID}，手机{MOBILE}，{ADDRESS}"


# --- the detector -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (f"身份证号{ID}", ["id"]),
        (ID_X, ["id"]),
        (ID_X[:-1] + "x", ["id"]),
        (ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")), ["id"]),  # full-width digits
        (f"{ID[:6]} {ID[6:14]} {ID[14:]}", ["id"]),
        (f"{ID[:6]}-{ID[6:10]}-{ID[10:14]}-{ID[14:]}", ["id"]),
        (f"手机{MOBILE}", ["mobile"]),
        ("电话 +86 138-0013-8000", ["mobile"]),
        ("138 0013 8000", ["mobile"]),
        ("联系人：王芳 15910012345。", ["mobile"]),
        (ADDRESS, ["address"]),
        ("家住清水镇燕家台村", ["address"]),
        ("家庭地址: 门头沟区大峪街道增产路5号", ["address"]),
        ("Home address: Room 501, No. 12 Xinqiao Street", ["address"]),
        # round 4: as people also type them
        ("138.0013.8000", ["mobile"]),
        ("(+86)13800138000", ["mobile"]),
        ("住 址：北京市门头沟区大峪街道增产路5号", ["address"]),
        ("１３８ ００１３ ８０００", ["mobile"]),
        (PASTE, ["id", "mobile", "address"]),
        # what is not personal data
        (ID[:-1] + ("1" if ID[-1] != "1" else "2"), []),  # wrong check digit
        ("110105194913320011", []),  # no 13th month
        ("预算15000000000元", []),  # an amount, not a telephone
        ("电话：010-69842345", []),  # an office's landline
        ("ISBN 978-7-5068-1234-5", []),
        ("京ICP备12345678号 京公网安备11010902000001号", []),
        ("家住门头沟区", []),  # a district, not a home
        ("地址：北京市门头沟区新桥大街12号", []),  # an address not said to be anyone's home
        ("2024年1月10日印发，共印 150 份", []),
        ("提案号 15，第 138 号", []),
        ("版本 1.3800.1380，价格 13.80013800 元", []),
    ],
)
def test_the_detector(text, kinds):
    assert [f.kind for f in personal_data.find(text)] == kinds


def test_messages_show_the_numbers_masked():
    text = personal_data.message(personal_data.find(PASTE), public=True)
    assert "110105********0015" in text and "138****8000" in text and ID not in text and MOBILE not in text


# --- kb check and the build -------------------------------------------------------------------


def _lecture(docs: Path, slug: str, *, visibility: str = "public", draft: bool = False, speaker: str = "王五") -> Path:
    path = docs / "lectures" / f"2024-06-20-{slug}.md"
    path.write_text(
        f"---\ntitle: 讲座{slug}\ndate: 2024-06-20\nspeaker: {speaker}\nvisibility: {visibility}\n"
        f"draft: {str(draft).lower()}\n---\n\n第一段。\n\n报名请联系 {MOBILE}。\n",
        "utf-8",
    )
    return path


def test_kb_check_refuses_a_public_page_and_warns_about_a_members_only_one(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    _lecture(docs, "public", speaker=f"张三（身份证号 {ID}）")
    _lecture(docs, "members", visibility="members")
    _lecture(docs, "draft", draft=True)
    english = docs / "lectures" / "2024-06-20-public.en.md"
    english.write_text(f"---\ntitle: A lecture\n---\n\nCall {ADDRESS}.\n", "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stdout
    lines = result.stdout.splitlines()

    def line(name: str, number: int) -> str:
        return next((x for x in lines if f"docs/lectures/{name}:{number}: " in x), "")

    assert "身份证号“110105********0015”" in line("2024-06-20-public.md", 4)  # the speaker field
    assert "手机号“138****8000”" in line("2024-06-20-public.md", 11) and "警告" not in line("2024-06-20-public.md", 11)
    assert "家庭住址" in line("2024-06-20-public.en.md", 5)
    for name in ("2024-06-20-members.md", "2024-06-20-draft.md"):
        assert line(name, 11).count("警告：") == 1 and "委员版" in line(name, 11), name
    # with only the members-only page and the draft, kb check passes (warnings) and so does the build
    for name in ("2024-06-20-public.md", "2024-06-20-public.en.md"):
        (docs / "lectures" / name).unlink()
    assert run_kb("check", docs=docs).returncode == 0
    assert runner.build(docs, tmp_path / "site").returncode == 0


def test_a_file_name_is_an_address_too(tmp_path):
    """Found in round 4: a file's name is published as its address."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "lectures" / "files").mkdir()
    (docs / "lectures" / "files" / f"报名表-王芳{MOBILE}.pdf").write_bytes(b"%PDF-1.4\n")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1 and f"报名表-王芳{MOBILE}.pdf:1: 文件名里有手机号“138****8000”" in result.stdout


def test_the_build_refuses_a_public_page(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    _lecture(docs, "public")
    result = runner.build(docs, tmp_path / "site")
    assert result.returncode != 0 and "2024-06-20-public.md:11:" in result.stderr and "138****8000" in result.stderr
    assert MOBILE not in result.stderr and "Traceback" not in result.stderr


def test_the_sites_identity_in_mkdocs_yml_too():
    with pytest.raises(identity.IdentityError, match="手机号"):
        identity.values({"phone": MOBILE})
    assert identity.values({"phone": "010-69842345"})["phone"] == "010-69842345"


# --- importers ----------------------------------------------------------------------------------


def test_a_proposal_sheet_cell_is_refused_naming_the_cell(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)

    def paste(ws):
        ws["D4"] = PASTE  # 提案人 of the second proposal

    sheet = office_list(tmp_path / f"{YEAR}年提案.xlsx", n=3, extra=paste)
    before = digest(docs)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"{sheet}:提案办理情况!D4: 这里有身份证号“110105********0015”、手机号“138****8000”、家庭住址" in result.stderr
    )
    assert ID not in result.stderr + result.stdout and "没有写入任何文件" in result.stderr
    assert digest(docs) == before


def test_a_members_only_proposal_gets_a_warning_and_is_updated(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    sheet = office_list(tmp_path / f"{YEAR}年提案.xlsx", n=3)
    assert run_kb("import", "proposals", str(sheet), docs=docs).returncode == 0
    record = proposals(docs)[BASE + 6]
    path = docs / record.src
    path.write_text(path.read_text("utf-8").replace("visibility: public", "visibility: members"), "utf-8")

    def paste(ws):
        ws["D4"] = f"张三（手机 {MOBILE}）"

    sheet = office_list(tmp_path / "again.xlsx", n=3, extra=paste)
    result = run_kb("import", "proposals", str(sheet), docs=docs)
    assert result.returncode == 0, result.stderr
    assert "提示：" in result.stdout and "!D4: 这里有手机号“138****8000”" in result.stdout and "委员版" in result.stdout
    assert proposals(docs)[BASE + 6].data.proposers == [f"张三（手机 {MOBILE}）"]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("张三、李四", ["张三", "李四"]),
        ("张三，李四", ["张三", "李四"]),
        ("张三,李四;王五\n赵六", ["张三", "李四", "王五", "赵六"]),
        ("张三（民建，区政协委员）、李四", ["张三（民建，区政协委员）", "李四"]),
        ("民盟门头沟区委（主委：王五，副主委：赵六）", ["民盟门头沟区委（主委：王五，副主委：赵六）"]),
        ("张三 李四", ["张三 李四"]),  # a space is not a documented separator
    ],
)
def test_names_are_split_only_on_the_documented_separators(cell, names):
    assert proposal_sheet.split_list(cell) == names


def test_the_guide_documents_those_separators():
    guide = (ROOT / "docs" / "guide" / "index.md").read_text("utf-8")
    assert "多位提案人、多个承办单位用顿号“、”、逗号或分号分开，也可以每个一行；括号里的逗号不算" in guide


def test_a_task_sheet_cell_is_refused_naming_the_cell(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    _, year, points = first_plan(docs)
    sheet = office_sheet(
        tmp_path / "tasks.xlsx",
        year,
        [[points[0].data.number, "", None, None, "推进中", None, None, f"2024-05-10 联系人王芳 {MOBILE}", None]],
    )
    before = digest(docs)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1 and f"{sheet}:{year}年任务分解表!H3: 这里有手机号“138****8000”" in result.stderr
    assert digest(docs) == before


def test_a_word_record_is_refused_naming_the_paragraph_unless_members_only(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    path = tmp_path / "article.docx"
    d = wf.docx.Document()
    d.add_heading("座谈会纪要", level=1)
    d.add_paragraph("第一段。")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系人"
    table.cell(0, 1).text = f"王芳 {MOBILE}"
    d.add_paragraph(f"参会委员张三（身份证号{ID}）。")
    wf.picture(d, d.add_paragraph(), wf.png_bytes(), descr=f"王芳（手机 {MOBILE}）在会上发言")  # round 4
    d.save(path)
    before = digest(docs)
    result = run_kb("import", "record", "event", str(path), "--date", "2024-06", docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:正文第 4 段: 这里有手机号“138****8000”" in result.stderr
    assert f"{path}:正文第 5 段: 这里有身份证号“110105********0015”" in result.stderr
    assert f"{path}:第 1 张图片的替代文字或图注: 这里有手机号" in result.stderr
    assert "没有写入任何文件" in result.stderr and digest(docs) == before
    result = run_kb("import", "record", "event", str(path), "--date", "2024-06", "--visibility", "members", docs=docs)
    assert result.returncode == 0, result.stderr
    assert "提示：" in result.stdout and "正文第 4 段" in result.stdout and "委员版" in result.stdout


def test_a_plan_is_refused_naming_the_line(tmp_path):
    lines = SOURCE.read_text("utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("5."))
    lines[i] += f"（联系人：王芳，{MOBILE}）"
    source = tmp_path / "plan.txt"
    source.write_text("\n".join(lines), "utf-8")
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    before = digest(docs)
    result = run_kb("import", "plan", str(source), "--update", docs=docs)
    assert result.returncode == 1
    assert f"{source}:{i + 1}:" in result.stderr and "手机号“138****8000”" in result.stderr
    assert digest(docs) == before


def test_office_list_without_personal_data_still_imports(tmp_path):
    """The proposers cell as offices write it: names and a party, no numbers."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    wb = Workbook()
    ws = wb.active
    ws.append(["提案号", "案由", "提案人"])
    ws.append([BASE + 1, "关于测试的建议", "张三（民建，区政协委员）、李四"])
    wb.save(tmp_path / "list.xlsx")
    result = run_kb("import", "proposals", str(tmp_path / "list.xlsx"), "--year", str(YEAR), docs=docs)
    assert result.returncode == 0, result.stderr
    assert proposals(docs)[BASE + 1].data.proposers == ["张三（民建，区政协委员）", "李四"]


_PIECES = st.sampled_from(
    [
        "13912345678",
        "139 1234 5678",
        "139.1234.5678",
        "１３９１２３４５６７８",
        "139－1234－5678",
        "+86 ",
        "110102 19800101 1239",
        "１１０１０２１９８００１０１１２３９",
        "Ｘ",
        "　",
        " ",
        "-",
        ".",
        "\n",
        "元",
        "住 址：",
        "家庭地址:",
        "户口所在地",
        "Home address: ",
        "Room 5",
        "增产路5号",
        "小区",
        "村",
        "2024-05-20",
        "政协",
        "0",
        "7",
    ]
)


@given(st.lists(_PIECES, max_size=14).map("".join))
@settings(max_examples=300, deadline=None)
def test_the_page_wide_pass_hides_no_finding(text):
    """A page is first searched once for what every finding needs (`_MAYBE`), then line by line:
    the first pass never hides a line's finding."""
    at_once = personal_data.lines_with(text)
    everything = re.compile("")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(personal_data, "_MAYBE", everything)
        line_by_line = personal_data.lines_with(text)
    assert at_once == line_by_line
