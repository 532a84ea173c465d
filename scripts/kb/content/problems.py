"""Problems found in editors' files: always a file, a line and a message in Chinese with the fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # as the editor sees it, e.g. "docs/lectures/2024-03-01-x.md"
    line: int  # 1-based line in that file
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "警告："
        return f"{self.path}:{self.line}: {tag}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def format_report(problems: list[Problem]) -> str:
    """The text printed by `kb check` and by a refused build."""
    errs = errors(problems)
    warns = [p for p in problems if p.severity != "error"]
    lines = [str(p) for p in sorted(problems)]
    summary = f"共发现 {len(errs)} 个错误、{len(warns)} 个警告。"
    if errs:
        summary += "请按提示修改后重新检查：kb check"
    return "\n".join(lines + [summary])
