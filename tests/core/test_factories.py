"""One factory per model, in the tests of the app that defines the model.

A second UserFactory in another app's tests drifts from the first (another default role, no
agency, no password) until the same words mean different people in different tests; a factory
for cases' models kept in access's tests is not found by whoever changes the cases model.
"""

import ast
import importlib
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from factory.django import DjangoModelFactory

TESTS = Path(__file__).resolve().parents[1]
ROW_BUILDERS = {"create", "get_or_create", "update_or_create", "bulk_create"}


def _module_name(path: Path) -> str:
    return ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))


def _classes_defined(path: Path) -> list[str]:
    """Top-level classes the file itself defines (names it only imports are not counted)."""
    tree = ast.parse(path.read_text())
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


def _factories() -> dict[str, list[tuple[str, str]]]:
    """Model label -> [(module, factory class)] for every factory defined under tests/."""
    found = defaultdict(list)
    for path in sorted(TESTS.rglob("factories.py")):
        module = importlib.import_module(_module_name(path))
        for name in _classes_defined(path):
            made = getattr(module, name)
            if isinstance(made, type) and issubclass(made, DjangoModelFactory):
                found[made._meta.get_model_class()._meta.label].append((module.__name__, name))
    return found


def test_each_model_has_one_factory_in_the_tests_of_the_app_that_defines_it():
    ours = {config.label for config in apps.get_app_configs()
            if config.name.startswith("saferoptions.")}
    problems = []
    for label, where in sorted(_factories().items()):
        if len(where) > 1:
            problems.append(f"{label} has {len(where)} factories: {where}")
        app_label = label.split(".")[0]
        home = f"tests.{app_label}.factories"
        if app_label in ours and any(module != home for module, _ in where):
            problems.append(f"{label}'s factory belongs in {home}, not {where}")
    assert problems == []


def test_factories_live_only_in_factories_modules():
    """A factory class declared in a test module or conftest is a second home for its model."""
    stray = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "factories.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                    ast.unparse(base).endswith(("Factory", "DjangoModelFactory"))
                    for base in node.bases):
                stray.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.name}")
    assert stray == []


def test_factories_modules_build_rows_only_through_factories():
    """Helpers in factories modules build scenarios out of factories, not rows by hand."""
    by_hand = []
    for path in sorted(TESTS.rglob("factories.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ROW_BUILDERS
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "objects"):
                by_hand.append(f"{path.relative_to(TESTS)}:{node.lineno} "
                               f"{ast.unparse(node.func)}")
    assert by_hand == []
