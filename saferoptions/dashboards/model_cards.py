"""Learned individual models: their cards beside the transparent score, and the switch.

The cards are worked away from the app (`manage.py evaluate_models`, city/model_eval.py) on
synthetic cities and written as JSON: figures only, never a child. The page shows them to the
dashboards' viewers; a model is switched on only through `analytics.model_card.switch_on`
(a complete card, a named approver, and better than the transparent score by a margin outside
its interval). Every view, switch and refusal is audited; a refusal says why, in words.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from saferoptions.analytics import model_card
from saferoptions.analytics.suppression import suppress_count
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.people.models import Ethnicity, Sex

from .models import ModelSwitch

FILE = "model_cards/model_cards.json"


def cards_path() -> Path:
    return Path(settings.VAR_DIR) / FILE


# What each required part of a card is called on the page and in a refusal.
PART_NAMES = {
    "data": "the data", "features": "the features", "outcome": "the outcome",
    "auc": "the held-out AUC", "average_precision": "the average precision",
    "reliability": "the reliability curve", "calibration_error": "the calibration error",
    "subgroups": "the subgroup figures", "comparison": "the comparison with the transparent score",
    "failure_modes": "the known failure modes"}
# The transparent score is a sum of weights, not a probability, and is the comparator itself:
# these parts do not apply to it, so they are not "missing" from its card.
NOT_FOR_TRANSPARENT = ("reliability", "calibration_error", "comparison")
ATTRIBUTES = {"sex": "Sex", "ethnicity": "Ethnic group", "locality": "Locality"}


@dataclass
class CardsPage:
    result: dict | None  # None: no cards worked yet
    switched_on: ModelSwitch | None
    cards: list[dict] | None = None  # the cards as the page shows them


def missing_parts(name: str, parts: dict) -> list[str]:
    """The required parts this card really lacks, by their names. The approver is not a part
    of the card: it is asked for when someone switches the model on (the stored "missing" list
    counted it, so every learned card said it lacked an approver)."""
    return [PART_NAMES[key] for key in model_card.REQUIRED
            if parts.get(key) in (None, "", [], {})
            and not (name == "transparent" and key in NOT_FOR_TRANSPARENT)]


def _group_names() -> dict[str, dict[str, str]]:
    return {"sex": dict(Sex.choices),
            "ethnicity": dict(Ethnicity.choices),
            "locality": {**dict(Locality.objects.values_list("slug", "name")),
                         "none": "No locality known"}}


def _subgroup_rows(sub: dict, names: dict[str, str], threshold: int) -> dict:
    """One subgroup table with small numbers suppressed: a group of fewer than `threshold`
    children shows no rates, and recall and AUC are shown only where at least `threshold` of
    its children really had the outcome (with none, recall read 0.000: not a finding, a
    division by nothing). The largest gap is worked over the rates shown only."""
    rows = []
    for group, m in sorted(sub["by_group"].items(),
                           key=lambda item: names.get(item[0], item[0])):
        children, outcomes = m.get("children", 0), m.get("outcomes")
        enough_children = children >= threshold
        # cards worked before the outcome count was kept: AUC None means one outcome only
        enough_outcomes = (outcomes >= threshold if outcomes is not None
                           else enough_children and m.get("auc") is not None)
        rows.append({
            "name": names.get(group, group.replace("_", " ").capitalize()),
            "children": suppress_count(children, threshold),
            "outcomes": "not kept" if outcomes is None else suppress_count(outcomes, threshold),
            "selection_rate": m["selection_rate"] if enough_children else None,
            "recall": m["recall"] if enough_outcomes else None,
            "auc": m.get("auc") if enough_outcomes else None,
            "why_not": "" if enough_outcomes else (
                f"not shown: fewer than {threshold} children" if not enough_children else
                f"not shown: fewer than {threshold} really harmed children in this group")})

    def gap(key):
        shown = [row[key] for row in rows if row[key] is not None]
        return round(max(shown) - min(shown), 4) if len(shown) > 1 else None
    return {"rows": rows, "gap_recall": gap("recall"),
            "gap_selection_rate": gap("selection_rate"),
            "hidden": sum(row["recall"] is None for row in rows)}


def presented(result: dict, threshold: int) -> list[dict]:
    """The cards as the page shows them: group names, not codes; small groups suppressed;
    what a card really lacks (if anything), by name."""
    names = _group_names()
    out = []
    for card in result.get("cards", []):
        parts = card.get("parts", {})
        out.append({**card, "missing": missing_parts(card["name"], parts),
                    "subgroup_tables": [
                        {"attribute": ATTRIBUTES.get(attribute, attribute.capitalize()),
                         **_subgroup_rows(sub, names.get(attribute, {}), threshold)}
                        for attribute, sub in (parts.get("subgroups") or {}).items()]})
    return out


def _read() -> dict | None:
    path = cards_path()
    return json.loads(path.read_text()) if path.exists() else None


def cards_page(*, user) -> CardsPage:
    with transaction.atomic():
        result = _read()
        record(actor=user, action="view", object_type="dashboard",
               detail={"app": "models", "cards": bool(result)})
        return CardsPage(result, ModelSwitch.objects.first(),
                         presented(result, settings.SMALL_NUMBER_THRESHOLD) if result else None)


def _printable(text: str) -> str:
    """The text as the audit row can keep it: PostgreSQL's JSON refuses a NUL."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def switch_on(*, user, name: str, approver: str) -> ModelSwitch:
    """Switch the named model on, or raise `model_card.CardRefused` saying why (audited)."""
    result = _read() or {"cards": []}
    found = next((c for c in result["cards"] if c["name"] == name and name != "transparent"),
                 None)
    try:
        if found is None:
            raise model_card.CardRefused("model", "has no model card")
        if missing := missing_parts(name, found["parts"]):
            raise model_card.CardRefused("card", f"the card lacks {', '.join(missing)}")
        if not approver.strip():
            raise model_card.CardRefused("approver", "give the name of the person who approves "
                                         "switching this model on")
        if not approver.isprintable():
            # A NUL cannot be stored by PostgreSQL (a server error); no name holds one.
            raise model_card.CardRefused("approver", "holds a character that is not part of a "
                                         "name (a control character): type the name again")
        card = model_card.switch_on(model_card.Card(name, found["parts"], approver.strip()))
    except model_card.CardRefused as refused:
        with transaction.atomic():  # the refusal is kept, then said to the user
            record(actor=user, action="switch_on_refused", object_type="dashboard",
                   outcome="refused", detail={"model": _printable(name)[:60],
                                              "field": refused.field, "reason": refused.reason})
        raise
    with transaction.atomic():
        switch = ModelSwitch.objects.create(model_name=name, approver=card.approver,
                                            switched_on_by=user, switched_on_at=clock.now(),
                                            card=found)
        record(actor=user, action="switch_on_model", object_type="dashboard",
               object_ids=[switch.pk], detail={"model": name, "approver": card.approver})
    return switch
