"""What comes in from the office, for any collection: Word and PDF files, spreadsheets read safely
and written formula-proof, phone photos, `kb new` scaffolding, `kb mv` and round-trip front-matter
edits. A collection's own importers (the plan's text, its task sheet, the proposal list) are in its
folder under scripts/kb/collections/. May import content only."""
