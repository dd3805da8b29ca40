"""The house rules a test can check. The test suite's own: fixtures are shared through
conftest.py, helpers through tests/support; no test imports another test module or a conftest
(pytest would collect the imported tests twice, and a fixture imported by name hides where it
comes from). The app's: no module grows past the size where it becomes a package of rooms."""

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


# STYLE.md: "a module past ~400 lines becomes a sub-package". The line is drawn at 450, so a
# module near 400 can take a fix without a split; past it, the module is split into rooms
# (as dossiers/services/ and materials/decks/services/ are).
PACKAGES = ("app", "sessions", "registrations", "dossiers", "materials", "reports")
MAX_LINES = 450


def test_no_module_of_the_app_is_past_the_size_where_it_becomes_a_package():
    root = TESTS.parent
    long = sorted(
        f"{path.relative_to(root)}: {lines} lines"
        for package in PACKAGES
        for path in (root / package).rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    )
    assert long == []
