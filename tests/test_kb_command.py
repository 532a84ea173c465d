"""The editors' command is `kb` (issue 30): installed with the project (requirements.txt installs
it, pyproject.toml names it), and it is what the README, the guide and every message tell editors
to type, never a developer's `.venv/bin/python -m scripts.kb …`."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from kb_testlib import DOCS, ROOT

DEVELOPERS = re.compile(r"python -m scripts\.kb\b")


def test_kb_is_installed_with_the_project_and_runs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["scripts"]["kb"] == "scripts.kb.cli:main"
    assert "-e ." in (ROOT / "requirements.txt").read_text("utf-8").splitlines()
    kb = Path(sys.executable).parent / "kb"  # where `pip install -r requirements.txt` puts it
    assert kb.is_file(), f"{kb} is missing: the README's install command installs it"
    result = subprocess.run([str(kb), "check"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共发现 0 个错误" in result.stdout
    usage = subprocess.run([str(kb), "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120).stdout
    assert usage.startswith("用法：kb ") and "preview" in usage and "build" in usage


def test_the_readme_and_the_guide_tell_editors_to_type_kb():
    guide = [DOCS / "guide" / "index.md", DOCS / "guide" / "index.en.md"]
    for path in guide:
        text = path.read_text("utf-8")
        assert not DEVELOPERS.search(text), f"{path}: {DEVELOPERS.search(text).group(0)}"
        assert "kb preview" in text and "kb check" in text and "kb new lecture" in text
    readme = (ROOT / "README.md").read_text("utf-8")
    editors = readme[readme.index("## For editors") :]
    assert not DEVELOPERS.search(editors) and "\nkb check" in editors
    assert ".venv/bin/kb preview" in readme  # the first command a newcomer runs


def test_messages_name_the_kb_command():
    for path in (ROOT / "scripts" / "kb").rglob("*.py"):
        text = path.read_text("utf-8")
        for line in text.splitlines():
            if DEVELOPERS.search(line) and not line.lstrip().startswith(("#", '"""')):
                assert "also `python -m scripts.kb`" in line, f"{path}: {line.strip()}"
