"""Run `mkdocs serve --dirty`'s rebuild loop in this process, without the HTTP server, and print
what the build machinery holds after each rebuild (one JSON object per line).

Used by test_preview.py. MkDocs' serve command loads the configuration afresh for every rebuild
but keeps the plugins that have an on_startup event (mkdocs-static-i18n, Material's search), and
the hooks module, for the life of the process: whatever they keep grows unless a build resets it.

    python tests/serve_probe.py CONFIG RECORD REBUILDS
    python tests/serve_probe.py --listings CONFIG RECORD OUTPUTS   (see `listings`)
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path


def held(config) -> dict:
    i18n = config.plugins.get("i18n")
    material_search = config.plugins.get("material/search")
    previous = getattr(material_search, "search_index_prev", None)
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    return {
        "i18n_search_entries": len(i18n.search_entries),
        "material_search_entries": len(material_search.search_index.entries),
        "material_previous_index_entries": len(previous.entries) if previous is not None else 0,
        "log_handlers": sum(len(lg.handlers) for lg in loggers),
        "log_filters": sum(len(lg.filters) for lg in loggers),
    }


def main(config_file: str, record: str, rebuilds: int) -> None:
    # mkdocs-static-i18n decides whether its further languages' builds are dirty from sys.argv
    sys.argv = ["mkdocs", "serve", "--dirty"]
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="kb-serve-probe-")
    serve_url = "http://127.0.0.1:8000/"

    def get_config():  # as mkdocs.commands.serve does for every rebuild
        config = load_config(config_file=config_file, site_dir=site_dir, strict=False)
        config.site_url = serve_url
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=serve_url, dirty=True)
    print("initial " + json.dumps(held(config)), flush=True)
    path = Path(record)
    original = path.read_text("utf-8")
    try:
        for n in range(rebuilds):
            path.write_text(original + f"\n\n第 {n + 1} 次保存。\n", "utf-8")
            config = get_config()
            build(config, serve_url=serve_url, dirty=True)
            print(json.dumps(held(config)), flush=True)
    finally:
        path.write_text(original, "utf-8")


def listings(config_file: str, record: str, outputs: str) -> None:
    """Save the record's body, then its title, rebuilding after each as `mkdocs serve --dirty`
    does; print for each which of `outputs` (site paths, comma-separated) were written again,
    which of them show the new title, and whether the record's page shows the edit."""
    sys.argv = ["mkdocs", "serve", "--dirty"]
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = Path(tempfile.mkdtemp(prefix="kb-serve-probe-"))
    serve_url = "http://127.0.0.1:8000/"

    def rebuild() -> None:
        config = load_config(config_file=config_file, site_dir=str(site_dir), strict=False)
        config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    config = load_config(config_file=config_file, site_dir=str(site_dir), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    rebuild()
    path = Path(record)
    original = path.read_text("utf-8")
    page = site_dir / Path(record).parent.name / path.stem / "index.html"
    watched = [site_dir / name for name in outputs.split(",")]
    try:
        for label, edited in (
            ("body", original + "\n\n正文改动一处。\n"),
            ("title", original.replace("title: ", "title: 改过的标题", 1)),
        ):
            before = {p: p.stat().st_mtime_ns for p in watched}
            path.write_text(edited, "utf-8")
            rebuild()
            report = {
                "edit": label,
                "written": sorted(str(p.relative_to(site_dir)) for p in watched if p.stat().st_mtime_ns != before[p]),
                "show_title": sorted(
                    str(p.relative_to(site_dir)) for p in watched if "改过的标题" in p.read_text("utf-8")
                ),
                "page_shows_body": "正文改动一处" in page.read_text("utf-8"),
            }
            print(json.dumps(report, ensure_ascii=False), flush=True)
    finally:
        path.write_text(original, "utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "--listings":
        listings(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
