"""Background jobs for contexts (django-q2): finding peer groups over a large city."""

from saferoptions.core.models import User

from . import services_analysis


def suggest_groups_for(user_id: int) -> int:
    """Run the group search as this user (audited as them); how many groups were suggested."""
    actor = User.objects.get(pk=user_id)
    return len(services_analysis.suggest_groups(actor=actor))
