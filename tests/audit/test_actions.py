"""Every action the apps write to the audit log has plain words, and the DPO's search shows them."""

import ast
import datetime as dt
from functools import cache
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

import saferoptions
from saferoptions.audit import actions
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role
from tests.accounts.factories import UserFactory

PACKAGE = Path(saferoptions.__file__).parent
WRITERS = {"record", "_record"}  # audit.services.record, and the admin's copy of it


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _wrappers(tree: ast.Module, writers: set[str]) -> dict[str, int | None]:
    """Functions taking `action` and handing it on to a writer: name -> its position."""
    found = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        positional = [a.arg for a in fn.args.posonlyargs + fn.args.args if a.arg != "self"]
        if "action" not in positional + [a.arg for a in fn.args.kwonlyargs]:
            continue
        if any(isinstance(call, ast.Call) and _name(call) in writers
               and any(getattr(arg, "id", None) == "action"
                       for arg in [*call.args, *(k.value for k in call.keywords)])
               for call in ast.walk(fn)):
            found[fn.name] = positional.index("action") if "action" in positional else None
    return found


def _codes(node, constants: dict) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _codes(node.body, constants) + _codes(node.orelse, constants)
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    return []


@cache
def _codes_written() -> dict[str, str]:
    """{code: where} for every action code written through `record` or an app's audit helper.

    A helper such as `_audit(actor, "accept", ...)` counts when it hands its `action` on to
    `record`; a module's own function of that name is used before another module's.
    """
    trees = {path: ast.parse(path.read_text()) for path in PACKAGE.rglob("*.py")
             if "migrations" not in path.parts}
    everywhere: dict[str, int | None] = {}
    while True:  # a helper may hand `action` to another helper (accounts' checks do)
        before = dict(everywhere)
        for tree in trees.values():
            everywhere.update(_wrappers(tree, WRITERS | set(everywhere)))
        if everywhere == before:
            break
    written = {}
    for path, tree in trees.items():
        own = {fn.name for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)}
        local = _wrappers(tree, WRITERS | set(everywhere))
        helpers = {**{k: v for k, v in everywhere.items() if k not in own}, **local}
        constants = {target.id: node.value.value for node in tree.body
                     if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                     for target in node.targets if isinstance(target, ast.Name)}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or (_name(call) not in WRITERS | set(helpers)):
                continue
            given = {k.arg: k.value for k in call.keywords}.get("action")
            position = helpers.get(_name(call))
            if given is None and position is not None and len(call.args) > position:
                given = call.args[position]
            for code in _codes(given, constants) if given is not None else []:
                written.setdefault(code, f"{path.relative_to(PACKAGE)}:{call.lineno}")
    return written


def test_the_scan_finds_codes_written_directly_and_through_the_apps_helpers():
    written = _codes_written()
    # record(action="..."), an app's audit(actor, "...", ...), and a module constant.
    assert {"view", "quarantine", "refer_without_consent", "intelligence_graded",
            "lock_out"} <= set(written)


def test_every_action_written_to_the_audit_has_plain_words():
    missing = {code: where for code, where in _codes_written().items()
               if code not in actions.registered()}
    assert not missing, f"register these in the app's audit_actions.py: {missing}"


def test_an_unknown_code_is_shown_as_it_is():
    assert actions.label("refer_without_consent") == "Referred without consent"
    assert actions.label("an_action_no_app_writes_now") == "an_action_no_app_writes_now"


def test_a_code_keeps_one_meaning():
    actions.register({"view": "Viewed"})  # the same words again are fine
    with pytest.raises(ValueError, match="already registered"):
        actions.register({"view": "Looked at"})


@pytest.mark.django_db
class TestTheSearchPage:
    URL = reverse("audit:search")

    @pytest.fixture
    def dpo(self, client):
        user = UserFactory(role=Role.DATA_PROTECTION_OFFICER)
        client.force_login(user)
        return user

    def _add(self, action: str):
        at = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
        with clock.frozen(at), transaction.atomic():
            return record(actor=UserFactory(), action=action, object_type="x", object_ids=[1])

    def test_actions_are_shown_in_plain_words_and_old_codes_as_they_are(self, client, dpo):
        self._add("refer_without_consent")
        self._add("an_old_code")
        page = client.get(self.URL).content.decode()
        assert ">Referred without consent</td>" in page
        assert ">an_old_code</td>" in page

    def test_the_action_filter_offers_the_registered_words(self, client, dpo):
        wanted = self._add("refer_without_consent")
        self._add("view")
        response = client.get(self.URL, {"action": "refer_without_consent"})
        assert [e.sequence for e in response.context["page"]] == [wanted.sequence]
        page = response.content.decode()
        assert '<option value="refer_without_consent" selected>Referred without consent' in page
        assert '<option value="intelligence_graded">Intelligence graded</option>' in page
