"""The house's floors: each folder of ita_helpers imports only folders below it, and no module imports
itself through others (a circle). Read from the source's imports, those inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "ita_helpers"
# Lowest first: a folder may import the folders before it, never one after it.
LAYERS = ("core", "domain", "inputs", "analysis", "document", "render", "batch", "agency", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The ita_helpers modules `path` imports, resolved (`from . import x` names the module x)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("ita_helpers")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("ita_helpers"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if (REPO_ROOT / (candidate.replace(".", "/") + ".py")).exists()
                          or (REPO_ROOT / candidate.replace(".", "/")).is_dir() else base)
    return found - {name}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules} for name, path in modules.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_lives_in_a_layer():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(LAYERS)


def test_no_import_from_a_lower_layer_to_a_higher_one():
    upward = sorted(f"{importer} -> {imported}" for importer, targets in graph().items() for imported in targets
                    if layer(importer) is not None and layer(imported) is not None
                    and layer(imported) > layer(importer))
    assert upward == []


def test_no_import_circles():
    edges = graph()
    circles, state = [], {}

    def visit(trail: list[str]) -> None:
        node = trail[-1]
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":  # back to a module still on the trail
                circles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(trail + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit([node])
    assert circles == []
