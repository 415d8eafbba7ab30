"""Search-as-you-type shows each choice as text, never as markup.

accessible-autocomplete draws each suggestion with innerHTML (its default template returns the
text unchanged), and the choices' words are people's words: a place a licensing officer named
and the Hub confirmed, a group an analyst named. A name like `<b id=...>` would become an
element on the page of whoever types into the picker next (the Content-Security-Policy stops
script, not a link or a look-alike form). core/autocomplete.js escapes every suggestion.
"""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory

from .journeys.conftest import JOURNEY_MARKS, Person
from .test_accessibility import browser  # noqa: F401 (fixture)

pytestmark = JOURNEY_MARKS

NAME = '<b id="injected">Bold</b> <a id="lure" href="https://example.org/">corner shop</a>'


def test_a_place_named_like_markup_is_suggested_as_its_words(live_server, browser):  # noqa: F811
    PlaceFactory(name=NAME)
    hub = Person(browser, live_server.url, UserFactory(hub=True)).sign_in()
    hub.go("/contexts/cases/refer/")
    driver = hub.driver
    box = driver.find_element(By.ID, "id_place")  # the select's box, once scripts ran
    box.send_keys("corner")
    choice = WebDriverWait(driver, 20).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, "#id_place__listbox li")))
    assert not driver.find_elements(By.ID, "injected")
    assert not driver.find_elements(By.ID, "lure")
    assert NAME in choice.text
