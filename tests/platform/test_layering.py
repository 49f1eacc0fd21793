"""The platform sits below the runtime: the runtime imports it, never the other way round, so the web
app, the wallboard and the workers run without the ESL stack (the ACD's key layout lives in
hotline.platform.acd for both sides)."""

from __future__ import annotations

import ast
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[2] / "hotline" / "platform"


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            # resolve the relative import against the module's own package
            package = list(path.relative_to(PLATFORM.parent.parent).with_suffix("").parts)[:-1]
            base = package[: len(package) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_platform_module_imports_the_runtime() -> None:
    offenders = {str(p.relative_to(PLATFORM)): [n for n in _imports(p) if n.startswith("hotline.runtime")]
                 for p in PLATFORM.rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}
