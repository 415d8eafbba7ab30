"""axe-core in headless Chromium over every page that exists, as every role.

Each page checked must also load without the Content-Security-Policy refusing anything.

Pages are found from the URL resolver (every GET route without parameters), so pages other
areas add are checked without editing this test. Fails on any serious or critical violation.
"""

import hashlib
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from saferoptions.accounts import otp
from saferoptions.core.models import Role
from saferoptions.web import nav
from tests.accounts.factories import DeviceFactory, code_for
from tests.core.factories import PASSWORD, UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# Not pages of this service's own making: the partner API (JSON, and a schema viewer that
# would fetch its script from the internet) and Django admin's own screens.
SKIPPED_PREFIXES = ("/api/", "/admin/")
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the test's data must really be committed.
    # No serialized_rollback: it clashes with content types re-created by any earlier
    # transactional test's flush. This test needs no reference data, so it needs no restore.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and AXE.exists()),
        reason="needs /usr/bin/chromium, /usr/bin/chromedriver and node_modules/axe-core "
        "(`make browser`, `npm install`)",
    ),
]


def parameterless_routes(patterns=None, prefix="/") -> list[str]:
    """Every route path the resolver knows that takes no parameters."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if "<" in route or any(c in route for c in "^$()[]?*+\\"):
            continue
        if isinstance(entry, URLResolver):
            found += parameterless_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append(prefix + route)
    return sorted({p for p in found if not p.startswith(SKIPPED_PREFIXES)})


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    # The console shows what the Content-Security-Policy blocked (Checker.check reads it).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Giving the driver's path means Selenium Manager never runs (it would download).
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium", ignore_errors=True)


class Checker:
    """Loads pages and runs axe on each, collecting serious and critical violations."""

    def __init__(self, driver, base_url):
        self.driver, self.base_url = driver, base_url
        self.axe = AXE.read_text()
        self.problems: list[str] = []
        self.checked = 0
        self.seen_main: set = set()

    def visit(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def needs_check(self, path: str) -> bool:
        """True for a 200 HTML page whose main content has not been checked yet.

        Asked without the browser. Fragments (htmx partials) are checked inside their page;
        the header, which varies by role, is checked on every role's home page.
        """
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        url = self.base_url + path  # always our own http:// live server
        request = urllib.request.Request(url, headers={"Cookie": cookies})  # noqa: S310
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:  # noqa: S310 (our live server)
                kind = response.headers.get("Content-Type", "")
                body = response.read().decode(errors="replace")
        except urllib.error.HTTPError:
            return False  # 404 (already checked once), 405, or a redirect
        if response.status != 200 or not kind.startswith("text/html") or "<html" not in body:
            return False
        main = re.sub(r'value="[^"]*"', "", body.partition("<main")[2])
        key = hashlib.sha256(main.encode()).hexdigest()
        seen = key in self.seen_main
        self.seen_main.add(key)
        return not seen

    def check(self, label: str) -> None:
        """Run axe on the page now showing."""
        if self.driver.execute_script("return document.contentType") != "text/html":
            return
        self.driver.execute_script(self.axe)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done(r.violations)).catch(e => done({error: String(e)}));"
        )
        assert not isinstance(result, dict), f"axe failed on {label}: {result}"
        self.checked += 1
        self.blocked_by_policy(label)
        for v in result:
            if v["impact"] in BLOCKING:
                targets = [" ".join(n["target"]) for n in v["nodes"]][:3]
                self.problems.append(f"{label}: [{v['impact']}] {v['id']}: {v['help']} {targets}")

    def blocked_by_policy(self, label: str) -> None:
        """A script, style or image the Content-Security-Policy refused breaks the page."""
        for entry in self.driver.get_log("browser"):  # the entries since the last call
            if "Content Security Policy" in entry["message"]:
                self.problems.append(f"{label}: [csp] {entry['message'][:300]}")

    def sign_in(self, user, device) -> None:
        self.driver.delete_all_cookies()
        self.visit("/accounts/sign-in/")
        self.driver.find_element(By.ID, "id_username").send_keys(user.username)
        self.driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
        wait = WebDriverWait(self.driver, 20)
        wait.until(EC.presence_of_element_located((By.ID, "id_code")))
        if device is None:  # first sign-in: the set-up page
            self.check("set-up page")
            device = otp.enrolment_device(user)
        elif "code page" not in self.seen_main:  # the same page for everyone
            self.seen_main.add("code page")
            self.check("code page")
        self.driver.find_element(By.ID, "id_code").send_keys(code_for(device))
        self.driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
        wait.until(EC.url_to_be(self.base_url + "/"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_every_page_has_no_serious_accessibility_problems(live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    checker = Checker(browser, live_server.url)
    checker.visit("/accounts/sign-in/")
    checker.check("sign-in page")
    browser.find_element("css selector", "main button[type=submit]").click()
    checker.check("sign-in page with errors")
    checker.visit("/no-such-page/")
    checker.check("404 page, signed out")

    routes = parameterless_routes()
    for n, role in enumerate(Role):
        admin = role == Role.SYSTEM_ADMINISTRATOR
        user = UserFactory(role=role, is_staff=admin, is_superuser=admin)
        # One role goes through authenticator set-up; the rest already have a device.
        device = None if n == 0 else DeviceFactory(user=user)
        checker.sign_in(user, device)
        # Home pages differ by the links each role is offered; check each different set once.
        links = ("home", *(link["url"] for link in nav.entries_for(user)))
        if links not in checker.seen_main:
            checker.seen_main.add(links)
            checker.check(f"home ({role})")
        for path in routes:
            if path != "/" and checker.needs_check(path):
                checker.visit(path)
                checker.check(f"{path} ({role})")
        if n == 0:
            checker.visit("/no-such-page/")
            checker.check(f"404 page ({role})")

    assert not checker.problems, "\n".join(checker.problems)
    assert checker.checked >= 8


def test_the_api_docs_page_draws_under_its_own_policy(live_server, browser):
    """Redoc needs inline styles and a blob: worker (api_urls.py); nothing it needs is refused."""
    browser.get(live_server.url + "/api/docs/")
    title = settings.SPECTACULAR_SETTINGS["TITLE"]  # drawn by Redoc: its script ran
    WebDriverWait(browser, 30).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), title))
    # Redoc's "powered by" logo comes from its makers' CDN: refused on purpose (no request leaves
    # the site), and Redoc hides the image when it fails to load.
    refused = [e["message"] for e in browser.get_log("browser")
               if "Content Security Policy" in e["message"] and REDOC_LOGO not in e["message"]]
    assert refused == []
