"""What each role does in Safer Options, in one or two plain sentences for their home page."""

from saferoptions.core.models import Role

R = Role
INTRODUCTIONS = {
    R.HUB_PRACTITIONER: "You decide what happens next for children partners are worried about: "
                        "the triage queue holds the concerns waiting for the Hub, with what "
                        "partners know about each child on one screen.",
    R.SOCIAL_WORKER: "You work with the children whose team around the child you are in: "
                     "their clocks, assessments and plans are on your \"My work\" page, and "
                     "your team's tasks in \"Tasks\".",
    R.EARLY_HELP_WORKER: "You support children and families early, before harm escalates: the "
                         "children you work with and their deadlines are on \"My work\", your "
                         "team's tasks in \"Tasks\".",
    R.LEAD_WORKER: "You are the trusted adult for the children you work with: rapid-response "
                   "and other tasks for your team arrive in \"Tasks\" (take one to make it "
                   "yours), and each child's clocks are on \"My work\".",
    R.CLINICAL_PSYCHOLOGIST: "You offer psychological support to the children you work with: "
                             "they are on \"My work\", with anything due.",
    R.POLICE_OFFICER: "You share what the police know and act on the partnership's "
                      "decisions: your team's tasks are in \"Tasks\", and the children you "
                      "work with on \"My work\".",
    R.EDUCATION_INCLUSION_MANAGER: "You keep children in school safely: incidents in school "
                                   "open risk-assessment tasks for you in \"Tasks\"; the "
                                   "children you work with are on \"My work\".",
    R.HEALTH_PRACTITIONER: "You see children when they are hurt and refer them on: the children "
                           "you work with are on \"My work\", your team's tasks in \"Tasks\".",
    R.HOUSING_OFFICER: "You tell the partnership about housing risks to children: your team's "
                       "tasks are in \"Tasks\", the children you work with on \"My work\".",
    R.LICENSING_OFFICER: "You tell the Hub about places where children may be at risk; you "
                         "never see children's records.",
    R.COMMUNITY_MEMBER: "You tell the Hub about places where children may be at risk; you "
                        "never see children's records.",
    R.LOCALITY_CHAIR: "You chair your locality's weekly multi-agency meeting: the agenda is "
                      "built overnight from the partners' work, and decisions become tasks.",
    R.TEAM_MANAGER: "You oversee your team's work: each worker's caseload, work that is late "
                    "and work nobody has yet, and you allocate children to your workers.",
    R.STRATEGIC_LEAD: "You plan the partnership's response from figures that identify nobody: "
                      "hot spots, trends and services.",
    R.ANALYST: "You study patterns across the city from figures that identify nobody, and tune "
               "how records are linked.",
    R.DATA_PROTECTION_OFFICER: "You make sure records are used lawfully: who read what and why, "
                               "emergency access, subject access and retention.",
    R.SYSTEM_ADMINISTRATOR: "You keep the service running: accounts, partner systems and "
                            "reference data; you never see children's records.",
    R.CATALOGUE_MANAGER: "You keep the interventions catalogue right: the programmes, who "
                         "provides them and the places each month, and who is trained to staff "
                         "outreach and group work; you never see children's records.",
}


def introduction(role: str) -> str:
    """The sentence for this role (a plain fallback for a role not described yet)."""
    try:
        return INTRODUCTIONS[Role(role)]
    except (ValueError, KeyError):
        return "The pages your role can use are listed below."
