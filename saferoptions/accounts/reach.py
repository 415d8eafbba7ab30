"""Who manages accounts, who approves, and which changes widen someone's reach (pure rules).

Who manages and who approves are duties in the one role table (`ACCESS_ROLE_RULES`), like all
reach; tests/access/test_role_reach.py pins who holds them, so handing out the power to change
accounts is a reviewed change to the table and its test, never a quiet edit (docs/accounts.md).
"""

from dataclasses import asdict, dataclass

from saferoptions.access.policy import roles_with
from saferoptions.core.models import Role

# Create accounts, change placements, issue password links, propose second-factor resets.
MANAGERS = roles_with("manage_accounts")
# Approve a widening change or a second-factor reset: never the proposer, never its subject.
APPROVERS = roles_with("approve_account_changes")
# A chair prepares and runs their locality's meetings and opens the children on the agendas.
MEETING_CHAIRS = roles_with("chair_meetings")
# Roles whose reach goes beyond the children a person works with (docs/access-policy.md): not
# reach itself but the safeguard on granting it (a second approver), so it stays here, fixed
# in code: an edit to the role table must not be able to switch off its own safeguard.
WIDENING_ROLES = frozenset({
    Role.DATA_PROTECTION_OFFICER, Role.SYSTEM_ADMINISTRATOR, Role.TEAM_MANAGER,
    Role.HUB_PRACTITIONER, Role.ANALYST,
})


# Roles that read no child's record (and no role, or a disabled account): moving from one
# of them to a practitioner's role opens records, so it waits for a second person too. Fixed
# in code for the same reason as WIDENING_ROLES.
RECORDLESS_ROLES = frozenset({
    "", Role.COMMUNITY_MEMBER, Role.LICENSING_OFFICER, Role.STRATEGIC_LEAD,
    Role.SYSTEM_ADMINISTRATOR, Role.CATALOGUE_MANAGER,
})


@dataclass(frozen=True)
class Placement:
    """Where an account sits: what the access policy reads about it."""

    role: str
    agency_id: int | None
    team_id: int | None
    locality_id: int | None
    is_active: bool = True

    @classmethod
    def of(cls, user) -> "Placement":
        return cls(user.role or "", user.agency_id, user.team_id, user.locality_id,
                   user.is_active)

    def as_dict(self) -> dict:
        return asdict(self)


def _label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def widening_reasons(before: Placement | None, after: Placement) -> list[str]:
    """Why moving from `before` (None: a new account) to `after` widens reach; [] if it does not.

    A disabled account reaches nothing, so enabling one counts as granting its role again.
    """
    if not after.is_active or not after.role:
        return []
    had = before.role if before is not None and before.is_active else ""
    reasons = []
    if after.role in WIDENING_ROLES and after.role != had:
        reasons.append(f"gives the role {_label(after.role)}")
    elif had in RECORDLESS_ROLES and after.role not in RECORDLESS_ROLES:
        # A community member made a social worker at once could open children's records
        # through break-glass the moment the change applied.
        reasons.append(f"gives the role {_label(after.role)}, which reads children's records, "
                       "to an account that read none")
    if before is not None and before.agency_id != after.agency_id:
        reasons.append("moves the account to another agency: its records and agreements "
                       "come with it")
    moved = before is not None and (before.team_id, before.locality_id) != (
        after.team_id, after.locality_id)
    if after.role in WIDENING_ROLES and moved and after.role == had:
        reasons.append(f"moves a {_label(after.role).lower()} to another team or locality: "
                       "their reach follows it")
    elif before is not None and after.team_id is not None and before.team_id != after.team_id:
        # Every practitioner sees the children of their team's tasks and open referrals: put
        # in the Hub's team at once, a social worker read every child the Hub had a task for.
        reasons.append("moves the account to another team: the children of that team's tasks "
                       "and referrals come with it")
    elif before is not None and after.role in MEETING_CHAIRS and after.locality_id is not None \
            and before.locality_id != after.locality_id:
        reasons.append("moves a meeting chair to another locality: the children on its "
                       "meetings' agendas come with it")
    return reasons


def may_manage(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in MANAGERS)


def may_approve(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in APPROVERS)
