"""One person's facts for the access decision, in one small hand-written query.

The child's page runs this on every request, so it skips the ORM's query building (several
milliseconds for four correlated subqueries). The apps that know who works with a child give
their part as an SQL `EXISTS(...)` (`registry.WorksWith.exists`); this module adds the
break-glass grant and asks them all at once. `test_policy_database.py` checks it against the
reference on generated worlds, like the ORM path used for lists.
"""

from django.db import connection

from . import registry, rules
from .models import BreakGlassGrant


def _break_glass(viewer: rules.Viewer, person_id: int, now) -> tuple[str, list]:
    grant = BreakGlassGrant._meta.db_table
    moment = connection.ops.adapt_datetimefield_value(now)
    # Only the table name from the model is formatted in; every value is a query parameter.
    sql = (f"EXISTS(SELECT 1 FROM {grant} g WHERE g.person_id = %s AND g.user_id = %s"  # noqa: S608
           " AND g.granted_at <= %s AND g.expires_at > %s)")
    return sql, [person_id, viewer.id, moment, moment]


def load(viewer: rules.Viewer, person_id: int, locality_id, today, now) -> rules.PersonFacts:
    """The facts `rules.decide` needs about one person, as seen by `viewer` today."""
    parts, scopes = [_break_glass(viewer, person_id, now)], []
    for fact in registry.works_with(rules.TEAM):
        part = fact.exists(viewer, person_id, today)
        if part is not None:  # e.g. a team's fact for a viewer with no team: never true
            parts.append(part)
            scopes.append(fact.scope)
    sql = "SELECT " + ", ".join(s for s, _ in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _, params in parts for p in params])
        glass, *found = cursor.fetchone()
    by_scope = list(zip(scopes, found, strict=True))
    return rules.PersonFacts(
        locality_id=locality_id,
        involved=any(bool(f) for s, f in by_scope if s == rules.INVOLVEMENT),
        team_involved=any(bool(f) for s, f in by_scope if s == rules.TEAM),
        break_glass=bool(glass))
