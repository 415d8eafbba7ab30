"""Demo caseloads: put each demo practitioner in the team around some of the city's children.

Without this a demo practitioner, who by the access policy sees only children they work with,
would see nobody. Real caseloads are made by people, through the team-around-the-child pages.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from saferoptions.accounts.demo import is_demo_account
from saferoptions.cases.models import TeamAroundChildMember, TeamRole
from saferoptions.cases.services import add_team_member
from saferoptions.core.models import Role
from saferoptions.events.models import EventType
from saferoptions.people.models import Person, PersonKind

# The part each practitioner role plays in a team around the child.
TEAM_ROLES = {
    Role.LEAD_WORKER: TeamRole.LEAD_PROFESSIONAL,
    Role.SOCIAL_WORKER: TeamRole.SOCIAL_WORKER,
    Role.EARLY_HELP_WORKER: TeamRole.EARLY_HELP_WORKER,
    Role.CLINICAL_PSYCHOLOGIST: TeamRole.CLINICAL_PSYCHOLOGIST,
    Role.POLICE_OFFICER: TeamRole.POLICE,
    Role.EDUCATION_INCLUSION_MANAGER: TeamRole.EDUCATION_INCLUSION_MANAGER,
    Role.HEALTH_PRACTITIONER: TeamRole.HEALTH,
    Role.HOUSING_OFFICER: TeamRole.MEMBER,
}
# Roles whose own agency's records say which children they would know: the ED sees children
# hurt, housing the children of the tenancies it reports on. Others get the busiest children.
OWN_RECORDS = {
    Role.HEALTH_PRACTITIONER: EventType.ED_ASSAULT,
    Role.HOUSING_OFFICER: EventType.HOUSING_REPORT,
}


def assign_demo_caseloads() -> dict[str, int]:
    """Give each demo practitioner with no caseload yet the most active children; idempotent."""
    made = {}
    for user in get_user_model().objects.filter(role__in=TEAM_ROLES, is_active=True):
        if not is_demo_account(user.username):
            continue
        if TeamAroundChildMember.objects.filter(user=user).exists():
            continue
        children = _busiest_children(user, settings.DEMO_CASELOAD_SIZE)
        for person in children:
            add_team_member(actor=None, person=person, user=user, role=TEAM_ROLES[user.role],
                            reason="Demo caseload of the synthetic city.")
        if children:
            made[user.username] = len(children)
    return made


def _busiest_children(user, size: int) -> list[Person]:
    """Children with the most events (of the user's own agency first, where it has some), in
    the user's locality where they have one."""
    people = Person.objects.filter(kind=PersonKind.CHILD, merged_into__isnull=True)
    if user.locality_id:
        people = people.filter(locality_id=user.locality_id)
    own = OWN_RECORDS.get(user.role)
    people = people.annotate(
        own=Count("involvements", filter=Q(involvements__event__event_type=own)),
        seen=Count("involvements")).order_by("-own", "-seen", "pk")
    return list(people[:size])
