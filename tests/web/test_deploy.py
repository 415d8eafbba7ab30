"""Production settings: `check --deploy` is clean, frames are denied, referrers kept in-site,
and behind TLS every page is HTTPS-only with HSTS (docs/deploy.md)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Variables a developer's shell or the test run may carry that production never has.
NOT_IN_PRODUCTION = ("SAFEROPTIONS_TESTING", "SAFEROPTIONS_DEMO", "DJANGO_DEBUG",
                     "DJANGO_SECURE_COOKIES", "DJANGO_HSTS_SECONDS")


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    env.update({
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "saferoptions.example.org",
        "DJANGO_BEHIND_TLS": "1",
        "SAFEROPTIONS_VAR_DIR": str(tmp_path),
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    found = check_deploy(production_env(tmp_path))
    assert found.returncode == 0, found.stdout + found.stderr
    assert "System check identified no issues" in found.stdout


def test_check_deploy_refuses_without_tls_and_with_the_demo_on(tmp_path):
    # The same check fails when HSTS is off and the demo is on: the clean run above means it.
    found = check_deploy(production_env(tmp_path, DJANGO_BEHIND_TLS=None, SAFEROPTIONS_DEMO="1"))
    assert found.returncode != 0
    output = found.stdout + found.stderr
    assert "security.W004" in output  # no HSTS
    assert "saferoptions.E001" in output  # the demo


def test_pages_deny_framing_and_keep_the_referrer_in_site(client):
    for url in (reverse("accounts:sign-in"), reverse("web:healthz"), reverse("api-docs")):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url


@pytest.fixture
def behind_tls(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def test_behind_tls_pages_carry_hsts_and_plain_http_is_sent_to_https(behind_tls):
    client = Client()  # a new client loads the middleware with these settings
    secure = client.get(reverse("accounts:sign-in"), HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains; preload"
    plain = client.get(reverse("accounts:sign-in"))
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_behind_tls_the_loopback_liveness_probe_is_not_redirected(behind_tls):
    response = Client().get(reverse("web:healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_the_proxy_header_cannot_be_forged_from_a_wrong_value(behind_tls):
    response = Client().get(reverse("accounts:sign-in"), HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301


def _email_settings(env) -> list[str]:
    found = subprocess.run(  # noqa: S603 (our own settings, fixed arguments)
        [sys.executable, "-c", "from django.conf import settings as s; "
         "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH)"],
        cwd=django_settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "saferoptions.settings"},
        capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    return found.stdout.split()


def test_the_demo_writes_its_mail_to_files_and_production_sends_it(tmp_path):
    # The demo's notices went to an SMTP server that is not there: a traceback a minute.
    demo = _email_settings(production_env(tmp_path, SAFEROPTIONS_DEMO="1"))
    assert demo == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail")]
    live = _email_settings(production_env(tmp_path))
    assert live[0] == "django.core.mail.backends.smtp.EmailBackend"


def test_the_proxy_log_never_keeps_a_one_time_links_secret():
    # nginx logged each request's path, and a password link and a family's feedback link carry
    # their secret in it: whoever read the log could set the password of an account with no
    # authenticator yet. Every route taking a token or a user's id in its path is masked.
    conf = (Path(django_settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    log_format = re.search(r"log_format saferoptions (.*?);", conf, re.S).group(1)
    assert "$uri" not in log_format and "$request_uri" not in log_format
    assert "$logged_uri" in log_format
    masked = re.findall(r"~\^(\S+)\s+\S+;", re.search(r"map \$uri \$logged_uri \{(.*?)\}",
                                                        conf, re.S).group(1))
    secret_routes = ["/" + p.split("<")[0] for p in _routes(get_resolver().url_patterns)
                     if re.search(r"<(str:)?(token|uidb64)>", p)]
    assert secret_routes  # the password and feedback links
    assert all(any(route.startswith(m) for m in masked) for route in secret_routes), (
        secret_routes, masked)


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)
