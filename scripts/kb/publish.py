"""Staged publishing: a build goes to its own folder and replaces the site only when it succeeded."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.utils import CountHandler

from .i18n_workarounds import is_nested_build


class StagedOutput:
    """Build into `<site_dir>.building` and move it into place only when every language is done,
    so a failed build leaves the previous site exactly as it was.

    mkdocs-static-i18n runs the other languages' builds from inside its own on_post_build, each
    calling on_config and on_post_build again; only the outermost build may publish.
    """

    def __init__(self) -> None:
        self.final: Path | None = None
        self.warnings = None

    def redirect(self, config, command: str) -> None:
        if command != "build" or self.final is not None:
            return  # `mkdocs serve` builds into its own temporary folder; nested builds keep ours
        # MkDocs raises its strict-mode abort only after on_post_build, so count warnings here
        # to avoid publishing a build that is about to fail.
        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.final = Path(config["site_dir"])
        staging = self.final.with_name(self.final.name + ".building")
        _remove(staging)
        config["site_dir"] = str(staging)

    def publish(self, config) -> None:
        if self.final is None or is_nested_build(config):
            return
        if config["strict"] and self.warnings.get_counts():
            self.abandon(config)  # MkDocs aborts right after this event
            return
        staging = Path(config["site_dir"])
        old = self.final.with_name(self.final.name + ".old")
        _remove(old)
        if self.final.exists():
            self.final.rename(old)
        staging.rename(self.final)
        _remove(old)
        self._reset(config)

    def abandon(self, config) -> None:
        if self.final is None:
            return
        _remove(Path(config["site_dir"]))
        self._reset(config)

    def _reset(self, config) -> None:
        config["site_dir"] = str(self.final)
        self.final = None
        logging.getLogger("mkdocs").removeHandler(self.warnings)


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
