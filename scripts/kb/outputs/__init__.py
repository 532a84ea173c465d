"""What the site publishes: listings and their templates, page headers, the plan's derived pages,
feeds and calendar, the search index, photos, CSP hashes, HTML fixes. May import content and
sources (the published task sheet is the exported one); never MkDocs."""
