"""Text drawn on top of other text in a PDF: one piece printed over another, so that readers see only
one of them while a text reader (and so the site, and search) would read both.

Each glyph is placed where the page's drawing puts it, at the moment it is drawn: the text matrix
of its show-text operator, advanced by the widths its font declares (/Widths, or /W of a CID
font) and the character and word spacing in force. Two glyphs overprint when they are the same
size, on the same baseline, cover most of each other's width, and are different glyphs (another
code or another font). The same glyph drawn twice a little apart (a fake bold) is not a case;
nor are glyphs of a font whose widths cannot be read: better nothing than a false alarm.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Glyph:
    x0: float
    x1: float
    y: float  # baseline
    size: float  # height on the page, in points
    font: str
    code: int


class FontWidths:
    """A font's glyph widths (thousandths of the text size) by code, and how many bytes a code is."""

    def __init__(self, font) -> None:
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = 1000.0
        if self.two_bytes:
            descendant = font["/DescendantFonts"][0].get_object()
            self.default = float(descendant.get("/DW", 1000))
            w = list(descendant.get("/W", []))
            k = 0
            while k + 1 < len(w):
                first, then = int(w[k]), w[k + 1]
                if isinstance(then, list) or hasattr(then, "__iter__"):
                    for i, width in enumerate(then.get_object() if hasattr(then, "get_object") else then):
                        self.widths[first + i] = float(width)
                    k += 2
                elif k + 2 < len(w):
                    for code in range(first, int(then) + 1):
                        self.widths[code] = float(w[k + 2])
                    k += 3
                else:
                    break
        else:
            first = int(font.get("/FirstChar", 0))
            for i, width in enumerate(font.get("/Widths", []) or []):
                self.widths[first + i] = float(width)
            descriptor = font.get("/FontDescriptor")
            self.default = float(descriptor.get_object().get("/MissingWidth", 0)) if descriptor else 0.0

    def codes(self, data: bytes) -> list[tuple[int, float]]:
        if self.two_bytes:
            pairs = [(data[i] << 8 | data[i + 1]) for i in range(0, len(data) - 1, 2)]
        else:
            pairs = list(data)
        return [(code, self.widths.get(code, self.default)) for code in pairs]


class Overprint:
    """Collects the glyphs a page draws (`show` from the reader's operator callback) and finds those
    drawn over one another (`found`)."""

    def __init__(self, page) -> None:
        self.fonts: dict[str, FontWidths | None] = {}
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for name, ref in (fonts.get_object() if fonts is not None else {}).items():
            try:
                self.fonts[name] = FontWidths(ref.get_object())
            except Exception:  # a font whose widths cannot be read is left out, never guessed
                self.fonts[name] = None
        self.glyphs: list[Glyph] = []
        self.font: str | None = None
        self.spacing = {"Tc": 0.0, "Tw": 0.0, "Tz": 100.0}
        self.tm = self.tlm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        self.leading = 0.0

    def operator(self, op: bytes, args, cm, size: float) -> None:
        """One operator of the page's drawing, with the transformation in force (`cm`, the reader's)
        and the text size (Tf's). The text matrix is followed here, operator by operator: the
        reader's own is handed over late for some operators."""
        try:
            if op == b"BT":
                self.tm = self.tlm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            elif op == b"Tm" and len(args) == 6:
                self.tm = self.tlm = [float(a) for a in args]
            elif op in (b"Td", b"TD") and len(args) == 2:
                if op == b"TD":
                    self.leading = -float(args[1])
                self._move(float(args[0]), float(args[1]))
            elif op == b"T*":
                self._move(0.0, -self.leading)
            elif op == b"TL" and args:
                self.leading = float(args[0])
            elif op == b"Tf" and args:
                self.font = str(args[0])
            elif op in (b"Tc", b"Tw", b"Tz") and args:
                self.spacing[op.decode()] = float(args[0])
            elif op in (b"Tj", b"TJ") and args:
                self._show(op, args, cm, size)
            elif op == b"'" and args:
                self._move(0.0, -self.leading)
                self._show(op, args, cm, size)
            elif op == b'"' and len(args) == 3:
                self.spacing["Tw"], self.spacing["Tc"] = float(args[0]), float(args[1])
                self._move(0.0, -self.leading)
                self._show(op, args, cm, size)
        except (TypeError, ValueError, IndexError):
            return

    def _move(self, tx: float, ty: float) -> None:
        a, b, c, d, e, f = self.tlm
        self.tm = self.tlm = [a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f]

    def _show(self, op: bytes, args, cm, size: float) -> None:
        font = self.fonts.get(self.font) if self.font else None
        items = list(args[0]) if op == b"TJ" else [args[-1]]
        h = self.spacing["Tz"] / 100
        at = 0.0  # along the line, in text space
        tm = self.tm

        def device(u: float) -> tuple[float, float]:
            x, y = u * tm[0] + tm[4], u * tm[1] + tm[5]
            return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]

        height = abs(tm[3] * cm[3] + tm[2] * cm[1]) * size
        for item in items:
            if isinstance(item, (int, float)):
                at -= float(item) / 1000 * size * h
                continue
            data = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
            if font is None:  # widths unknown: its glyphs are not placed, and the line's end not known
                return
            for code, width in font.codes(data):
                advance = width / 1000 * size
                (x0, y), (x1, _) = device(at), device(at + advance * h)
                if advance > 0 and height > 0:
                    self.glyphs.append(Glyph(min(x0, x1), max(x0, x1), y, height, self.font, code))
                at += (
                    advance + self.spacing["Tc"] + (self.spacing["Tw"] if code == 32 and not font.two_bytes else 0)
                ) * h
        a, b, c, d, e, f = self.tm
        self.tm = [a, b, c, d, at * a + e, at * b + f]

    def found(self) -> tuple[float, float, float] | None:
        """(x, y, size) of the first glyph drawn over another one, or None."""
        buckets: dict[tuple[int, int], list[Glyph]] = {}
        for g in self.glyphs:
            key = (round(g.y / g.size * 2), int(g.x0 // g.size))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    for other in buckets.get((key[0] + dy, key[1] + dx), ()):
                        if _over(g, other):
                            return g.x0, g.y, g.size
            buckets.setdefault(key, []).append(g)
        return None


def _over(a: Glyph, b: Glyph) -> bool:
    if (a.font, a.code) == (b.font, b.code) or abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return False
    if abs(a.y - b.y) > 0.3 * a.size:
        return False
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    narrower = min(a.x1 - a.x0, b.x1 - b.x0)
    return narrower > 0.1 * a.size and overlap >= 0.6 * narrower
