"""The test suite's own house rule: fixtures are shared through conftest.py, helpers through
tests/support; no test imports another test module or a conftest (pytest would collect the
imported tests twice, and a fixture imported by name hides where it comes from)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SHARED = ("tests.support", "tests.smtp")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_tests_import_helpers_only_from_tests_support():
    wrong = sorted(
        f"{path.relative_to(TESTS.parent)} imports {module}"
        for path in TESTS.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("tests.") and not module.startswith(SHARED)
    )
    assert wrong == []
