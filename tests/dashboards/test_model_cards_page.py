"""The learned models' page: cards beside the transparent score, the verdict, and a switch that
needs a complete card and a named approver (refused otherwise, with the reason; audited)."""

import json

import numpy as np
import pytest

from saferoptions.analytics import model_card
from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from saferoptions.dashboards.model_cards import FILE
from saferoptions.dashboards.models import ModelSwitch

pytestmark = pytest.mark.django_db
URL = "/dashboard/safer-options/models/"
VIEWERS = (Role.STRATEGIC_LEAD, Role.ANALYST, Role.LOCALITY_CHAIR, Role.HUB_PRACTITIONER)


def _card(name, y, scores, transparent, groups) -> dict:
    parts = {"data": "test city", "features": ["Missing episode"], "outcome": "exploited",
             "failure_modes": ["a test"],
             "auc": model_card.bootstrap(y, scores, model_card.METRICS["auc"], draws=50),
             "average_precision": model_card.bootstrap(
                 y, scores, model_card.METRICS["average_precision"], draws=50),
             "subgroups": model_card.subgroups(y, scores, groups),
             **model_card.calibration(y, scores),
             "comparison": model_card.paired_auc_difference(y, scores, transparent, draws=50)}
    return {"name": name, "title": name.capitalize(), "parts": parts, "missing": []}


@pytest.fixture
def cards(settings, tmp_path):
    """Cards worked by the real card functions: `sharp` ranks far better than the transparent
    score, `same` is the transparent score itself, `gappy` lacks its calibration."""
    settings.VAR_DIR = tmp_path
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    transparent = y * 0.3 + rng.random(400)
    sharp = np.clip(y * 0.8 + rng.random(400) * 0.2, 0, 1)
    same = transparent / transparent.max()
    groups = {"sex": list("MF" * 200), "ethnicity": ["white_british"] * 400,
              "locality": ["north", "south"] * 200}
    gappy = _card("gappy", y, sharp, transparent, groups)
    del gappy["parts"]["calibration_error"]
    result = {"cards": [_card("sharp", y, sharp, transparent, groups),
                        _card("same", y, same, transparent, groups), gappy],
              "verdict": model_card.verdict([0.0, -0.01, 0.01])}
    (tmp_path / FILE).parent.mkdir(parents=True)
    (tmp_path / FILE).write_text(json.dumps(result))
    return result


@pytest.mark.parametrize("role", VIEWERS)
def test_dashboard_viewers_see_the_cards_and_verdict(client, city, cards, role):
    client.force_login(city.users[role])
    page = client.get(URL).content.decode()
    assert "the transparent score is kept" in page
    assert "Switch on sharp" in page and "No learned model is switched on" in page
    for child in city.children:  # nothing on it identifies a child
        assert child.family_name not in page
    assert AuditEntry.objects.filter(action="view", detail__app="models").exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER])
def test_others_get_the_common_404(client, city, cards, role):
    client.force_login(city.users[role])
    assert client.get(URL).status_code == 404


def test_no_cards_yet_is_said(client, city, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(city.users[Role.ANALYST])
    assert "No model has been evaluated yet" in client.get(URL).content.decode()


@pytest.mark.parametrize(("model", "approver", "said"), [
    ("sharp", "  ", "give the name of the person who approves"),
    ("same", "Dr A Khan", "the transparent score is kept"),
    ("gappy", "Dr A Khan", "the card lacks the calibration error"),
    ("transparent", "Dr A Khan", "has no model card"),
])
def test_the_switch_is_refused_with_the_reason(client, city, cards, model, approver, said):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    response = client.post(URL, {"model": model, "approver": approver})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not ModelSwitch.objects.exists()
    refused = AuditEntry.objects.get(action="switch_on_refused")
    assert refused.outcome == "refused" and refused.detail["model"] == model


def test_a_complete_better_card_with_a_named_approver_switches_on(client, city, cards):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    response = client.post(URL, {"model": "sharp", "approver": "Dr A Khan"})
    assert response.status_code == 200
    switch = ModelSwitch.objects.get()
    assert (switch.model_name, switch.approver) == ("sharp", "Dr A Khan")
    assert switch.card["parts"]["comparison"][1] > 0
    assert AuditEntry.objects.filter(action="switch_on_model",
                                     detail__approver="Dr A Khan").exists()
    assert "Switched on: sharp, approved by Dr A Khan" in client.get(URL).content.decode()


@pytest.fixture
def grouped_cards(settings, tmp_path):
    """One learned card whose groups are real codes: a big ethnic group with many harmed
    children, a small one (3 children) and one of 40 children none of them harmed."""
    settings.VAR_DIR = tmp_path
    rng = np.random.default_rng(5)
    ethnicity = ["white_british"] * 300 + ["black_caribbean"] * 40 + ["white_roma"] * 3 \
        + ["not_recorded"] * 57
    y = np.array([int(rng.random() < 0.3) if e in ("white_british", "not_recorded") else 0
                  for e in ethnicity])
    transparent = y * 0.3 + rng.random(400)
    scores = np.clip(y * 0.8 + rng.random(400) * 0.2, 0, 1)
    groups = {"sex": list("MF" * 200), "ethnicity": ethnicity,
              "locality": ["north", "east-central"] * 200}
    card = _card("sharp", y, scores, transparent, groups)
    card["missing"] = ["approver"]  # as evaluate_models stored it: no approver yet
    transparent_card = _card("transparent", y, transparent / transparent.max(), transparent,
                             groups)
    for key in ("reliability", "calibration_error", "comparison"):
        del transparent_card["parts"][key]
    transparent_card["missing"] = ["reliability", "calibration_error", "comparison", "approver"]
    (tmp_path / FILE).parent.mkdir(parents=True)
    (tmp_path / FILE).write_text(json.dumps({"cards": [transparent_card, card],
                                             "verdict": model_card.verdict([0.0, -0.01, 0.01])}))
    return card


def test_groups_are_named_not_coded(client, city, grouped_cards):
    client.force_login(city.users[Role.ANALYST])
    page = client.get(URL).content.decode()
    assert "White: English, Welsh, Scottish, Northern Irish or British" in page
    assert "Black: Caribbean" in page and "Not recorded" in page and "East Central" in page
    assert ">Female<" in page and ">Male<" in page
    for code in ("white_british", "black_caribbean", "white_roma", "not_recorded",
                 "east-central<"):
        assert f">{code}" not in page


def _row(page: str, name: str) -> str:
    start = page.index(f">{name}</th>")
    return page[start:page.index("</tr>", start)]


def test_small_groups_show_no_rates_and_no_zero_recall(client, city, grouped_cards):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    page = client.get(URL).content.decode()
    card = page[page.index('id="card-sharp"'):]
    roma = _row(card, "White: Roma")  # 3 children: the count itself is suppressed
    assert ">&lt;5<" in roma and "fewer than 5 children" in roma and "0.000" not in roma
    caribbean = _row(card, "Black: Caribbean")  # 40 children, none harmed: no recall of 0
    assert ">40<" in caribbean and "fewer than 5 really harmed children" in caribbean
    assert "0.000" not in caribbean.split("</td>")[2]
    british = _row(card, "White: English, Welsh, Scottish, Northern Irish or British")
    assert "not shown" not in british
    recall = grouped_cards["parts"]["subgroups"]["ethnicity"]["by_group"]["white_british"]
    assert f">{recall['recall']:.3f}<" in british


def test_cards_say_what_they_really_lack(client, city, grouped_cards):
    """No approver is asked for until someone switches a model on, and the transparent score
    is not a probability: neither is reported as missing from a card."""
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    page = client.get(URL).content.decode()
    assert "Not in this card" not in page and "approver, " not in page
    assert "Complete. Switching it on also needs a named approver" in page


def test_a_card_lacking_a_part_says_which_by_name(client, city, cards):
    client.force_login(city.users[Role.ANALYST])
    page = client.get(URL).content.decode()
    gappy = page[page.index('id="card-gappy"'):]
    assert "Not in this card" in gappy and "The calibration error" in gappy
    assert "approver" not in gappy[:gappy.index("<form")].split("Not in this card")[1][:200]


@pytest.mark.parametrize(("model", "approver", "said"), [
    ("sharp", "Dr A\x00Khan", "holds a character that is not part of a name"),
    ("sh\x00arp", "Dr A Khan", "has no model card"),
])
def test_a_nul_in_the_switch_form_is_refused_not_a_server_error(client, city, cards, model,
                                                                approver, said):
    # PostgreSQL keeps no NUL in text or JSON: stored as sent, either was a server error.
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    response = client.post(URL, {"model": model, "approver": approver})
    assert response.status_code == 400 and said in response.content.decode()
    assert not ModelSwitch.objects.exists()
    refused = AuditEntry.objects.get(action="switch_on_refused")
    assert "\x00" not in refused.detail["model"]
