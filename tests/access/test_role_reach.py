"""Who may reach what is decided in one place, the role table's duties (issue 12 §3).

No module outside settings lists roles to decide reach; each duty keeps the roles the old
lists had; navigation entries name a duty; the access log shows actions in plain words.
"""

import ast
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

import saferoptions
from saferoptions.access import policy
from saferoptions.audit import actions
from saferoptions.audit.models import AuditAction
from saferoptions.audit.services import record
from saferoptions.core import navigation
from saferoptions.core.models import Role

PACKAGE = Path(saferoptions.__file__).parent
ROLE_NAMES = frozenset(Role.names)
ROLE_VALUES = frozenset(Role.values)

# Collections of roles used as values, not to decide who may reach something:
# (module, the name it is assigned to). Keep each reason next to it.
VALUE_USES = {
    # The second-approver safeguard on granting a role, deliberately fixed in code so that an
    # edit to the role table cannot switch it off (docs/accounts.md).
    ("accounts/reach.py", "WIDENING_ROLES"),
    # Its companion: moving an account from a role that reads no record to one that does
    # waits for a second person, fixed in code for the same reason.
    ("accounts/reach.py", "RECORDLESS_ROLES"),
    # The synthetic demo's last-week meetings: which demo partners are in the room (journey
    # 5's police, education, health, Barnardo's and housing) and whom it prefers as chair.
    # They grant nothing: being recorded present admits as at any meeting, through the policy.
    ("city/past_meetings.py", "PARTNER_ROLES"),
    ("city/past_meetings.py", "chair_for"),
    # The synthetic demo's recent context work: which demo accounts act as the people who
    # refer, assess and review place and group cases. It grants nothing; each action goes
    # through the same services and policy as anyone's.
    ("city/contexts_demo.py", "ROLES"),
}


def _is_role(node) -> bool:
    """`Role.X` (or the alias `R.X`), or a role's value written as a string."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id in {"Role", "R"} and node.attr in ROLE_NAMES
    return isinstance(node, ast.Constant) and node.value in ROLE_VALUES


def _name_of(statement) -> str:
    """What a top-level statement defines: the assigned name, or the function or class."""
    if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return getattr(statement, "name", type(statement).__name__)


def _role_collections(path: Path):
    """(name, line) of each tuple, list or set of roles in one module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for statement in tree.body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Tuple | ast.List | ast.Set):
                continue
            roles = sum(_is_role(element) for element in node.elts)
            # Two or more roles, or a collection of one role: `(Role.DATA_PROTECTION_OFFICER,)`.
            if roles >= 2 or roles == len(node.elts) == 1:
                yield _name_of(statement), node.lineno


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "settings" or "migrations" in relative.parts:
            continue
        yield relative.as_posix(), path


def test_no_module_outside_settings_lists_roles_for_reach():
    found = {(module, name, line) for module, path in _modules()
             for name, line in _role_collections(path)
             if (module, name) not in VALUE_USES}
    assert found == set(), (
        "Roles listed outside the role table: give the role table a duty "
        "(settings/access.py, access/rules.py DUTIES) and ask policy.roles_with/has_duty, "
        "or, for a value use, add it to VALUE_USES with the reason")


def test_the_scan_finds_a_role_list(tmp_path):
    module = tmp_path / "reach.py"
    module.write_text('APPROVERS = (Role.SYSTEM_ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER)\n'
                      'DPO = (Role.DATA_PROTECTION_OFFICER,)\n'
                      'CHOICE = ("social_worker", "The child\'s social worker")\n'
                      'ENTRY = NavEntry("x", "y", frozenset({"analyst", "community_member"}))\n'
                      'DEMO = {Role.ANALYST: 1, Role.HOUSING_OFFICER: 2}\n')
    assert list(_role_collections(module)) == [("APPROVERS", 1), ("DPO", 2), ("ENTRY", 4)]


def test_every_allowed_value_use_still_exists():
    """A stale allow-list entry would quietly let a new reach list of the same name through."""
    present = {(module, name) for module, path in _modules()
               for name, _ in _role_collections(path)}
    assert present >= VALUE_USES


R = Role
# The roles each duty had as a list in the apps before it moved to the role table: reach must
# not change with the move, and who may manage accounts or agreements (the policy's own
# controls) must not widen by a quiet edit to the table.
KEPT = {
    "work_with_children": {
        R.HUB_PRACTITIONER, R.SOCIAL_WORKER, R.EARLY_HELP_WORKER, R.LEAD_WORKER,
        R.CLINICAL_PSYCHOLOGIST, R.POLICE_OFFICER, R.EDUCATION_INCLUSION_MANAGER,
        R.HEALTH_PRACTITIONER, R.HOUSING_OFFICER, R.LOCALITY_CHAIR, R.TEAM_MANAGER},
    "view_task_rules": {R.HUB_PRACTITIONER, R.TEAM_MANAGER, R.SYSTEM_ADMINISTRATOR},
    "oversee_feeds": {R.HUB_PRACTITIONER, R.SYSTEM_ADMINISTRATOR, R.TEAM_MANAGER,
                      R.STRATEGIC_LEAD},
    "resolve_quarantine": {R.HUB_PRACTITIONER},
    "import_agency_files": {
        R.POLICE_OFFICER, R.HEALTH_PRACTITIONER, R.EDUCATION_INCLUSION_MANAGER,
        R.HOUSING_OFFICER, R.LICENSING_OFFICER, R.SOCIAL_WORKER, R.HUB_PRACTITIONER,
        R.SYSTEM_ADMINISTRATOR},
    "propose_agreements": {R.SYSTEM_ADMINISTRATOR},
    "approve_agreements": {R.DATA_PROTECTION_OFFICER},
    "manage_accounts": {R.SYSTEM_ADMINISTRATOR},
    "approve_account_changes": {R.SYSTEM_ADMINISTRATOR, R.DATA_PROTECTION_OFFICER},
    "place_children": {R.HUB_PRACTITIONER},
    "review_retention": {R.DATA_PROTECTION_OFFICER},
    "search_audit": {R.DATA_PROTECTION_OFFICER},
    "review_break_glass": {R.DATA_PROTECTION_OFFICER, R.TEAM_MANAGER},
    "administer_reference_data": {R.SYSTEM_ADMINISTRATOR},
    "read_api_docs": {R.SYSTEM_ADMINISTRATOR, R.ANALYST},
    "report_worries": {R.LICENSING_OFFICER, R.HOUSING_OFFICER, R.COMMUNITY_MEMBER},
}


@pytest.mark.parametrize("duty", sorted(KEPT))
def test_each_duty_keeps_the_roles_its_list_had(duty):
    assert set(policy.roles_with(duty)) == KEPT[duty]


def test_every_navigation_entry_names_a_known_duty():
    for entry in navigation.entries():
        if entry.duty is not None:
            assert policy.roles_with(entry.duty), entry.url_name


def test_an_entry_takes_a_duty_or_roles_not_both():
    with pytest.raises(ValueError, match="not both"):
        navigation.NavEntry("x", "web:home", "y", frozenset({R.ANALYST}), duty="read_api_docs")


def test_the_access_log_shows_an_apps_action_in_its_words(client, scene):
    code = next(c for c in sorted(actions.registered()) if c not in AuditAction.values)
    with transaction.atomic():
        record(actor=scene.users[Role.POLICE_OFFICER], action=code, object_type="person",
               object_ids=[scene.mine.pk], purpose="direct_work")
    client.force_login(scene.users[Role.LEAD_WORKER])
    page = client.get(reverse("access:access-log", args=[scene.mine.public_id]))
    assert page.status_code == 200
    assert actions.label(code) != code
    assert actions.label(code).encode() in page.content
