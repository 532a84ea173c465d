"""The published address as mkdocs.yml sets it, for code that runs without MkDocs (`kb check`,
`kb export`): the same value the build gets, KB_SITE_URL or the file's default."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def site_url() -> str:
    class _Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        names = loader.construct_sequence(node)
        return next((os.environ[n] for n in names[:-1] if n in os.environ), names[-1])

    _Loader.add_constructor("!ENV", env)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_Loader)
    return config.get("site_url") or "/"
