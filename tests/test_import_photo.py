"""`kb import photo` (issue 17 item 4): a phone photo of any size and format becomes a JPEG the site
accepts: at most 3000 px, upright, without location, under 10 MB, shown on the record's page."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from test_images import GPS, LECTURE

from kb_testlib import FIXTURES, page_article, run_kb
from scripts.kb.adapter import runner
from scripts.kb.content import media
from scripts.kb.outputs import images

XMP_GPS = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="39,56.0N"/></x:xmpmeta>'


def portrait_phone_photo(path: Path, *, min_bytes: int = 14_000_000) -> Path:
    """What a phone writes for a portrait shot: the sensor's landscape pixels (4624×3468) with EXIF
    orientation 6 ("turn 90° clockwise to show"), GPS in EXIF and XMP, and enough grain that the
    file is really 14 MB. The shown picture has a red band along its top edge."""
    w, h = 3468, 4624  # as shown
    ramp = Image.linear_gradient("L").resize((w, h))
    channels = [Image.blend(ramp, Image.effect_noise((w, h), 50), 0.5) for _ in range(3)]
    shown = Image.merge("RGB", channels)
    shown.paste((230, 20, 20), (0, 0, w, h // 10))
    stored = shown.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(images.GPS_IFD).update(GPS)
    for quality in range(94, 101):
        out = io.BytesIO()
        stored.save(out, "JPEG", quality=quality, exif=exif.tobytes(), xmp=XMP_GPS)
        if out.tell() >= min_bytes:
            break
    path.write_bytes(out.getvalue())
    assert path.stat().st_size >= min_bytes > media.MAX_BYTES
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("import-photo")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    source = portrait_phone_photo(tmp / "IMG_20240520_101500.jpg")
    record = docs / LECTURE
    before = record.read_text("utf-8")
    result = run_kb("import", "photo", str(source), "--to", str(record), "--alt", "主讲人在会场作报告", docs=docs)
    hostile = run_kb(
        "import", "photo", str(source), "--to", str(record), "--alt", "会场](javascript:alert(1)) ![x", docs=docs
    )
    check = run_kb("check", docs=docs)
    site = runner.build(docs, tmp / "site", env={"KB_IMAGE_CACHE": str(tmp / "cache")})
    return {
        "tmp": tmp,
        "docs": docs,
        "record": record,
        "before": before,
        "result": result,
        "hostile": hostile,
        "check": check,
        "site": site,
    }


def test_a_14_mb_portrait_phone_photo_is_upright_small_and_without_location(imported):
    result = imported["result"]
    assert result.returncode == 0, result.stderr
    photo = imported["docs"] / "lectures/images/2024-05-20-district-key-tasks-1.jpg"
    assert (
        photo.is_file()
        and "已去除拍摄地点" in result.stdout
        and "images/2024-05-20-district-key-tasks-1.jpg" in result.stdout
    )
    assert photo.stat().st_size < media.MAX_BYTES
    data = photo.read_bytes()
    assert b"GPS" not in data and b"xmpmeta" not in data and not images.has_location(photo)
    with Image.open(photo) as img:
        assert img.format == "JPEG" and img.size == (2250, 3000)  # portrait, long side 3000
        assert img.getexif().get(0x0112, 1) == 1 and images.GPS_IFD not in img.getexif()
        top = ImageStat.Stat(img.crop((0, 0, 2250, 250))).mean
        bottom = ImageStat.Stat(img.crop((0, 2750, 2250, 3000))).mean
    assert top[0] > 180 and top[1] < 80, f"the red band is not on top: {top}"  # upright
    assert bottom[0] < 180 or bottom[1] > 80


def test_the_record_shows_the_photo_and_passes_kb_check(imported):
    text = imported["record"].read_text("utf-8")
    assert text.startswith(imported["before"].rstrip("\n"))
    assert "![主讲人在会场作报告](images/2024-05-20-district-key-tasks-1.jpg)" in text
    assert imported["check"].returncode == 0, imported["check"].stdout
    assert "拍摄地点" not in imported["check"].stdout and "缺少替代文字" not in imported["check"].stdout
    assert imported["site"].returncode == 0, imported["site"].stderr
    article = page_article(imported["tmp"] / "site", "/lectures/2024-05-20-district-key-tasks/")
    shown = {img.attrs.get("alt"): img for img in article.iter("img")}
    assert "2024-05-20-district-key-tasks-1.kb960.jpg" in shown["主讲人在会场作报告"].attrs["src"]


def test_a_hostile_alt_text_stays_text(imported):
    assert imported["hostile"].returncode == 0, imported["hostile"].stderr
    article = page_article(imported["tmp"] / "site", "/lectures/2024-05-20-district-key-tasks/")
    alts = [img.attrs.get("alt") for img in article.iter("img")]
    assert "会场](javascript:alert(1)) ![x" in alts
    assert not any("javascript:" in (a.attrs.get("href") or "") for a in article.iter("a"))


def test_heic_is_read_and_written_as_jpeg_without_location(tmp_path):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    shown = Image.new("RGB", (600, 800), (20, 20, 200))
    shown.paste((230, 20, 20), (0, 0, 600, 80))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(images.GPS_IFD).update(GPS)
    source = tmp_path / "IMG_0001.HEIC"
    shown.transpose(Image.Transpose.ROTATE_90).save(source, format="HEIF", exif=exif.tobytes(), quality=90)
    result = run_kb("import", "photo", str(source), "--to", str(docs / LECTURE), "--alt", "会场", docs=docs)
    assert result.returncode == 0, result.stderr
    photo = docs / "lectures/images/2024-05-20-district-key-tasks-1.jpg"
    with Image.open(photo) as img:
        assert img.format == "JPEG" and img.size == (600, 800)
        assert img.getpixel((300, 20))[0] > 180 and img.getpixel((300, 700))[2] > 150  # upright
    assert not images.has_location(photo) and b"GPS" not in photo.read_bytes()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--alt", ""], ["--alt", "替代文字"]),
        ([], ["--alt"]),
    ],
    ids=["empty-alt", "no-alt"],
)
def test_alt_text_is_required_and_nothing_is_written(tmp_path, args, words):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    source = tmp_path / "p.jpg"
    Image.new("RGB", (800, 600), "gray").save(source)
    before = (docs / LECTURE).read_bytes()
    result = run_kb("import", "photo", str(source), "--to", str(docs / LECTURE), *args, docs=docs)
    assert result.returncode == 1 and all(w in result.stderr for w in words), result.stderr
    assert "Traceback" not in result.stderr
    assert (docs / LECTURE).read_bytes() == before and not (docs / "lectures/images").exists()


def test_a_file_that_is_not_a_photo_is_refused_in_chinese(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    source = tmp_path / "scan.jpg"
    source.write_bytes(b"%PDF-1.4 a renamed PDF")
    before = (docs / LECTURE).read_bytes()
    result = run_kb("import", "photo", str(source), "--to", str(docs / LECTURE), "--alt", "会场", docs=docs)
    assert result.returncode == 1 and "不是图片" in result.stderr and "Traceback" not in result.stderr
    assert (docs / LECTURE).read_bytes() == before and not (docs / "lectures/images").exists()


def _taken_at(path: Path, when: str, fmt: str, color) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = when  # DateTimeOriginal, as phones write it
    exif.get_ifd(images.GPS_IFD).update(GPS)
    Image.new("RGB", (400, 300), color).save(path, format=fmt, exif=exif.tobytes())


def test_a_folder_of_phone_photos_goes_in_in_the_order_taken(tmp_path):
    """Twelve photos of one event in one command (issue 29): HEIC and JPEG, named out of order,
    put in the order they were taken, one line each with a count, alt text and captions from a
    caption sheet; a broken file stops nothing else and is named at the end."""
    from openpyxl import Workbook

    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    folder = tmp_path / "照片"
    folder.mkdir()
    taken = {}
    for k in range(12):
        name = f"IMG_{(k * 7) % 12:04d}." + ("HEIC" if k % 3 == 0 else "JPG")
        _taken_at(
            folder / name,
            f"2024:05:20 14:{30 + k:02d}:00",
            "HEIF" if name.endswith("HEIC") else "JPEG",
            (20 * k, 90, 120),
        )
        taken[name] = k
    (folder / "IMG_9999.JPG").write_bytes(b"not a photo at all")
    wb = Workbook()
    wb.active.append(["文件名", "替代文字", "图注"])
    order = sorted(taken, key=taken.get)
    for name in order:
        wb.active.append([name, f"会场照片{taken[name] + 1}", f"图{taken[name] + 1}"])
    sheet = tmp_path / "说明.xlsx"
    wb.save(sheet)
    result = run_kb("import", "photo", str(folder), "--to", str(docs / LECTURE), "--captions", str(sheet), docs=docs)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 12 and lines[0].startswith("[1/13]") and "[13/13] 没有导入" in result.stderr
    assert "12 张已导入，1 张没有导入" in result.stderr and "IMG_9999.JPG" in result.stderr.splitlines()[-1]
    body = (docs / LECTURE).read_text("utf-8")
    alts = re.findall(r"!\[(会场照片\d+)\]", body)
    assert alts == [f"会场照片{k + 1}" for k in range(12)]  # the order taken, not the names' order
    assert '"图1"' in body
    for photo in (docs / "lectures" / "images").glob("2024-05-20-district-key-tasks-*.jpg"):
        assert not images.has_location(photo)
    assert run_kb("check", docs=docs).returncode == 0


def test_one_alt_for_several_photos(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    a, b = tmp_path / "b.jpg", tmp_path / "a.jpg"
    _taken_at(a, "2024:05:20 09:00:00", "JPEG", (10, 10, 10))
    _taken_at(b, "2024:05:20 10:00:00", "JPEG", (200, 10, 10))
    result = run_kb("import", "photo", str(b), str(a), "--to", str(docs / LECTURE), "--alt", "讲座现场", docs=docs)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("讲座现场") == 2 and "[2/2]" in result.stdout


def test_a_caption_sheet_names_photos_as_editors_type_them(tmp_path):
    """Windows hides extensions and phones write IMG_0002.JPG: the sheet's IMG_0002.jpg and IMG_0007
    (no extension) are those photos. A photo the sheet leaves out is named with the sheet, and a row
    naming no photo is said."""
    from openpyxl import Workbook

    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    folder = tmp_path / "照片"
    folder.mkdir()
    _taken_at(folder / "IMG_0002.JPG", "2024:05:20 14:10:00", "JPEG", (200, 30, 30))
    _taken_at(folder / "IMG_0005.HEIC", "2024:05:20 14:35:00", "HEIF", (30, 30, 200))
    _taken_at(folder / "IMG_0007.jpeg", "2024:05:20 15:40:00", "JPEG", (30, 200, 30))
    _taken_at(folder / "IMG_0009.jpg", "2024:05:20 16:00:00", "JPEG", (90, 90, 90))
    wb = Workbook()
    for row in (
        ["文件名", "替代文字", "图注"],
        ["IMG_0002.jpg", "主讲人张明在讲台上作报告", "张明作报告"],
        ["img_0005.heic", "委员们在会议室认真听讲", None],
        ["IMG_0007", "讲座结束后委员与主讲人合影", "会后合影"],
        ["IMG_0010.jpg", "写错了文件名的一行", None],
    ):
        wb.active.append(row)
    sheet = tmp_path / "照片说明.xlsx"
    wb.save(sheet)
    result = run_kb("import", "photo", str(folder), "--to", str(docs / LECTURE), "--captions", str(sheet), docs=docs)
    assert result.returncode == 1, result.stdout + result.stderr
    body = (docs / LECTURE).read_text("utf-8")
    assert re.findall(r"!\[([^\]]+)\]", body)[-3:] == [
        "主讲人张明在讲台上作报告",
        "委员们在会议室认真听讲",
        "讲座结束后委员与主讲人合影",
    ]
    assert '"会后合影"' in body
    assert "[4/4] 没有导入" in result.stderr and "里没有这张照片（文件名 IMG_0009.jpg）" in result.stderr
    assert "“IMG_0010.jpg”没有对应的照片" in result.stdout
    assert "3 张已导入，1 张没有导入" in result.stderr
