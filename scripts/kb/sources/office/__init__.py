"""The office's files, by format and part: what a file is and reading a Word package safely
(`files`), Word's automatic numbers (`numbering`), the text Word prints and a plan's lines
(`docx_text`), an article as a record (`record_writer`), and the layout of a PDF's text layer
(`pdf_layout`)."""
