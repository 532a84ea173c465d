"""One folder per content type: the only place a collection is named.

Each folder here declares its collections (`COLLECTIONS`: `content.collection.Collection`) and,
optionally, what it adds to the engine (`EXTENSION`: `content.collection.Extension`), and holds
its words (`strings.yml`), its archetype for `kb new` (`archetype.md`) and its listing
templates (`templates/`). `REGISTRY` is every folder's declarations, found by looking at the
folders: a new collection is a new folder, with nothing to add elsewhere (README, "Adding a
collection"). The engine below (content, sources, outputs) and the MkDocs adapter above read
only the registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from ..content.collection import PAGE, Collection, Extension, Registry


def discover(package: str = __name__, path: list[str] | None = None) -> Registry:
    """Every collection declared by the folders of `package` (this one by default), and the
    catch-all page. Folders come in menu order (the lowest `menu_order` they declare, then by
    name), a folder's own collections in their declared order."""
    collections: list[Collection] = []
    extensions: dict[str, Extension] = {}
    homes: dict[str, Path] = {}
    modules = [
        importlib.import_module(f"{package}.{info.name}")
        for info in pkgutil.iter_modules(path if path is not None else __path__)
        if info.ispkg
    ]
    for module in sorted(modules, key=_menu_place):
        home = Path(module.__file__).parent
        declared = tuple(getattr(module, "COLLECTIONS", ()))
        if not declared:
            raise ValueError(f"{home}: declares no COLLECTIONS")
        for c in declared:
            if any(c.name == other.name for other in collections):
                raise ValueError(f"{home}: a collection named {c.name!r} is declared twice")
            collections.append(c)
            homes[c.name] = home
            extension = getattr(module, "EXTENSION", None)
            if extension is not None:
                extensions[c.name] = extension
    registry = Registry((*collections, PAGE), extensions, homes)
    registry.words()  # the collections' words join the site's
    return registry


def _menu_place(module) -> tuple:
    orders = [c.menu_order for c in getattr(module, "COLLECTIONS", ()) if c.menu_order is not None]
    return (min(orders) if orders else float("inf"), module.__name__)


REGISTRY = discover()
