"""Every third-party module the shipped code imports is a declared dependency.

Regression: ``repgraph.ftm.judgements`` imported nomenklatura, which was installed on the
developers' machine but not declared: on a fresh clone ``make test`` stopped at collection
and ``export-ftm``/``import-ftm`` crashed on any input. The test extra is checked the same
way for the tests' own imports."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _declared(*groups: list[str]) -> set[str]:
    return {_canonical(Requirement(r).name) for g in groups for r in g}


def _top_level_imports(folder: Path) -> dict[str, str]:
    """module -> first file importing it, for absolute imports outside the project."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _undeclared(folder: Path, declared: set[str], own: set[str]) -> list[str]:
    dists = packages_distributions()
    missing = []
    for module, where in _top_level_imports(folder).items():
        if module in sys.stdlib_module_names or module in own:
            continue
        owners = {_canonical(d) for d in dists.get(module, [])}
        if not owners & declared:
            missing.append(f"{module} (imported by {where}; installed from {sorted(owners) or 'nothing'})")
    return sorted(missing)


def test_shipped_code_imports_only_declared_dependencies():
    assert _undeclared(ROOT / "src", _declared(PYPROJECT["dependencies"]), {"repgraph"}) == []


@pytest.mark.parametrize("folder", ["tests", "bench"])
def test_tests_and_bench_import_only_declared_dependencies(folder):
    declared = _declared(PYPROJECT["dependencies"], PYPROJECT["optional-dependencies"]["test"])
    own = {"repgraph", "bench", "conftest", "api_access"} | {p.stem for p in (ROOT / folder).glob("*.py")}
    assert _undeclared(ROOT / folder, declared, own) == []
