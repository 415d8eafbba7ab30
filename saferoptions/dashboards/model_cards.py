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
from saferoptions.audit.services import record
from saferoptions.core import clock

from .models import ModelSwitch

FILE = "model_cards/model_cards.json"


def cards_path() -> Path:
    return Path(settings.VAR_DIR) / FILE


@dataclass
class CardsPage:
    result: dict | None  # None: no cards worked yet
    switched_on: ModelSwitch | None


def _read() -> dict | None:
    path = cards_path()
    return json.loads(path.read_text()) if path.exists() else None


def cards_page(*, user) -> CardsPage:
    with transaction.atomic():
        result = _read()
        record(actor=user, action="view", object_type="dashboard",
               detail={"app": "models", "cards": bool(result)})
        return CardsPage(result, ModelSwitch.objects.first())


def switch_on(*, user, name: str, approver: str) -> ModelSwitch:
    """Switch the named model on, or raise `model_card.CardRefused` saying why (audited)."""
    result = _read() or {"cards": []}
    found = next((c for c in result["cards"] if c["name"] == name and name != "transparent"),
                 None)
    try:
        if found is None:
            raise model_card.CardRefused("model", "has no model card")
        card = model_card.switch_on(model_card.Card(name, found["parts"], approver.strip()))
    except model_card.CardRefused as refused:
        with transaction.atomic():  # the refusal is kept, then said to the user
            record(actor=user, action="switch_on_refused", object_type="dashboard",
                   outcome="refused", detail={"model": name[:60], "field": refused.field,
                                              "reason": refused.reason})
        raise
    with transaction.atomic():
        switch = ModelSwitch.objects.create(model_name=name, approver=card.approver,
                                            switched_on_by=user, switched_on_at=clock.now(),
                                            card=found)
        record(actor=user, action="switch_on_model", object_type="dashboard",
               object_ids=[switch.pk], detail={"model": name, "approver": card.approver})
    return switch
