"""The layout of scripts/kb/ follows the data, and the imports follow the layout.

Packages, lowest first: the generic engine, `content` (the content model) < `sources` (what comes
in from the office and goes back to it) < `outputs` (what the site publishes); then
`collections` (one folder per content type) < `adapter` (MkDocs) < the command (`cli.py`,
`__main__.py`). A module may import from its own package and from lower ones only; only the
adapter imports MkDocs or Material; no two modules import each other, directly or through
others. Imports inside functions count as much as those at the top. And nothing outside
`collections/` names a collection: no declaration, model or vocabulary of one, no collection's
name or folder in its code (docstrings, comments and messages to editors may explain with an
example); mkdocs.yml names none either (tests/test_new_collection.py proves a new collection needs
no edit elsewhere).

A small AST walk rather than import-linter or ruff's banned-api: no new tool to install, lazy
imports are seen, and the rules (order, the MkDocs boundary, circles, names) are the few lines below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "scripts" / "kb"
LAYERS = {"content": 0, "sources": 1, "outputs": 2, "collections": 3, "adapter": 4}
TOP = 5  # cli.py, __main__.py, __init__.py
MKDOCS_PACKAGES = ("mkdocs", "material", "mkdocs_static_i18n", "properdocs")


def module_name(path: Path, kb: Path) -> str:
    parts = path.relative_to(kb.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[2], TOP) if len(parts) > 2 and parts[2] in LAYERS else TOP


def imports_of(path: Path, module: str, known: set[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones resolved; `from p
    import m` counts as importing p.m when p.m is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in known else target, node.lineno))
    return found


def layout_problems(kb: Path) -> list[str]:
    files = sorted(kb.rglob("*.py"))
    names = {module_name(f, kb): f for f in files}
    known = set(names)
    problems, graph = [], {}
    for module, path in names.items():
        rel = path.relative_to(kb.parent.parent)
        graph[module] = set()
        for target, line in imports_of(path, module, known):
            top = target.split(".")[0]
            if top in MKDOCS_PACKAGES and layer_of(module) != LAYERS["adapter"]:
                problems.append(f"{rel}:{line}: imports {target}; only scripts/kb/adapter/ may import MkDocs")
            if not target.startswith("scripts.kb"):
                continue
            if target not in known:  # a package's __init__ or an attribute: its package
                target = target.rpartition(".")[0] if target.rpartition(".")[0] in known else target
            if target in known and target != module:
                graph[module].add(target)
                if layer_of(target) > layer_of(module):
                    problems.append(f"{rel}:{line}: imports {target}, from a higher layer")
    problems += [f"import circle: {' -> '.join(cycle)}" for cycle in circles(graph)]
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a list."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_layout_has_packages_by_stage():
    assert {p.name for p in KB.iterdir() if (p / "__init__.py").is_file()} >= set(LAYERS)
    top_level = sorted(p.name for p in KB.glob("*.py"))
    assert len(top_level) <= 5, top_level


def test_imports_follow_the_layers_and_close_no_circle():
    assert layout_problems(KB) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    kb = tmp_path / "scripts" / "kb"
    for name in ["__init__.py", *(f"{p}/__init__.py" for p in LAYERS)]:
        (kb / name).parent.mkdir(parents=True, exist_ok=True)
        (kb / name).write_text("")
    for name, text in files.items():
        (kb / name).write_text(text)
    return kb


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # the content model reaching up into what the site publishes
        ({"content/model.py": "from ..outputs import render\n", "outputs/render.py": ""}, "from a higher layer"),
        # the same, lazily inside a function, and in absolute form
        (
            {"content/checks.py": "def f():\n    from scripts.kb.adapter import events\n", "adapter/events.py": ""},
            "from a higher layer",
        ),
        # MkDocs outside the adapter
        ({"outputs/page_view.py": "from mkdocs.utils import get_relative_url\n"}, "only scripts/kb/adapter/"),
        # two modules of one package importing each other
        ({"outputs/a.py": "from . import b\n", "outputs/b.py": "from .a import x\n"}, "import circle"),
    ],
)
def test_the_check_catches_a_forbidden_import(tmp_path, files, expected):
    problems = layout_problems(_tree(tmp_path, files))
    assert any(expected in p for p in problems), problems


# --- nothing outside collections/ names a collection ----------------------------------------------


def collection_words(registry) -> tuple[set[str], set[str], set[str]]:
    """(Python names, collection names, folder prefixes) that name a collection: its declaration's
    and its models' and vocabularies' names, its name (`kb new lecture`), and the docs folders its
    pages live in ("lectures/", "plan/")."""
    import importlib

    from scripts.kb.content.collection import Collection
    from scripts.kb.content.vocab import Vocabulary

    python_names, folders = set(), set()
    for c in registry:
        if c is registry.page:
            continue
        python_names |= {c.model.__name__, c.translation_model.__name__}
        folders |= {
            p.split("/", 1)[0] + "/" for p in c.patterns if "/" in p and not any(ch in p.split("/")[0] for ch in "*?[")
        }
    generic = {"Translation"}
    for home in {registry.home(c) for c in registry if registry.home(c) is not None}:
        for path in home.rglob("*.py"):
            module = importlib.import_module(module_name(path, KB))
            for name, value in vars(module).items():
                if isinstance(value, Collection | Vocabulary) and getattr(value, "name", None) != "visibility":
                    python_names.add(name)
    names = {c.name for c in registry if c is not registry.page}
    return python_names - generic, names, folders


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def naming_problems(path: Path, python_names: set[str], names: set[str], folders: set[str]) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = _docstrings(tree)
    rel = path.relative_to(ROOT)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in python_names:
            out.append(f"{rel}:{node.lineno}: names {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in python_names:
            out.append(f"{rel}:{node.lineno}: names {node.attr}")
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in python_names:
            out.append(f"{rel}:{node.lineno}: imports {node.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if any(ch.isspace() for ch in node.value):
                continue  # prose (a message to editors may give an example path), not a name or path in code
            if node.value in names:
                out.append(f"{rel}:{node.lineno}: names the collection {node.value!r}")
            for folder in folders:
                if node.value.startswith(folder) or f"/{folder}" in node.value:
                    out.append(f"{rel}:{node.lineno}: names the folder {folder!r} in {node.value[:60]!r}")
    return out


def test_nothing_outside_collections_names_a_collection():
    from scripts.kb.collections import REGISTRY

    python_names, names, folders = collection_words(REGISTRY)
    assert {"WORK_POINT", "WorkPoint", "STATUS", "point", "lecture", "plan/", "lectures/"} <= (
        python_names | names | folders
    )
    engine = [p for p in sorted(KB.rglob("*.py")) if "collections" not in p.relative_to(KB).parts]
    problems = [
        m
        for path in [*engine, ROOT / "scripts" / "hooks.py"]
        for m in naming_problems(path, python_names, names, folders)
    ]
    assert problems == []


def test_mkdocs_yml_names_no_collection():
    import yaml

    from scripts.kb.collections import REGISTRY

    _, names, folders = collection_words(REGISTRY)
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = yaml.load(text, Loader=_IgnoreTags)
    assert "not_in_nav" not in config
    paths = json_strings(config.get("nav", []))
    assert not [p for p in paths if any(p.startswith(f) for f in folders)], paths
    titles = {t for c in REGISTRY for t in c.titles.values()}
    languages = config["plugins"][[next(iter(p)) for p in config["plugins"] if isinstance(p, dict)].index("i18n") + 1]
    assert languages  # the i18n plugin's settings are where the menu labels would be
    assert not titles & set(json_strings(config)), "a collection's title in mkdocs.yml"


class _IgnoreTags(yaml_loader := __import__("yaml").SafeLoader):
    pass


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def json_strings(value) -> list[str]:
    """Every string in a YAML value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in json_strings(k) + json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in json_strings(v)]
    return []
