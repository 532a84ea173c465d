"""Running `mkdocs build` on a docs tree with the project's real configuration, in a subprocess,
for the tests and the benchmark.

The project's mkdocs.yml is inherited; only the docs and site folders change, and the paths that
MkDocs resolves relative to the config file (hooks, theme overrides) are made absolute.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def write_config(docs_dir: Path, site_dir: Path, path: Path, *, root: Path = ROOT, **overrides) -> Path:
    """`root`: the checkout whose configuration, hooks and theme overrides are used (the
    benchmark's --compare builds another commit's checkout)."""
    config = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(Path(docs_dir).resolve()),
        "site_dir": str(Path(site_dir).resolve()),
        "hooks": [str(root / "scripts" / "hooks.py")],
        "theme": {"name": "material", "custom_dir": str(root / "overrides")},
        **overrides,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def build(
    docs_dir: Path,
    site_dir: Path,
    *,
    config_path: Path | None = None,
    env: dict | None = None,
    strict: bool = True,
    engine: str = "mkdocs",
    verbose: bool = False,
    **overrides,
):
    """Run `mkdocs build` in a subprocess (as editors and CI do) and return the CompletedProcess.
    `engine="properdocs"` builds with ProperDocs, the maintained continuation of MkDocs 1.x, from
    the same configuration (scripts/engine_check.py compares the two).

    The config is written beside the site folder; with KB_EDITION=members a site folder named
    `site` there is replaced by `site-members` (see adapter.keep_members_edition_apart)."""
    config_path = config_path or Path(site_dir).parent / "mkdocs.test.yml"
    write_config(docs_dir, site_dir, config_path, **overrides)
    cmd = [sys.executable, "-m", engine, "build", "-f", str(config_path)]
    if strict:
        cmd.append("--strict")
    if verbose:  # MkDocs' debug messages too (what the build did in other processes)
        cmd.append("-v")
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, env=run_env, cwd=ROOT)
