"""The MkDocs adapter: what the hooks call (events), the navigation derived from the collections
(nav), MkDocs' file discovery (inventory), the i18n plugin's workarounds, staged publishing and the
build runner. The only package that imports
MkDocs or Material; may import every other package."""
