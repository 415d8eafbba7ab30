"""The demo a newcomer meets: demo accounts and their codes on the sign-in page, only in the demo.

With SAFEROPTIONS_DEMO off (every real deployment) nothing of it appears, the code endpoint is
a 404, and `check --deploy` fails while it is on.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from saferoptions.accounts import demo, otp
from saferoptions.core.models import User

from .factories import DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(settings, tmp_path):
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    demo.create_all()
    return demo.load_passwords()


@pytest.fixture
def demo_on(settings, demo_accounts):
    settings.DEMO_MODE = True
    return demo_accounts


def _code_of(username: str) -> str:
    return otp.current_code(otp.confirmed_device(User.objects.get(username=username)))


def test_sign_in_lists_every_demo_role_when_the_demo_is_on(client, demo_on):
    page = client.get("/accounts/sign-in/").content.decode()
    assert "Demo accounts" in page and "synthetic data" in page
    for username, role in demo.listed():
        assert f"?demo={username}" in page and role in page
    # No account is chosen yet: no password or code on the page.
    assert demo_on["demo-hub-practitioner"] not in page


def test_the_chosen_role_shows_username_password_and_current_code(client, demo_on):
    page = client.get("/accounts/sign-in/?demo=demo-social-worker").content.decode()
    assert demo_on["demo-social-worker"] in page
    assert _code_of("demo-social-worker") in page
    assert 'value="demo-social-worker"' in page  # the username is filled in
    assert demo_on["demo-hub-practitioner"] not in page


def test_a_newcomer_signs_in_with_only_what_the_page_shows(client, demo_on):
    page = client.get("/accounts/sign-in/?demo=demo-team-manager").content.decode()
    password = re.search(r"Password</dt><dd[^>]*><code>([^<]+)</code>", page).group(1)
    client.post("/accounts/sign-in/", {"username": "demo-team-manager", "password": password})
    code_page = client.get("/accounts/sign-in/code/").content.decode()
    code = re.search(r'class="app-demo-code">(\d{6})<', code_page).group(1)
    response = client.post("/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "demo-team-manager"


def test_the_code_endpoint_answers_with_the_current_code(client, demo_on):
    response = client.get("/accounts/sign-in/demo/demo-analyst/code/")
    assert response.status_code == 200
    assert _code_of("demo-analyst") in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_code_endpoint_refuses_accounts_that_are_not_demo_ones(client, demo_on):
    DeviceFactory(user__username="real-worker")
    assert client.get("/accounts/sign-in/demo/real-worker/code/").status_code == 404
    assert client.get("/accounts/sign-in/demo/nobody/code/").status_code == 404
    page = client.get("/accounts/sign-in/?demo=real-worker").content.decode()
    assert "One-time code" not in page


def test_with_the_demo_off_nothing_of_it_appears(client, demo_accounts, settings):
    settings.DEMO_MODE = False
    page = client.get("/accounts/sign-in/?demo=demo-hub-practitioner").content.decode()
    assert "Demo accounts" not in page and "synthetic data" not in page
    assert demo_accounts["demo-hub-practitioner"] not in page
    assert _code_of("demo-hub-practitioner") not in page
    assert "demo-hub-practitioner" not in page
    assert client.get("/accounts/sign-in/demo/demo-hub-practitioner/code/").status_code == 404


def test_with_the_demo_off_the_code_step_shows_no_code(client, demo_accounts, settings):
    settings.DEMO_MODE = False
    client.post("/accounts/sign-in/", {"username": "demo-analyst",
                                       "password": demo_accounts["demo-analyst"]})
    page = client.get("/accounts/sign-in/code/").content.decode()
    assert "app-demo-code" not in page and _code_of("demo-analyst") not in page


def test_the_demo_banner_is_on_every_page_only_in_the_demo(client, demo_accounts, settings):
    settings.DEMO_MODE = True
    assert "This is a demonstration with synthetic data" in client.get("/no-such/").content.decode()
    client.force_login(User.objects.get(username="demo-social-worker"))
    assert "This is a demonstration with synthetic data" in client.get("/").content.decode()
    settings.DEMO_MODE = False
    assert "demonstration" not in client.get("/").content.decode()


def test_check_deploy_fails_while_the_demo_is_on(settings):
    settings.DEMO_MODE = True
    with pytest.raises(SystemCheckError, match="SAFEROPTIONS_DEMO"):
        call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())


def test_check_deploy_says_nothing_of_the_demo_when_it_is_off(settings):
    settings.DEMO_MODE = False
    out = StringIO()
    try:
        call_command("check", "--deploy", stdout=out, stderr=out)
    except SystemCheckError as error:  # other deployment advice may fail the test settings
        out.write(str(error))
    assert "saferoptions.E001" not in out.getvalue()
