"""The knowledge base, laid out as the data flows: `content` (the content model) is read from
docs/, `sources` brings the office's files in (and the task sheet back out), `outputs` turns the
model into what the site publishes, and `adapter` wires all of it into MkDocs; `cli` is the `kb`
command on top. Each package imports only from itself and the packages before it in that list
(tests/test_layers.py)."""
