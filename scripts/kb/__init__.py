"""The knowledge base, laid out as the data flows. The engine: `content` (the content model) is
read from docs/, `sources` brings the office's files in (and sheets back out), `outputs` turns the
model into what the site publishes. Above it, `collections` holds one folder per content type, the
only place a collection is named; `adapter` wires all of it into MkDocs; `cli` is the `kb` command
on top. Each package imports only from itself and the packages before it in that list
(tests/test_layers.py)."""

import os

# The published files do not depend on what else happens to be installed: openpyxl writes a
# workbook's XML with lxml when lxml is importable (python-docx brings it into the test
# environment) and with the standard library otherwise, and the bytes differ. Every process of the
# project writes with the standard library's, decided here, before anything imports openpyxl.
os.environ["OPENPYXL_LXML"] = "False"
