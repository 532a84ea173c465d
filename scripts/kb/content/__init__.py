"""The content model: schemas and vocabularies, parsing and validating front matter, loading the
tree, cross-file checks, markers, links, grouping and the site's words in each language.
Imports nothing from sources, outputs or adapter, and nothing from MkDocs."""
