"""What every journey test needs: a headless Chromium, and a person who signs in through it.

Signing in goes through the real pages (username and password, then the one-time code the
person's authenticator shows, computed from the device's secret), so a journey fails if
sign-in does. The browser fixture is the accessibility test's (same flags, no downloads).
"""

import pytest
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from saferoptions.accounts import otp
from tests.accounts.factories import DeviceFactory, code_for
from tests.core.factories import PASSWORD
from tests.web.test_accessibility import browser  # noqa: F401 (fixture)
from tests.web.test_accessibility import pytestmark as browser_marks

# Every journey needs Chromium, runs against the live server (committed data) and is
# selected with `-m browser`, exactly as the accessibility test is.
JOURNEY_MARKS = browser_marks


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The live server reads settings per request; the production hasher's cost is not the point.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Person:
    """One person at the keyboard: signs in, follows links, reads and fills in pages."""

    def __init__(self, driver, base_url, user):
        self.driver, self.base_url, self.user = driver, base_url, user
        self.wait = WebDriverWait(driver, 20)

    def sign_in(self):
        """Username and password, then the code from their authenticator; lands on home."""
        # Factories from other apps make users without a usable password; give one.
        self.user.set_password(PASSWORD)
        self.user.save(update_fields=["password"])
        # Signing in again later in the journey uses the authenticator already set up.
        device = otp.confirmed_device(self.user) or DeviceFactory(user=self.user)
        self.driver.delete_all_cookies()
        self.go("/accounts/sign-in/")
        self.driver.find_element(By.ID, "id_username").send_keys(self.user.username)
        self.driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        self.press("main button[type=submit]")
        self.wait.until(EC.presence_of_element_located((By.ID, "id_code")))
        self.driver.find_element(By.ID, "id_code").send_keys(code_for(device))
        self.press("main button[type=submit]")
        self.wait.until(EC.url_to_be(self.base_url + "/"))
        return self

    def go(self, path: str):
        self.driver.get(self.base_url + path)

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def text(self, css: str = "main") -> str:
        """What the page says (visible text only), in the part `css` picks."""
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def follow(self, link_text: str, within: str = "main"):
        """Click the first link in `within` whose text contains `link_text`."""
        area = self.driver.find_element(By.CSS_SELECTOR, within)
        link = area.find_element(By.PARTIAL_LINK_TEXT, link_text)
        self._click(link)

    def press(self, css: str):
        """Click a button (or anything) and wait for the page it leads to."""
        self._click(self.driver.find_element(By.CSS_SELECTOR, css))

    def press_button(self, words: str, within: str = "main"):
        area = self.driver.find_element(By.CSS_SELECTOR, within)
        for button in area.find_elements(By.CSS_SELECTOR, "button, input[type=submit]"):
            if words in (button.text or button.get_attribute("value") or ""):
                return self._click(button)
        raise NoSuchElementException(f"no button saying {words!r} on {self.path}")

    def fill(self, answers: dict, within: str = "main"):
        """Answer a form as a person does: type in boxes, tick boxes, choose radios and lists."""
        area = self.driver.find_element(By.CSS_SELECTOR, within)
        for name, value in answers.items():
            values = value if isinstance(value, list) else [value]
            fields = area.find_elements(By.NAME, name)
            assert fields, f"no field {name!r} on {self.path}"
            kind = fields[0].get_attribute("type")
            if kind in ("checkbox", "radio"):
                for v in values:
                    self._tick(area, name, v)
            elif fields[0].tag_name == "select":
                self._choose(fields[0], values[0])
            else:
                fields[0].clear()
                fields[0].send_keys(str(values[0]))

    def tick(self, words: str, within: str = "main"):
        """Tick the box (or choose the radio) whose label reads `words`."""
        area = self.driver.find_element(By.CSS_SELECTOR, within)
        label = area.find_element(
            By.XPATH, f".//label[contains(normalize-space(.), {words!r})]")
        self._click(label, leaves=False)

    def _tick(self, area, name, value):
        box = area.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
        if not box.is_selected():
            label = area.find_element(By.CSS_SELECTOR, f'label[for="{box.get_attribute("id")}"]')
            self._click(label, leaves=False)

    def _choose(self, select, value):
        if select.is_displayed():
            Select(select).select_by_value(str(value))
            return
        # Enhanced into a search-as-you-type box: type the option's words and pick it.
        option = select.find_element(By.CSS_SELECTOR, f'option[value="{value}"]')
        words = option.get_attribute("textContent").strip()
        # accessible-autocomplete gives its box the list's id and renames the list "<id>-select".
        box_id = select.get_attribute("id").removesuffix("-select")
        box = self.driver.find_element(By.ID, box_id)
        box.clear()
        box.send_keys(words)
        choice = self.wait.until(EC.element_to_be_clickable(
            (By.CSS_SELECTOR, f"#{box_id}__listbox li")))
        choice.click()

    def _click(self, element, leaves=True):
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        if leaves:  # read the next page only once it has loaded, never the one before
            self.wait.until(lambda _d: _gone(element))
            self.wait.until(lambda d: d.execute_script("return document.readyState") ==
                            "complete")


def _gone(element) -> bool:
    """True once the page the element was on has been replaced. Chromium sometimes answers
    "Node with given id does not belong to the document" instead of a stale-element error."""
    try:
        element.is_enabled()
    except WebDriverException:  # StaleElementReferenceException is one of these
        return True
    return False


@pytest.fixture
def person_at(live_server, browser):  # noqa: F811 (the imported fixture)
    """person_at(user) -> a Person at the browser, signed in through the real pages."""
    return lambda user: Person(browser, live_server.url, user).sign_in()
