"""Hostile and careless photos and embedded files (issues 19 and 23): pixel bombs refused before
decoding, one image reader for kb check and the build, location removed wherever it hides, files
of members-only pages kept out of the public edition whichever way they are referenced, and
Chinese or spaced file names."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from test_images import GPS, LECTURE, add_to_lecture, camera_photo, line_of

from kb_testlib import FIXTURES, ROOT, page_article, page_html, run_kb
from scripts.kb.adapter import runner
from scripts.kb.content import links, media
from scripts.kb.outputs import images

XMP_GPS = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,56.0N" '
    'exif:GPSLongitude="116,6.0E"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", target)
    (target / "lectures/images").mkdir()
    return target


def built_site(folder: Path) -> Path:
    """The members' edition goes to site-members/ beside the requested site/."""
    members = folder / "site-members"
    return members if members.is_dir() else folder / "site"


def png_of_size(path: Path, width: int, height: int) -> Path:
    """A grey PNG of width×height pixels, all black, written row by row: a decompression bomb of
    well under a megabyte that never exists as pixels in this process."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


# --- pixel limit, not an image, damaged --------------------------------------------------------------


@pytest.mark.parametrize("size", [(15000, 15000), (30000, 30000)])
def test_kb_check_refuses_too_many_pixels_with_the_line_and_the_fix(docs, size):
    bomb = png_of_size(docs / "lectures/images/big.png", *size)
    assert bomb.stat().st_size < 1024 * 1024
    page = add_to_lecture(docs, "![会场全景](images/big.png)")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1, result.stdout
    line = f"{LECTURE}:{line_of(page, 'big.png')}:"
    reported = [ln for ln in result.stdout.splitlines() if line in ln]
    assert reported, result.stdout
    assert f"{size[0]}×{size[1]} 像素" in reported[0] and "上限" in reported[0] and "3000" in reported[0]
    assert "损坏" not in reported[0] and "不是图片" not in reported[0]
    assert "Traceback" not in result.stdout + result.stderr


def test_the_pixel_limit_is_applied_before_decoding(tmp_path, monkeypatch):
    bomb = png_of_size(tmp_path / "big.png", 15000, 15000)

    def no_decoding(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding)
    with pytest.raises(media.ImageRefused) as refused:
        media.read_image(bomb)
    assert refused.value.reason == "pixels" and refused.value.size == (15000, 15000)


def test_the_build_refuses_a_pixel_bomb_without_decoding_it(tmp_path):
    """The 15000×15000 PNG was decoded by the build at 2.9 GB; now the build stops in its content
    check, having read the header only. Peak memory of the build process proves it."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    (docs / "lectures/images").mkdir()
    png_of_size(docs / "lectures/images/big.png", 15000, 15000)
    add_to_lecture(docs, "![会场全景](images/big.png)")
    probe = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from scripts.kb.adapter import runner
        result = runner.build(Path({str(docs)!r}), Path({str(tmp_path / "site")!r}))
        sys.stderr.write(result.stderr)
        print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    code, peak_kb = map(int, done.stdout.split())
    assert code != 0 and "15000×15000 像素" in done.stderr
    assert peak_kb < 600 * 1024, f"build peaked at {peak_kb // 1024} MB"
    assert not (tmp_path / "site").exists()


def test_not_an_image_and_damaged_are_told_apart(docs):
    (docs / "lectures/images/renamed.jpg").write_bytes(b"%PDF-1.4 not a photo at all")
    whole = camera_photo(docs / "lectures/images/cut.jpg", size=(1200, 800)).read_bytes()
    (docs / "lectures/images/cut.jpg").write_bytes(whole[: len(whole) // 2])
    page = add_to_lecture(docs, "![甲](images/renamed.jpg)\n\n![乙](images/cut.jpg)")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    renamed = next(ln for ln in lines if f"{LECTURE}:{line_of(page, 'renamed.jpg')}:" in ln)
    cut = next(ln for ln in lines if f"{LECTURE}:{line_of(page, 'cut.jpg')}:" in ln)
    assert "不是图片" in renamed and "损坏" not in renamed and "像素" not in renamed
    assert "损坏" in cut and "不是图片" not in cut and "像素" not in cut


def test_an_image_no_page_shows_is_read_too(docs):
    """MkDocs publishes every file in docs/; an image nobody shows is still read first."""
    (docs / "lectures/images/orphan.png").write_bytes(b"GIF89a not a png")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1 and "lectures/images/orphan.png:1:" in result.stdout and "不是图片" in result.stdout


def test_check_and_build_read_images_through_one_function(tmp_path, monkeypatch):
    """The build's encoder gets its pixels from media.read_image, the function kb check uses."""
    photo = camera_photo(tmp_path / "p.jpg", size=(2000, 1500))
    calls = []
    real = media.read_image
    monkeypatch.setattr(media, "read_image", lambda path, **kw: calls.append(path) or real(path, **kw))
    cache = images.VariantCache(tmp_path / "cache")
    cache.image_set(photo)
    media._INSPECTED.clear()
    media.inspect_image(photo)
    assert calls == [photo, photo]


# --- location data -------------------------------------------------------------------------------------


def _jpeg_with_segment(jpeg: bytes, segment: bytes) -> bytes:
    return jpeg[:2] + segment + jpeg[2:]


def _app(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def located_inputs(folder: Path) -> dict[str, Path]:
    """Every place a phone or an editing program hides the location, one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    out["exif.jpg"] = camera_photo(folder / "exif.jpg", size=(1200, 800))
    plain = io.BytesIO()
    Image.open(out["exif.jpg"]).save(plain, "JPEG", quality=85)
    jpeg = plain.getvalue()
    xmp = XMP_GPS.encode()
    (folder / "comment.jpg").write_bytes(_jpeg_with_segment(jpeg, _app(0xFE, xmp)))
    (folder / "odd-app1.jpg").write_bytes(_jpeg_with_segment(jpeg, _app(0xE1, b"XMP\x00" + xmp)))
    (folder / "std-xmp.jpg").write_bytes(
        _jpeg_with_segment(jpeg, _app(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp))
    )
    exif = Image.Exif()
    exif.get_ifd(images.GPS_IFD).update(GPS)
    appended = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(appended, "JPEG", exif=exif.tobytes(), comment=xmp)
    (folder / "appended.jpg").write_bytes(jpeg + appended.getvalue())  # a phone's gain map after the image
    rgb = Image.open(out["exif.jpg"]).convert("RGB").resize((600, 400))
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP_GPS)
    rgb.save(folder / "itxt.png", pnginfo=info)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP_GPS, zip=True)
    rgb.save(folder / "itxt-zip.png", pnginfo=info)
    info = PngImagePlugin.PngInfo()
    info.add_text("GPSLatitude", "39.9333 N")
    info.add_text("comment", XMP_GPS, zip=True)
    rgb.save(folder / "text.png", pnginfo=info)
    rgb.save(folder / "exif.png", exif=exif.tobytes())
    rgb.save(folder / "xmp.webp", xmp=xmp, quality=80)
    rgb.save(folder / "exif-xmp.webp", exif=exif.tobytes(), xmp=xmp, quality=80)
    for name in list(folder.iterdir()):
        out[name.name] = name
    return out


def test_every_location_input_is_found_and_removed_without_touching_the_pixels(tmp_path):
    for name, path in located_inputs(tmp_path).items():
        before_info, before = media.read_image(path)
        assert before_info.location, f"{name}: the input must carry a location"
        data, found = media.without_location(path.read_bytes(), before_info.format)
        assert found, name
        assert b"GPSLatitude" not in data and b"xmpmeta" not in data, name
        cleaned = tmp_path / f"clean-{name}"
        cleaned.write_bytes(data)
        after_info, after = media.read_image(cleaned)
        assert not after_info.location and not images.has_location(cleaned), name
        assert (after_info.width, after_info.height) == (before_info.width, before_info.height), name
        assert after.tobytes() == before.tobytes(), f"{name}: pixels changed"
        assert media.without_location(data, after_info.format) == (data, False), f"{name}: not stable"


def test_location_removal_never_raises_on_broken_files():
    for data in (
        b"",
        b"\xff\xd8\xff\xe1\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        b"RIFF\xff\xff\xff\xffWEBPVP8X",
        b"GIF89a",
    ):
        out, _ = media.without_location(data, "")
        assert out == data


@pytest.fixture(scope="module")
def located_site(tmp_path_factory):
    """Every located input shown on a public lecture and on a members-only one; built in both
    editions."""
    tmp = tmp_path_factory.mktemp("located")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    inputs = located_inputs(docs / "lectures/images")
    shown = "\n\n".join(f"![照片 {i}](images/{name})" for i, name in enumerate(sorted(inputs)))
    add_to_lecture(docs, shown)
    (docs / "lectures/2024-06-01-closed.md").write_text(
        "---\ntitle: 内部座谈\ndate: 2024-06-01\nvisibility: members\n---\n\n![座谈](images/exif.jpg)\n", "utf-8"
    )
    check = run_kb("check", docs=docs)
    env = {"KB_IMAGE_CACHE": str(tmp / "cache")}
    (tmp / "public").mkdir()
    (tmp / "members").mkdir()
    public = runner.build(docs, tmp / "public" / "site", env=env)
    members = runner.build(docs, tmp / "members" / "site", env={**env, "KB_EDITION": "members"})
    return {"docs": docs, "inputs": inputs, "check": check, "public": public, "members": members, "tmp": tmp}


def test_kb_check_warns_about_originals_that_carry_location(located_site):
    check = located_site["check"]
    assert check.returncode == 0, check.stdout
    for name in located_site["inputs"]:
        assert any(f"lectures/images/{name}:1: 警告" in ln and "拍摄地点" in ln for ln in check.stdout.splitlines()), (
            name
        )


@pytest.mark.parametrize("edition", ["public", "members"])
def test_no_published_file_names_a_location(located_site, edition):
    result = located_site[edition]
    assert result.returncode == 0, result.stderr
    site = built_site(located_site["tmp"] / edition)
    published = [p for p in site.rglob("*") if p.is_file()]
    for name in located_site["inputs"]:
        assert (site / "lectures/images" / name).is_file(), name  # the cleaned original is published
    for path in published:
        data = path.read_bytes()
        assert b"GPSLatitude" not in data, path
        if path.suffix in (".jpg", ".png", ".webp"):
            assert not images.has_location(path), path
    for variant in (site / "lectures/images").glob("*.kb*.jpg"):
        assert b"\xff\xfe" not in variant.read_bytes()[: variant.read_bytes().find(b"\xff\xda")], variant  # no comment
    assert located_site["inputs"]["comment.jpg"].read_bytes().count(b"GPSLatitude") == 1  # editors' files untouched


# --- the hidden-file scan: every way a page can reference a file ------------------------------------------

REFERENCE_KINDS = {
    "img-srcset": (
        '<img src="../images/shown.png" alt="甲" srcset="../images/s1.png 480w, ../images/s2.png 960w">',
        ["images/s2.png"],
    ),
    "object-data": ('<object data="../files/object.pdf" type="application/pdf"></object>', ["files/object.pdf"]),
    "video-poster": ('<video controls poster="../images/poster.png"></video>', ["images/poster.png"]),
    "css-url": ('<div style="background-image: url(&quot;../images/bg.png&quot;)">甲</div>', ["images/bg.png"]),
    "style-element": ("<style>.kb-x { background: url('../images/bg2.png') }</style>", ["images/bg2.png"]),
    "source": ('<video controls><source src="../files/clip.mp4" type="video/mp4"></video>', ["files/clip.mp4"]),
    "track": ('<video controls><track src="../files/sub.vtt" kind="captions" srclang="zh"></video>', ["files/sub.vtt"]),
    "embed": ('<embed src="../files/embed.pdf" type="application/pdf">', ["files/embed.pdf"]),
    "picture-source": (
        '<picture><source srcset="../images/alt.webp"><img src="../images/shown.png" alt="乙"></picture>',
        ["images/alt.webp"],
    ),
    "percent-encoded": ("![会场](images/%E5%86%85%E9%83%A8%E7%85%A7%E7%89%87.png)", ["images/内部照片.png"]),
    "angle-brackets": ("[纪要](<files/closed minutes.pdf>)", ["files/closed minutes.pdf"]),
    "angle-image": ("![会场](<images/closed photo.png>)", ["images/closed photo.png"]),
}


@pytest.fixture(scope="module")
def hidden_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hidden")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    (docs / "lectures/images").mkdir()
    (docs / "lectures/files").mkdir()
    Image.new("RGB", (40, 30), "white").save(docs / "lectures/images/shown.png")
    for _, files in REFERENCE_KINDS.values():
        for rel in files:
            target = docs / "lectures" / rel
            if target.suffix in (".png", ".webp"):
                Image.new("RGB", (40, 30), "blue").save(target)
            else:
                target.write_bytes(b"WEBVTT\n" if target.suffix == ".vtt" else b"%PDF-1.4\n")
    for name in ("s1.png",):
        Image.new("RGB", (40, 30), "red").save(docs / "lectures/images" / name)
    body = "\n\n".join(snippet for snippet, _ in REFERENCE_KINDS.values())
    (docs / "lectures/2024-06-01-closed.md").write_text(
        f"---\ntitle: 内部座谈\ndate: 2024-06-01\nvisibility: members\n---\n\n{body}\n", "utf-8"
    )
    # s1.png and shown.png are also used by a public page: they stay in both editions.
    add_to_lecture(docs, '![公开](images/shown.png)\n\n<img src="../images/s1.png" alt="公开的小图">')
    check = run_kb("check", docs=docs)
    (tmp / "public").mkdir()
    (tmp / "members").mkdir()
    public = runner.build(docs, tmp / "public" / "site")
    members = runner.build(docs, tmp / "members" / "site", env={"KB_EDITION": "members"})
    return {"check": check, "public": public, "members": members, "tmp": tmp}


def _site(hidden_site, edition: str) -> Path:
    result = hidden_site[edition]
    assert result.returncode == 0, result.stderr
    return built_site(hidden_site["tmp"] / edition)


@pytest.mark.parametrize("kind", sorted(REFERENCE_KINDS))
def test_a_file_only_a_members_page_references_is_left_out_of_the_public_edition(hidden_site, kind):
    assert hidden_site["check"].returncode == 0, hidden_site["check"].stdout
    public, members = _site(hidden_site, "public"), _site(hidden_site, "members")
    for rel in REFERENCE_KINDS[kind][1]:
        assert not (public / "lectures" / rel).exists(), f"{kind}: {rel} published"
        assert not list((public / "lectures").rglob(Path(rel).stem + ".kb*")), f"{kind}: variants of {rel} published"
        assert (members / "lectures" / rel).is_file(), f"{kind}: {rel} missing from the members' edition"
    assert (public / "lectures/images/shown.png").is_file() and (public / "lectures/images/s1.png").is_file()


def test_the_scan_reads_every_reference_kind():
    body = "\n\n".join(snippet for snippet, _ in REFERENCE_KINDS.values())
    found = links.targets("lectures/closed.md", body)
    for kind, (_, files) in REFERENCE_KINDS.items():
        for rel in files:
            assert f"lectures/{rel}" in found, kind
    code = '```html\n<img src="../images/x.png">\n```\n\n`![a](y.png)`'
    assert links.targets("lectures/closed.md", code) == set()


# --- Chinese and spaced file names ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def named_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("named")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    camera_photo(docs / "lectures/images/微信图片_2024.jpg", size=(2000, 1500))
    camera_photo(docs / "lectures/images/my photo.jpg", size=(2000, 1500))
    (docs / "lectures/files").mkdir()
    (docs / "lectures/files/my slides.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3000)
    page = add_to_lecture(
        docs,
        "![微信里的会场照片](images/微信图片_2024.jpg)\n\n![空格名字的照片](<images/my photo.jpg>)\n\n"
        "讲稿：[讲座讲稿](<files/my slides.pdf>)",
    )
    check = run_kb("check", docs=docs)
    result = runner.build(docs, tmp / "site", env={"KB_IMAGE_CACHE": str(tmp / "cache")})
    return {"check": check, "result": result, "site": tmp / "site", "page": page}


def test_spaced_and_chinese_names_pass_kb_check(named_site):
    assert named_site["check"].returncode == 0, named_site["check"].stdout
    assert "缺少替代文字" not in named_site["check"].stdout


@pytest.mark.parametrize("stem, alt", [("微信图片_2024", "微信里的会场照片"), ("my photo", "空格名字的照片")])
def test_spaced_and_chinese_names_get_variants_responsive_markup_and_lightbox(named_site, stem, alt):
    from urllib.parse import unquote

    assert named_site["result"].returncode == 0, named_site["result"].stderr
    site = named_site["site"]
    for w in (480, 960, 1600):
        assert (site / "lectures/images" / f"{stem}.kb{w}.webp").is_file()
    article = page_article(site, "/lectures/2024-05-20-district-key-tasks/")
    img = next(i for i in article.iter("img") if i.attrs.get("alt") == alt)
    page_dir = site / "lectures/2024-05-20-district-key-tasks"
    assert " " not in img.attrs["src"]
    candidates = [c.strip().split(" ") for c in img.attrs["srcset"].split(",")]
    assert all(len(c) == 2 for c in candidates), img.attrs["srcset"]  # a space in a name would split it
    for url, _ in candidates + [[img.attrs["src"], ""]]:
        assert (page_dir / unquote(url)).resolve().is_file(), url
    html = page_html(site, "/lectures/2024-05-20-district-key-tasks/")
    lightbox = [a for a in article.iter("a") if "glightbox" in a.classes() and a.attrs.get("data-alt") == alt]
    assert lightbox and (page_dir / unquote(lightbox[0].attrs["href"])).resolve().is_file()
    assert "glightbox.min.js" in html


def test_a_spaced_attachment_is_listed(named_site):
    from urllib.parse import unquote

    listing = page_article(named_site["site"], "/lectures/2024-05-20-district-key-tasks/")
    html = page_html(named_site["site"], "/lectures/2024-05-20-district-key-tasks/")
    assert "讲座讲稿" in html and "kb-attachments" in html
    from kb_testlib import parse_html

    items = parse_html(html).find("ul", class_="kb-attachments")
    assert items is not None and "PDF" in items.text()
    href = items.find("a").attrs["href"]
    assert (named_site["site"] / "lectures/2024-05-20-district-key-tasks" / unquote(href)).resolve().is_file()
    assert listing is not None


def test_verdicts_are_kept_by_content_so_an_unchanged_photo_is_decoded_once(tmp_path, monkeypatch):
    photo = camera_photo(tmp_path / "p.jpg", size=(1200, 800))
    bomb = png_of_size(tmp_path / "big.png", 9000, 9000)
    calls = []
    real = media.read_image
    monkeypatch.setattr(media, "read_image", lambda path, **kw: calls.append(path) or real(path, **kw))
    verdicts = {}
    for _ in range(2):
        media._INSPECTED.clear()  # a new process: only the stored verdicts are left
        verdicts[len(calls)] = media.inspect_image(photo, tmp_path / "cache")
        with pytest.raises(media.ImageRefused) as refused:
            media.inspect_image(bomb, tmp_path / "cache")
        assert refused.value.reason == "pixels" and refused.value.size == (9000, 9000)
    assert calls == [photo, bomb]
    first, second = verdicts.values()
    assert first == second and first.location and (first.width, first.height) == (1200, 800)


def test_an_oversized_image_is_refused_for_its_size_without_being_read(docs):
    big = docs / "lectures/images/huge.jpg"
    with big.open("wb") as f:
        f.truncate(media.MAX_BYTES + 1)  # sparse: a symlink to a 2 GB file would be read whole
    result = run_kb("check", docs=docs)
    assert result.returncode == 1 and "lectures/images/huge.jpg:1:" in result.stdout and "10 MB" in result.stdout
    assert "不是图片" not in result.stdout
