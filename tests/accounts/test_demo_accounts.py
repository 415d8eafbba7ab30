"""Demo accounts: one per role, idempotent, stable passwords, codes for demo accounts only."""

import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.accounts import demo, otp
from saferoptions.core.models import Role, User

from .factories import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_file(settings, tmp_path):
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    return settings.ACCOUNTS_DEMO_FILE


def _snapshot():
    users = list(User.objects.order_by("username").values_list(
        "username", "password", "role", "agency_id", "team_id", "locality_id", "is_staff"))
    devices = list(TOTPDevice.objects.order_by("id").values_list("user__username", "key",
                                                                 "confirmed"))
    return users, devices


def test_one_account_per_role_with_a_confirmed_device(demo_file, capsys):
    call_command("create_demo_accounts")
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert TOTPDevice.objects.filter(confirmed=True).count() == len(Role)
    out = capsys.readouterr().out
    passwords = json.loads(demo_file.read_text())
    hub = passwords["demo-hub-practitioner"]["password"]
    assert hub in out
    device = otp.confirmed_device(User.objects.get(username="demo-hub-practitioner"))
    assert otp.secret_text(device) in out
    assert User.objects.get(username="demo-hub-practitioner").check_password(hub)
    assert stat.S_IMODE(demo_file.stat().st_mode) == 0o600
    admin = User.objects.get(role=Role.SYSTEM_ADMINISTRATOR)
    assert admin.is_staff and not admin.is_superuser
    assert not User.objects.get(role=Role.ANALYST).is_staff


def test_running_twice_changes_nothing(demo_file, capsys):
    call_command("create_demo_accounts")
    first_out = capsys.readouterr().out
    before, file_before = _snapshot(), demo_file.read_text()
    call_command("create_demo_accounts")
    assert capsys.readouterr().out == first_out
    assert _snapshot() == before
    assert demo_file.read_text() == file_before


def test_every_account_is_placed_in_reference_data(demo_file):
    demo.create_all()
    for user in User.objects.filter(username__startswith="demo-"):
        assert user.agency is not None
        if user.team is not None:
            assert user.team.agency_id == user.agency_id


def test_otp_code_prints_the_current_code_for_demo_accounts(demo_file, capsys):
    demo.create_all()
    capsys.readouterr()
    call_command("otp_code", "demo-analyst")
    code = capsys.readouterr().out.strip()
    device = otp.confirmed_device(User.objects.get(username="demo-analyst"))
    assert code == otp.current_code(device) and len(code) == 6
    assert device.verify_token(code)


def test_otp_code_refuses_other_accounts(demo_file):
    demo.create_all()
    real = DeviceFactory(user__username="real-worker")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp_code", real.user.username)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp_code", "nobody")
    # Listing a real account in the demo file does not make it one.
    listed = json.loads(demo_file.read_text()) | {"real-worker": {"password": "x"}}
    demo_file.write_text(json.dumps(listed))
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp_code", "real-worker")


def test_a_random_password_too_like_the_roles_name_is_drawn_again(monkeypatch):
    drawn = iter(["dataprotectionofficer", "Zq7-xK2pLw9vRt4B"])
    monkeypatch.setattr(demo.secrets, "token_urlsafe", lambda n: next(drawn))
    assert demo._new_password(Role.DATA_PROTECTION_OFFICER,
                              "demo-data-protection-officer") == "Zq7-xK2pLw9vRt4B"


@pytest.mark.parametrize("command", ["create_demo_accounts", "assign_demo_caseloads"])
def test_the_demo_commands_refuse_a_database_that_is_not_the_demo(demo_file, settings, command):
    # Run against a real database by mistake, create_demo_accounts made a system administrator,
    # a data protection officer and approved agreements with no second person, their passwords
    # in a file and their codes one command away.
    settings.DEMO_MODE, settings.TESTING = False, False
    with pytest.raises(CommandError, match="SAFEROPTIONS_DEMO=1"):
        call_command(command)
    assert not User.objects.filter(username__startswith="demo-").exists()
    assert not demo_file.exists()


def test_the_demo_commands_run_in_the_demo(demo_file, settings):
    settings.DEMO_MODE, settings.TESTING = True, False
    call_command("create_demo_accounts")
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
