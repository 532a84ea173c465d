"""Word and PDF files from the office: the names the importers use, from `sources/office/`.

- what a file is and reading a Word package safely: `office/files.py`;
- Word's automatic numbering: `office/numbering.py`;
- the text Word prints, and a Word plan as the issued-text form: `office/docx_text.py`;
- a PDF plan's text layer by layout: `office/pdf_layout.py`, its ruled tables `office/pdf_tables.py`;
- an article as a record (Markdown and its pictures): `office/record_writer.py`.
"""

from __future__ import annotations

from .office.docx_text import PlanLines, located_message, paragraph_message, paragraph_text, plan_lines
from .office.files import (
    WORD_LIMITS,
    Kind,
    WordError,
    identify,
    load_docx,
    open_docx,
    parse_xml,
    read_member,
    read_source,
    refusal,
)
from .office.numbering import Level, Numbering, NumberingError, format_number
from .office.pdf_layout import pdf_plan_lines
from .office.record_writer import (
    Picture,
    Record,
    _protect_start,
    body_with_pictures,
    convert_record,
    escape,
    pandoc_tree,
    prepare_pictures,
)

__all__ = [
    "WORD_LIMITS",
    "Kind",
    "Level",
    "Numbering",
    "NumberingError",
    "Picture",
    "PlanLines",
    "Record",
    "WordError",
    "_protect_start",
    "body_with_pictures",
    "convert_record",
    "escape",
    "format_number",
    "identify",
    "load_docx",
    "located_message",
    "open_docx",
    "paragraph_message",
    "paragraph_text",
    "parse_xml",
    "pandoc_tree",
    "pdf_plan_lines",
    "plan_lines",
    "prepare_pictures",
    "read_member",
    "read_source",
    "refusal",
]
