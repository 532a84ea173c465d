"""The content model of the engine: what a collection declaration is (collection.py), the field
types (fields.py), vocabularies, the one address rule (urls.py), parsing and validating front
matter, loading the tree, cross-file checks, markers, links, grouping and the site's shared words.
Names no collection (each is declared in scripts/kb/collections/); imports nothing from sources,
outputs, collections or adapter, and nothing from MkDocs."""
