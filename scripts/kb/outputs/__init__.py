"""What the site publishes, for any collection: listings and their templates, page headers, feeds,
the search index, photos, share cards, CSP hashes, HTML fixes. What one collection publishes of its
own (the plan's derived pages and task sheets, the events calendar) is in its folder under
scripts/kb/collections/. May import content and sources; never MkDocs."""
