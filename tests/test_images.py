"""Photos and attachments: what kb check refuses, the responsive variants the build writes, location
data, captions, covers in listings, attachments in the record header, the members' edition."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kb_testlib import FIXTURES, build_tree, page_article, page_html, parse_html, run_kb
from scripts.kb.adapter import runner
from scripts.kb.content import media
from scripts.kb.outputs import images

LECTURE = "lectures/2024-05-20-district-key-tasks.md"
GPS = {1: "N", 2: (39.0, 56.0, 0.0), 3: "E", 4: (116.0, 6.0, 0.0)}


def camera_photo(path: Path, size=(6000, 4000)) -> Path:
    """A photo-like JPEG (gradients, shapes, grain) with GPS in its EXIF, as a phone writes it."""
    w, h = size
    ramp = Image.linear_gradient("L")
    img = Image.merge(
        "RGB",
        (ramp.resize((w, h)), ramp.rotate(90).resize((w, h)), ramp.transpose(Image.FLIP_TOP_BOTTOM).resize((w, h))),
    )
    draw = ImageDraw.Draw(img)
    for i in range(40):
        x, y = (i * 149) % (w - 400), (i * 97) % (h - 300)
        draw.ellipse((x, y, x + 400, y + 300), fill=((i * 37) % 255, (i * 91) % 255, (i * 53) % 255))
    grain = Image.effect_noise((w // 4, h // 4), 20).resize((w, h)).convert("RGB")
    img = Image.blend(img, grain, 0.08)
    exif = Image.Exif()
    exif.get_ifd(images.GPS_IFD).update(GPS)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, quality=90, exif=exif.tobytes())
    assert images.has_location(path), "the test photo must carry GPS to begin with"
    return path


def add_to_lecture(docs: Path, text: str) -> Path:
    page = docs / LECTURE
    page.write_text(page.read_text("utf-8") + "\n" + text + "\n", "utf-8")
    return page


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", target)
    return target


# --- kb check --------------------------------------------------------------------------------------


def line_of(page: Path, needle: str) -> int:
    return next(i for i, line in enumerate(page.read_text("utf-8").splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    "snippet, words",
    [
        ("![](images/hall.png)", ["缺少替代文字", "![讲座现场"]),
        ("![  ](images/hall.png)", ["缺少替代文字"]),
        ('<img src="../images/hall.png">', ["缺少替代文字", 'alt="']),
        ("![会场](images/missing.jpg)", ["不存在", "images/missing.jpg"]),
        ("[讲稿](files/slides.pdf)", ["附件", "不存在", "files/slides.pdf"]),
    ],
    ids=["markdown-empty-alt", "markdown-blank-alt", "html-no-alt", "missing-image", "missing-attachment"],
)
def test_check_refuses_images_without_alt_and_missing_files(docs, snippet, words):
    (docs / "lectures/images").mkdir()
    Image.new("RGB", (40, 30), "white").save(docs / "lectures/images/hall.png")
    page = add_to_lecture(docs, f"正文。\n\n{snippet}")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1, result.stdout
    line = line_of(page, snippet)
    reported = [ln for ln in result.stdout.splitlines() if f"{LECTURE}:{line}:" in ln]
    assert reported, result.stdout
    for word in words:
        assert word in reported[0], reported[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_check_ignores_examples_in_code(docs):
    add_to_lecture(docs, '写法示例：`![](a.jpg)`\n\n```markdown\n![](b.jpg)\n<img src="c.jpg">\n```')
    result = run_kb("check", docs=docs)
    assert result.returncode == 0, result.stdout


def test_check_refuses_files_over_the_size_limit(docs):
    big = docs / "lectures" / "files" / "scan.pdf"
    big.parent.mkdir()
    with big.open("wb") as f:
        f.truncate(media.MAX_BYTES + 1)
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    assert "lectures/files/scan.pdf:1:" in result.stdout and "10 MB" in result.stdout and "压缩" in result.stdout


def test_check_refuses_a_missing_cover(docs):
    page = docs / LECTURE
    page.write_text(page.read_text("utf-8").replace("venue:", "cover: images/nothing.jpg\nvenue:", 1), "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    assert f"{LECTURE}:{line_of(page, 'cover:')}:" in result.stdout and "封面" in result.stdout


# --- the build -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    """The fixture tree with a 6000×4000 phone photo (GPS in EXIF) in a lecture, with alt text and a
    title, a PDF and a cover; built twice with one cache."""
    tmp = tmp_path_factory.mktemp("photos")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    camera_photo(docs / "lectures/images/hall.jpg")
    Image.new("RGB", (600, 800), (120, 40, 40)).save(docs / "lectures/images/cover.png")
    (docs / "lectures/files").mkdir()
    (docs / "lectures/files/slides.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 20000)
    page = docs / LECTURE
    page.write_text(
        page.read_text("utf-8").replace("venue:", "cover: images/cover.png\nvenue:", 1)
        + '\n![主讲人在会场作报告](images/hall.jpg "2024年5月20日，区政协会议室")\n\n讲稿：[讲座讲稿](files/slides.pdf)\n',
        "utf-8",
    )
    cache = tmp / "cache"
    env = {"KB_IMAGE_CACHE": str(cache)}
    first = runner.build(docs, tmp / "site", env=env)
    assert first.returncode == 0, first.stderr
    stamps = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    second = runner.build(docs, tmp / "site", env=env)
    assert second.returncode == 0, second.stderr
    return {"site": tmp / "site", "docs": docs, "cache": cache, "stamps": stamps}


def test_variants_are_small_and_carry_no_location(photo_site):
    folder = photo_site["site"] / "lectures" / "images"
    variants = sorted(folder.glob("hall.kb*"))
    assert {p.name for p in variants} == {f"hall.kb{w}.{ext}" for w in (480, 960, 1600) for ext in ("webp", "jpg")}
    for path in variants:
        assert path.stat().st_size < 300 * 1024, f"{path.name}: {path.stat().st_size} bytes"
        assert not images.has_location(path), path.name
        with Image.open(path) as img:
            assert img.width in (480, 960, 1600)
    original = folder / "hall.jpg"
    assert original.is_file() and not images.has_location(original)  # published, without GPS
    assert images.has_location(photo_site["docs"] / "lectures/images/hall.jpg")  # the editor's file is untouched


def test_page_shows_a_responsive_captioned_photo_in_the_lightbox(photo_site):
    for url, prefix in (("/lectures/2024-05-20-district-key-tasks/", "../images/"),):
        article = page_article(photo_site["site"], url)
        figure = article.find("figure", class_="kb-figure")
        assert figure is not None
        img = figure.find("img")
        assert img.attrs["alt"] == "主讲人在会场作报告"
        assert img.attrs["loading"] == "lazy"
        assert (img.attrs["width"], img.attrs["height"]) == ("960", "640")
        assert img.attrs["src"] == f"{prefix}hall.kb960.jpg"
        assert "hall.kb1600.jpg 1600w" in img.attrs["srcset"]
        source = figure.find("source")
        assert source.attrs["type"] == "image/webp" and "hall.kb480.webp 480w" in source.attrs["srcset"]
        link = figure.find("a", class_="glightbox")
        assert link is not None and link.attrs["href"] == f"{prefix}hall.kb1600.jpg"
        assert figure.find("figcaption").text() == "2024年5月20日，区政协会议室"
    html = page_html(photo_site["site"], "/lectures/2024-05-20-district-key-tasks/")
    assert "glightbox.min.js" in html
    assert "glightbox.min.js" not in page_html(photo_site["site"], "/")  # only pages with photos load it


def test_second_build_reencodes_nothing(photo_site):
    cache = photo_site["cache"]
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*")} == photo_site["stamps"]
    assert any(p.suffix == ".webp" for p in cache.rglob("*"))
    assert not any(p.is_relative_to(photo_site["site"]) for p in cache.rglob("*"))


def test_cover_is_shown_in_the_listing(photo_site):
    for url in ("/lectures/", "/en/lectures/"):
        article = page_article(photo_site["site"], url)
        covers = [img for img in article.iter("img") if "kb-cover" in img.classes()]
        assert len(covers) == 1, url
        assert "cover.kb480.jpg" in covers[0].attrs["srcset"] and covers[0].attrs["alt"] == ""


def test_attachment_is_listed_in_the_record_header_with_type_and_size(photo_site):
    for url, expected in (
        ("/lectures/2024-05-20-district-key-tasks/", "讲座讲稿 （PDF，20 KB）"),
        ("/en/lectures/2024-05-20-district-key-tasks/", None),
    ):
        html = page_html(photo_site["site"], url)
        listing = parse_html(html).find("ul", class_="kb-attachments")
        if expected is None:  # the English page has its own body; it names no attachment
            continue
        assert listing is not None and listing.text() == expected
        href = listing.find("a").attrs["href"]
        assert (photo_site["site"] / "lectures/2024-05-20-district-key-tasks" / href).resolve().is_file()


def test_the_same_photo_without_alt_text_is_refused_by_the_build(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    camera_photo(docs / "lectures/images/hall.jpg", size=(1200, 800))
    add_to_lecture(docs, "![](images/hall.jpg)")
    result = runner.build(docs, tmp_path / "site")
    assert result.returncode != 0
    assert "缺少替代文字" in result.stderr
    assert not (tmp_path / "site").exists()


def test_members_only_attachments_and_photos_stay_out_of_the_public_build(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    camera_photo(docs / "lectures/images/inside.jpg", size=(1000, 700))
    (docs / "lectures/files").mkdir()
    (docs / "lectures/files/minutes.pdf").write_bytes(b"%PDF-1.4\n")
    (docs / "lectures/2024-06-01-closed.md").write_text(
        "---\ntitle: 内部座谈\ndate: 2024-06-01\nvisibility: members\n---\n\n"
        "![座谈会现场](images/inside.jpg)\n\n[纪要](files/minutes.pdf)\n",
        "utf-8",
    )
    (tmp_path / "public").mkdir()
    public = build_tree(docs, tmp_path / "public")
    assert not list(public.rglob("inside*")) and not list(public.rglob("minutes.pdf"))
    members = tmp_path / "members"
    members.mkdir()
    result = runner.build(docs, members / "site", env={"KB_EDITION": "members"})
    assert result.returncode == 0, result.stderr
    built = members / "site-members" if (members / "site-members").exists() else members / "site"
    assert (built / "lectures/files/minutes.pdf").is_file()
    assert (built / "lectures/images/inside.kb960.jpg").is_file()


def test_an_unreadable_photo_is_refused_not_published_as_it_is(docs):
    """No image is published without having been read (issue 19): a file that is not an image is
    an error of kb check, and so of the build, no longer a warning."""
    (docs / "lectures/images").mkdir()
    (docs / "lectures/images/broken.jpg").write_bytes(b"not really a JPEG")
    page = add_to_lecture(docs, "![会场](images/broken.jpg)")
    check = run_kb("check", docs=docs)
    assert check.returncode == 1
    assert f"{LECTURE}:{line_of(page, 'broken.jpg')}:" in check.stdout and "不是图片" in check.stdout


def test_figure_syntax_keeps_the_editors_caption():
    """`<figure markdown>` with a <figcaption> (md_in_html): the photo becomes responsive inside the
    editor's figure, which is not wrapped in a second one."""
    found = images.ImageSet(
        "d",
        2000,
        1000,
        tuple(images.Variant(w, w // 2, e, f"p.kb{w}.{e}") for w in (480, 960, 1600) for e in ("webp", "jpg")),
    )
    html = '<figure>\n<p><img alt="会场" src="../images/p.jpg" /></p>\n<figcaption>图注</figcaption>\n</figure>'
    out, shown = images.rewrite_html(html, lambda src: (found, "../images/"))
    assert shown and out.count("<figure") == 1 and "<figcaption>图注</figcaption>" in out
    assert 'srcset="../images/p.kb480.jpg 480w' in out and 'alt="会场"' in out


def test_the_process_pool_writes_the_same_bytes_as_one_process(tmp_path):
    """Issue 21: photos are encoded in a pool sized to the machine; every copy (and what the cache
    records about it) is byte for byte what a serial build writes."""
    photos = []
    for i, size in enumerate([(1800, 1200), (1200, 1800), (700, 500)]):
        photos.append(camera_photo(tmp_path / "in" / f"p{i}.jpg", size=size))
    png = tmp_path / "in" / "flat.png"
    Image.new("RGBA", (1000, 600), (10, 120, 200, 128)).save(png)
    photos.append(png)
    serial, pooled = images.VariantCache(tmp_path / "serial"), images.VariantCache(tmp_path / "pooled")
    assert serial.encode_all(photos, processes=1) == len(photos)
    assert pooled.encode_all(photos, processes=2) == len(photos)
    assert serial.encoded == pooled.encoded == len(photos)

    def files(cache: images.VariantCache) -> dict[str, bytes]:
        return {p.relative_to(cache.folder).as_posix(): p.read_bytes() for p in cache.folder.rglob("*") if p.is_file()}

    written = files(serial)
    widths = [1800, 1200, 700, 1000]  # as shown (the second one is portrait)
    assert len(written) == sum(2 * len(images.target_widths(w)) + 1 for w in widths)  # copies and a record each
    assert written == files(pooled)
    assert pooled.encode_all(photos, processes=2) == 0  # cached: nothing to do


def test_a_pool_that_cannot_start_falls_back_to_this_process(tmp_path, monkeypatch):
    """A worker that dies or cannot be spawned (e.g. a build started from a script on standard
    input) must not stop the build: the photos are encoded in the build's own process."""
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("no worker")

    monkeypatch.setattr(images, "worker_pool", Broken)
    photos = [camera_photo(tmp_path / f"p{i}.jpg", size=(900, 600)) for i in range(2)]
    cache = images.VariantCache(tmp_path / "cache")
    assert cache.encode_all(photos, processes=2) == 2 and cache.encoded == 2
    assert all(cache.image_set(p).variants for p in photos)


def test_a_quick_preview_rebuild_strips_the_photos_it_copied_again(tmp_path):
    # a `mkdocs serve --dirty` rebuild copies only changed photos; it reads those, not every file
    from scripts.kb.adapter import events

    site = tmp_path / "site"
    old = camera_photo(site / "lectures/images/old.jpg", size=(800, 600))
    since = time.time() + 5
    os.utime(old, (since - 60, since - 60))  # published by an earlier build, left as it was
    new = camera_photo(site / "lectures/images/new.jpg", size=(800, 600))
    os.utime(new, (since + 1, since + 1))  # copied again by this one
    events.strip_photo_locations(site, ({str(old), str(new), str(site / "gone.jpg")}, since))
    assert not images.has_location(new)
    assert images.has_location(old)  # not read: an earlier build stripped it when it copied it
    events.strip_photo_locations(site)  # a full build reads every published original
    assert not images.has_location(old)
