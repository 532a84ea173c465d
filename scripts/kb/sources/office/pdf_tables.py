"""Tables in a PDF, read by their ruled lines: the attachment's task breakdown as the text form has it.

A PDF has no tables, only text placed on the page and the lines drawn around it: Word, WPS and a
browser draw each cell's borders as thin filled rectangles or stroked lines. The borders that touch
one another are one table; their places are its grid. Two neighbouring grid cells with no border
between them are one merged cell (a section row across the table, 牵头单位 merged down over several
points). Each piece of text belongs to the cell its first character stands in, and a cell's lines
are joined (a cell wraps its text onto as many lines as its width needs).

The rows come out as the text form writes a Word table's rows (docx_text.plan_lines): cells
separated by tabs, in the grid's columns, a cell merged down repeated in each row it covers, a
cell across columns in the first of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Borders are at most this thick (points); pieces of one border line meet within it.
_THIN = 2.5
_NEAR = 2.0


@dataclass
class TableRow:
    top: float  # the row's upper edge, in page coordinates (y grows upwards)
    bottom: float
    left: float
    right: float
    cells: list[str]
    chunks: list = field(default_factory=list)  # the text pieces in it (pdf_layout.Chunk)
    lines: int = 1  # lines of text the row's tallest cell has, as the editor counts lines
    number: int = 0  # the row's place in its table on this page, from 1 (the header is 1)
    open_below: bool = False  # no line under it: a row the page break cut, going on on the next page


def rules(rects: list[tuple], strokes: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) border lines among the filled rectangles
    (x0, y0, x1, y1, colour) and stroked segments ((x0, y0), (x1, y1)) of a page."""
    horizontal, vertical = [], []
    for x0, y0, x1, y1, *_ in rects:
        if y1 - y0 <= _THIN < x1 - x0:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _THIN < y1 - y0:
            vertical.append(((x0 + x1) / 2, y0, y1))
    for (x0, y0), (x1, y1) in strokes:
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) > _THIN:
            horizontal.append((y0, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) > _THIN:
            vertical.append((x0, min(y0, y1), max(y0, y1)))
    return horizontal, vertical


def _touch(h: tuple, v: tuple) -> bool:
    y, x0, x1 = h
    x, y0, y1 = v
    return x0 - _NEAR <= x <= x1 + _NEAR and y0 - _NEAR <= y <= y1 + _NEAR


def _groups(horizontal: list[tuple], vertical: list[tuple]) -> list[tuple[list[tuple], list[tuple]]]:
    """The border lines that touch one another, each group one table's."""
    items = [("h", h) for h in horizontal] + [("v", v) for v in vertical]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, a) in enumerate(items):
        for j in range(i + 1, len(items)):
            kj, b = items[j]
            if ki != kj:
                joined = _touch(a, b) if ki == "h" else _touch(b, a)
            else:  # pieces of one line, end to end
                joined = abs(a[0] - b[0]) <= _NEAR and a[1] - _NEAR <= b[2] and b[1] - _NEAR <= a[2]
            if joined:
                parent[find(i)] = find(j)
    out: dict[int, tuple[list, list]] = {}
    for i, (kind, line) in enumerate(items):
        group = out.setdefault(find(i), ([], []))
        group[0 if kind == "h" else 1].append(line)
    return [
        g for g in out.values() if len(_places([h[0] for h in g[0]])) >= 2 and len(_places([v[0] for v in g[1]])) >= 2
    ]


def _places(values: list[float]) -> list[float]:
    """Distinct places among `values`, those within _NEAR of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _NEAR:
            out.append(v)
    return out


def tables(chunks: list, horizontal: list[tuple], vertical: list[tuple]) -> tuple[list[list[TableRow]], list]:
    """The page's ruled tables, each as its rows (top first), and the pieces of text outside them."""
    found: list[list[TableRow]] = []
    taken: set[int] = set()
    for hs, vs in _groups(horizontal, vertical):
        xs = _places([v[0] for v in vs])
        # rows end at every horizontal line, and at the ends of the vertical ones (a table that goes
        # on to the next page may have no line at its foot there)
        ys = sorted(_places([h[0] for h in hs] + [v[1] for v in vs] + [v[2] for v in vs]), reverse=True)
        rows = _grid(chunks, xs, ys, hs, vs, taken)
        if rows:
            found.append(rows)
    return found, [c for i, c in enumerate(chunks) if i not in taken]


def _grid(chunks: list, xs: list[float], ys: list[float], hs: list[tuple], vs: list[tuple], taken: set[int]):
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1:
        return []

    def vertical_at(x: float, y: float) -> bool:
        return any(abs(vx - x) <= _NEAR and y0 <= y <= y1 for vx, y0, y1 in vs)

    def horizontal_at(y: float, x: float) -> bool:
        return any(abs(hy - y) <= _NEAR and x0 <= x <= x1 for hy, x0, x1 in hs)

    parent = {(r, c): (r, c) for r in range(nrows) for c in range(ncols)}

    def find(cell):
        while parent[cell] != cell:
            cell = parent[cell]
        return cell

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:  # the upper left cell stands for the merged one
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nrows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for c in range(ncols):
            middle_x = (xs[c] + xs[c + 1]) / 2
            if c + 1 < ncols and not vertical_at(xs[c + 1], middle_y):
                union((r, c), (r, c + 1))
            if r + 1 < nrows and not horizontal_at(ys[r + 1], middle_x):
                union((r, c), (r + 1, c))
    inside: dict[tuple, list] = {}
    for i, chunk in enumerate(chunks):
        px = chunk.x + min(chunk.size, chunk.width) / 2
        py = chunk.y + 0.35 * chunk.size
        if not (xs[0] <= px <= xs[-1] and ys[-1] <= py <= ys[0]):
            continue
        r = next(k for k in range(nrows) if ys[k + 1] <= py)
        c = next(k for k in range(ncols) if px <= xs[k + 1])
        inside.setdefault(find((r, c)), []).append(chunk)
        taken.add(i)
    texts = {cell: _cell_text(pieces) for cell, pieces in inside.items()}
    out: list[TableRow] = []
    for r in range(nrows):
        cells, pieces, lines = [], [], 1
        for c in range(ncols):
            root = find((r, c))
            cells.append(texts.get(root, ("", 0))[0] if root[1] == c else "")
            if root[0] == r and root[1] == c:
                pieces += inside.get(root, [])
                lines = max(lines, texts.get(root, ("", 1))[1])
        if any(cells):
            below = not any(horizontal_at(ys[r + 1], (xs[c] + xs[c + 1]) / 2) for c in range(ncols))
            out.append(TableRow(ys[r], ys[r + 1], xs[0], xs[-1], cells, pieces, lines, len(out) + 1, below))
    return out


def join_cells(upper: list[str], lower: list[str]) -> list[str]:
    """A row cut by a page break: each cell's text on the first page followed by the rest of it."""
    out = []
    for k in range(max(len(upper), len(lower))):
        a = upper[k] if k < len(upper) else ""
        b = lower[k] if k < len(lower) else ""
        space = a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()
        out.append(a + (" " if space else "") + b)
    return out


def _cell_text(pieces: list) -> tuple[str, int]:
    """A cell's text, its wrapped lines joined, and how many lines it has."""
    lines: list[list] = []
    for chunk in sorted(pieces, key=lambda c: (-c.y, c.x)):
        if lines and abs(lines[-1][0].y - chunk.y) <= 0.3 * chunk.size:
            lines[-1].append(chunk)
        else:
            lines.append([chunk])
    text = ""
    for line in lines:
        part = "".join(c.text for c in sorted(line, key=lambda c: c.x)).strip()
        if text and part and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text += " "
        text += part
    # a narrow column's justified line: the reader reports the wide gaps between characters as spaces
    text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text.replace("\t", " "))
    return text, len(lines)
