"""THE rule for a work point's progress, and the roll-ups of many points.

`shown_progress` decides what every output says a point's progress is: its page, the task page,
the year's roll-ups and both exported task sheets (and so what `kb import tasks` compares a sheet
with). A percentage reported by editors is shown as reported; a point reported completed or closed
out without one is complete (100 %); otherwise its progress is not recorded (None).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...content.model import Entry
from .model import STATUS

DONE = ("completed", "closed-out")
UNREPORTED = "not-reported"  # a point's status before anything is reported


def reported(rollup: Rollup) -> bool:
    """Some point of the set has a status or a progress reported (else nothing to draw)."""
    return rollup.known > 0 or rollup.unreported < rollup.total


def shown_progress(point: Entry) -> int | None:
    """A point's progress in per cent, as every page and sheet shows it (None: not recorded)."""
    if point.data.progress is not None:
        return point.data.progress
    if point.data.status in DONE:
        return 100
    return None


def percent_text(value: int | float) -> str:
    """ "60%": a progress as the site and the CSV sheet write it (the .xlsx keeps the number,
    formatted the same way)."""
    return f"{value}%"


@dataclass
class Rollup:
    """Where a set of work points stands: counts by status and the mean of known progress."""

    total: int
    by_status: dict[str, int]
    known: int  # points whose progress is known (a percentage, or completed / closed out)
    percent: float | None  # mean progress over the known ones; None when nothing is reported

    @property
    def unreported(self) -> int:
        return self.by_status.get(UNREPORTED, 0)


def rollup(points: list[Entry]) -> Rollup:
    by_status = {code: sum(1 for p in points if p.data.status == code) for code in STATUS.codes}
    known = [v for v in (shown_progress(p) for p in points) if v is not None]
    return Rollup(len(points), by_status, len(known), sum(known) / len(known) if known else None)
