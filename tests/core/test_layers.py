"""The layers import one way (docs/architecture.md, "Layers"), and the check would notice if
they stopped doing so: an upward import added to a copy of the package breaks the contract."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """Run the project's contracts on the copy of `saferoptions` found under package_parent."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(  # noqa: S603 (our own venv's tool, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=300, check=False)


def copy_of_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "saferoptions", tmp_path / "saferoptions",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    return tmp_path


@pytest.mark.slow
def test_the_package_keeps_its_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("module", "upward"), [
    ("core/clock.py", "saferoptions.cases.models"),          # a foundation reaching up
    ("access/rules.py", "saferoptions.interventions.models"),  # the policy reaching a domain
    ("web/errors.py", "saferoptions.tasks.models"),           # web reaching a domain's internals
    ("cases/forms.py", "saferoptions.city.generator"),       # anything reaching the demo
])
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    parent = copy_of_package(tmp_path)
    target = parent / "saferoptions" / module
    target.write_text(f"import {upward}  # noqa\n" + target.read_text())
    result = lint_imports(parent)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    name = "saferoptions." + module.removesuffix(".py").replace("/", ".")
    assert f"{name} -> {upward}" in result.stdout


@pytest.mark.slow
def test_analytics_may_not_use_django(tmp_path):
    parent = copy_of_package(tmp_path)
    target = parent / "saferoptions" / "analytics" / "__init__.py"
    target.write_text("import django.db  # noqa\n" + target.read_text())
    result = lint_imports(parent)
    assert result.returncode != 0
    assert "saferoptions.analytics" in result.stdout and "django" in result.stdout
