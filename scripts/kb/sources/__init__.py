"""What comes in from the office and goes back to it: the issued plan text, the task sheet (in and
out), `kb new` scaffolding and round-trip front-matter edits; the importers. May import content only."""
