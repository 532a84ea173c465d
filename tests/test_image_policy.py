"""One image policy for every picture in docs/ (issue 32): the site publishes JPEG, PNG and WebP
photos of one frame (their copies without location, the pixel limit read from the header); every
other picture (HEIC, TIFF, BMP, ICO, GIF, AVIF, one named as something else, an animation, a GIF
claiming 65535×65535) is refused by `kb check` and the build with the `kb import photo` command that
converts it, and that command does convert each of them.
"""

from __future__ import annotations

import io
import re
import shutil
import struct

import pytest
from PIL import Image
from test_images import GPS, LECTURE

from kb_testlib import FIXTURES, run_kb
from scripts.kb.adapter import runner
from scripts.kb.content import media
from scripts.kb.outputs import images


def _with_gps(fmt: str, **kw) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(images.GPS_IFD).update(GPS)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, fmt, exif=exif.tobytes(), **kw)
    return out.getvalue()


def _plain(fmt: str, mode: str = "RGB", size=(64, 48), **kw) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode in ("L", "P") else (40, 120, 200)).save(out, fmt, **kw)
    return out.getvalue()


def _heic() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return _with_gps("HEIF", quality=80)


def _animated(fmt: str, frames: int) -> bytes:
    out = io.BytesIO()
    first, *rest = [Image.new("RGB", (32, 32), (i * 7 % 255, 0, 0)) for i in range(frames)]
    first.save(out, fmt, save_all=True, append_images=rest, duration=40)
    return out.getvalue()


def gif_claiming(width: int, height: int) -> bytes:
    """A 30-byte GIF whose screen and image descriptors claim width×height pixels."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00;"
    return header + image


CASES = {
    # name in docs: (bytes, words the message must hold)
    "lectures/images/iphone.heic": (_heic, ["HEIC（iPhone 照片）"]),
    "lectures/images/scan.tiff": (lambda: _with_gps("TIFF"), ["TIFF"]),
    "lectures/images/scan.tif": (lambda: _plain("TIFF"), ["TIFF"]),
    "lectures/images/old.bmp": (lambda: _plain("BMP"), ["BMP"]),
    "lectures/images/favicon.ico": (lambda: _plain("ICO", size=(32, 32)), ["ICO 图标"]),
    "lectures/images/moving.gif": (lambda: _animated("GIF", 3), ["GIF"]),
    "lectures/images/still.gif": (lambda: _plain("GIF", "P"), ["GIF"]),
    "lectures/images/new.avif": (lambda: _plain("AVIF"), ["AVIF"]),
    "lectures/images/bomb.gif": (lambda: gif_claiming(65535, 65535), ["GIF"]),
    # the name says JPEG, the bytes say otherwise
    "lectures/images/renamed.jpg": (_heic, ["HEIC（iPhone 照片）"]),
    "lectures/images/gif-named.jpg": (lambda: _plain("GIF", "P"), ["GIF"]),
    "lectures/images/tiff-named.png": (lambda: _with_gps("TIFF"), ["TIFF"]),
    # a photo under another name, shown by a page all the same (<img> does not go by the name)
    "lectures/images/photo.dat": (lambda: _with_gps("JPEG"), ["内容是 JPEG 图片，扩展名却是 .dat"]),
    # animations of the published formats
    "lectures/images/moving.png": (lambda: _animated("PNG", 4), ["动图（4 帧）"]),
    "lectures/images/moving.webp": (lambda: _animated("WEBP", 5), ["动图（5 帧）"]),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("image-policy")
    docs = tmp / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    (docs / "lectures" / "images").mkdir(exist_ok=True)
    for name, (make, _) in CASES.items():
        (docs / name).write_bytes(make())
    # one page shows one of them, so the message can name the page
    record = docs / LECTURE
    record.write_text(record.read_text("utf-8") + "\n![旧的扫描件](images/scan.tif)\n", "utf-8")
    return tmp, docs, run_kb("check", docs=docs)


@pytest.mark.parametrize("name", list(CASES))
def test_kb_check_refuses_every_other_picture_naming_the_command(checked, name):
    _, _, result = checked
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if f"docs/{name}" in line]
    assert lines, result.stdout
    line = lines[0]
    for words in CASES[name][1]:
        assert words in line, line
    assert "kb import photo" in line, line


def test_the_command_names_the_page_that_shows_it(checked):
    _, _, result = checked
    line = next(line for line in result.stdout.splitlines() if "scan.tif" in line and "scan.tiff" not in line)
    assert re.search(rf"--to \S*docs/{re.escape(LECTURE)} ", line), line


def test_the_build_refuses_the_same(tmp_path):
    """A TIFF scan with its location, shown by a page: the build published it byte for byte."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    (docs / "lectures" / "images").mkdir(exist_ok=True)
    (docs / "lectures" / "images" / "scan.tiff").write_bytes(_with_gps("TIFF"))
    record = docs / LECTURE
    record.write_text(record.read_text("utf-8") + "\n![旧的扫描件](images/scan.tiff)\n", "utf-8")
    result = runner.build(docs, tmp_path / "site", env={"KB_IMAGE_CACHE": str(tmp_path / "cache")})
    assert result.returncode != 0 and "import photo" in result.stderr and "TIFF" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "name",
    ["iphone.heic", "scan.tiff", "old.bmp", "favicon.ico", "moving.gif", "still.gif", "new.avif", "renamed.jpg"],
)
def test_kb_import_photo_converts_each_to_a_jpeg_without_location(tmp_path, name):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    source = tmp_path / name
    source.write_bytes(CASES[f"lectures/images/{name}"][0]())
    result = run_kb("import", "photo", str(source), "--to", str(docs / LECTURE), "--alt", "会场", docs=docs)
    assert result.returncode == 0, result.stderr
    photo = docs / "lectures/images/2024-05-20-district-key-tasks-1.jpg"
    with Image.open(photo) as img:
        assert img.format == "JPEG" and getattr(img, "n_frames", 1) == 1
    assert not images.has_location(photo)
    assert run_kb("check", docs=docs).returncode == 0


def test_kb_import_photo_refuses_a_gif_that_claims_too_many_pixels_without_decoding(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    source = tmp_path / "bomb.gif"
    source.write_bytes(gif_claiming(65535, 65535))
    result = run_kb("import", "photo", str(source), "--to", str(docs / LECTURE), "--alt", "会场", docs=docs)
    assert result.returncode == 1 and "65535×65535" in result.stderr and "Traceback" not in result.stderr


def test_a_ten_thousand_frame_gif_is_counted_frame_by_frame_into_the_limit(tmp_path):
    """The pixel limit counts every frame: 10,000 frames of 100×100 are 100 million pixels."""
    path = tmp_path / "many.gif"
    path.write_bytes(_animated_small(10_000))
    with pytest.raises(media.ImageRefused) as refused:
        media.read_image(path)
    assert refused.value.reason == "pixels"


def _animated_small(frames: int) -> bytes:
    """A GIF of `frames` 100×100 frames, written by hand (Pillow would merge identical frames)."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 100, 100, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    frame = b"!\xf9\x04\x00\x02\x00\x00\x00" + b"," + struct.pack("<HHHHB", 0, 0, 100, 100, 0) + b"\x02\x02\x44\x01\x00"
    return screen + loop + frame * frames + b";"


def _phone_jpeg_with_a_depth_map() -> bytes:
    """A phone's JPEG with a second picture appended (MPF): Pillow calls it MPO, of 2 frames."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    return out.getvalue()


def test_published_photos_still_pass(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    (docs / "lectures" / "images").mkdir(exist_ok=True)
    for name, fmt in (("a.jpg", "JPEG"), ("b.png", "PNG"), ("c.webp", "WEBP"), ("d.jpeg", "JPEG")):
        (docs / "lectures" / "images" / name).write_bytes(_plain(fmt))
    # found in round 4: a phone JPEG with a depth map is one photo, not an animation of another format
    (docs / "lectures" / "images" / "phone.jpg").write_bytes(_phone_jpeg_with_a_depth_map())
    result = run_kb("check", docs=docs)
    assert result.returncode == 0, result.stdout
