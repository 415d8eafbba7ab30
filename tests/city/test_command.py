"""`generate-city`: refuses impossible arguments in one line, never duplicates a city."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.models import ProtectedError

from saferoptions.city.management.commands import generate_city as command
from saferoptions.city.management.commands.generate_city import Command
from saferoptions.city.models import SyntheticCity
from saferoptions.events.models import Event
from saferoptions.people.models import Identity

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def evaluation_dir(settings, tmp_path):
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    return settings.EVALUATION_DIR


def generate(*args: str) -> None:
    call_command("generate_city", *args, "--no-link", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("args, field", [
    (["--children", "0", "--seed", "1"], "children"),
    (["--children", "-3", "--seed", "1"], "children"),
    (["--children", "2000001", "--seed", "1"], "children"),
    (["--children", "ten", "--seed", "1"], "children"),
    (["--children", "1.5", "--seed", "1"], "children"),
    (["--children", "10", "--seed", "-1"], "seed"),
    (["--children", "10", "--seed", "x"], "seed"),
    (["--children", "10", "--seed", "1", "--months", "0"], "months"),
    (["--children", "10", "--seed", "1", "--months", "61"], "months"),
])
def test_impossible_arguments_get_a_one_line_reason_naming_them(args, field):
    with pytest.raises(CommandError) as error:
        generate(*args)
    assert field in str(error.value) and "\n" not in str(error.value)
    assert not SyntheticCity.objects.exists()


@pytest.mark.parametrize("args", [
    ["--children", "ten", "--seed", "1"],
    ["--children", "0", "--seed", "1"],
    ["--children", "10", "--seed", "1", "--shoe-size", "9"],
    ["--children", "10", "--seed", "1", "--months"],
    ["--seed", "1"],
])
def test_on_the_command_line_bad_arguments_exit_non_zero_in_one_line(args, capsys, monkeypatch):
    # run_from_argv closes connections when done; the test's transaction needs them open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "generate_city", *args])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert not SyntheticCity.objects.exists()


def test_the_real_command_line_gives_one_line_and_no_traceback():
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "generate_city", "--children", "lots", "--seed", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: --children must be a whole number, not 'lots'"


def test_a_city_is_generated_loaded_and_its_truth_kept_outside(evaluation_dir):
    generate("--children", "150", "--seed", "3")
    loaded = SyntheticCity.objects.get()
    assert (loaded.seed, loaded.children, loaded.months) == (3, 150, 12)
    assert Identity.objects.count() == loaded.counts["identities"] > 150
    for name in ("identities", "groups", "people", "associations", "place_weeks", "escalation"):
        assert (evaluation_dir / "3-150" / f"{name}.parquet").exists()


def test_running_twice_refuses_without_duplicating():
    generate("--children", "150", "--seed", "3")
    identities = Identity.objects.count()
    with pytest.raises(CommandError, match="already loaded"):
        generate("--children", "150", "--seed", "3")
    generate("--children", "150", "--seed", "3", "--skip-if-present")
    assert Identity.objects.count() == identities
    assert SyntheticCity.objects.count() == 1


def test_replace_swaps_the_city_for_another():
    generate("--children", "150", "--seed", "3")
    generate("--children", "120", "--seed", "4", "--replace")
    loaded = SyntheticCity.objects.get()
    assert (loaded.seed, loaded.children) == (4, 120)
    assert Identity.objects.count() == loaded.counts["identities"]
    assert Event.objects.count() == loaded.counts["events"]


def test_linkage_runs_after_loading_when_it_exists(monkeypatch):
    calls = []
    monkeypatch.setattr(command, "link_all_identities", lambda **kw: calls.append(kw))
    call_command("generate_city", "--children", "100", "--seed", "5",
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert calls == [{}]


def test_a_replace_that_cannot_remove_the_old_city_keeps_it(monkeypatch):
    generate("--children", "100", "--seed", "3")

    def refuse(*args, **kwargs):
        raise ProtectedError("Cannot delete: cases refer to the city", set())

    monkeypatch.setattr(command, "remove_city", refuse)
    with pytest.raises(CommandError, match="^Cannot remove the current city: Cannot delete"):
        generate("--children", "100", "--seed", "4", "--replace")
    assert SyntheticCity.objects.get().seed == 3
