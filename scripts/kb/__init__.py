"""The knowledge base: content model, validation, rendering and the `kb` command."""
