"""The test tree itself: pytest's default import mode needs unique basenames outside packages."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent


def _module_name(path: Path) -> str:
    """The name pytest imports a test file under: dotted through __init__.py packages, else the basename."""
    parts = [path.stem]
    parent = path.parent
    while (parent / "__init__.py").exists():
        parts.insert(0, parent.name)
        parent = parent.parent
    return ".".join(parts)


def test_test_modules_have_unique_import_names():
    seen: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("*.py"):
        if path.name.startswith("test_"):
            seen[_module_name(path)].append(str(path.relative_to(TESTS)))
    clashes = {name: files for name, files in seen.items() if len(files) > 1}
    assert not clashes, f"rename one of each pair (pytest would refuse to collect them): {clashes}"
