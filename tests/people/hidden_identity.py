"""A reader who may open a child but not see who the child is, for the pages of every app.

A Barnardo's lead worker on the team around Amara Okafor, born 4 March 2011, whose only record
is the police's; the police share incidents with Barnardo's but not identity, until
`share_identity`. Pages that list or name her must read '(name not known)' without the
identity category, exactly as for a child nobody named (`people.selectors.shown_people`).
"""

import datetime as dt
from dataclasses import dataclass

from saferoptions.core.models import AgencyKind, Role
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import AgencyFactory, UserFactory

from .factories import IdentityFactory, PersonFactory

BORN = dt.date(2011, 3, 4)
NAME, BORN_WORDS = "Okafor", "4 March 2011"


@dataclass
class HiddenIdentity:
    reader: object
    child: object
    police: object
    barnardos: object

    def share_identity(self):
        AgreementFactory(provider=self.police, recipient=self.barnardos, categories=["identity"],
                         purposes=["direct_work", "triage"])


def lead_worker_without_identity(*, police=None, locality=None, **reader) -> HiddenIdentity:
    police = police or AgencyFactory(kind=AgencyKind.POLICE)
    barnardos = AgencyFactory(kind=AgencyKind.BARNARDOS)
    user = UserFactory(**{"role": Role.LEAD_WORKER, "agency": barnardos, **reader})
    child = PersonFactory(given_name="Amara", family_name=NAME, date_of_birth=BORN, sex="F",
                          locality=locality)
    IdentityFactory(person=child, agency=police, date_of_birth=BORN, sex="F")
    TeamMemberFactory(person=child, user=user, started_on=dt.date(2020, 1, 1))
    AgreementFactory(provider=police, recipient=barnardos, categories=["police_incidents"],
                     purposes=["direct_work", "triage"])
    return HiddenIdentity(user, child, police, barnardos)

