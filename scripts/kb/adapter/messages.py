"""Messages MkDocs prints on every build of this project that say nothing is wrong, quieted so that
what the build and the preview print is worth reading (README: "What the preview prints").

- "A 'dirty' build is being performed, this will likely lead to inaccurate navigation and other
  links within your site": the preview (`kb preview`, `mkdocs serve --dirty`) renders again the
  listing, year and navigation-bearing pages whose inputs changed (events.refresh_listings, the
  navigation cache), and removes the pages that are gone (events.forget_removed_pages); only the
  search catches up when the preview restarts, which the README says.
- "The directory contains stale files. Use --clean to remove them.": mkdocs-static-i18n builds
  the English site into en/ inside the Chinese one's folder, which MkDocs takes for stale files.
  The build stages into a new folder every time (publish.py): nothing is stale.
"""

from __future__ import annotations

import logging

EXPECTED = (
    "A 'dirty' build is being performed",
    "The directory contains stale files.",
)


class ExpectedMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(EXPECTED)


def quiet_expected() -> None:
    """Once per process (the preview keeps its loggers between rebuilds)."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, ExpectedMessages) for f in logger.filters):
        logger.addFilter(ExpectedMessages())
