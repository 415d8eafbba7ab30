"""The contextual safeguarding toolkit's assessment prompts, by kind of context.

Keys are stored with each answer, so a prompt's wording can change without losing the answers.
"""

PROMPTS = {
    "place": [
        ("who_and_when", "Who is there, and when (times of day, days of the week)?"),
        ("guardianship", "Guardianship: who looks out for children there (staff, residents, "
                         "wardens), and who does not?"),
        ("design_and_lighting", "Design and lighting: hidden corners, sight lines, lighting, "
                                "ways in and out"),
        ("activity", "Activity: what happens there that draws children in or puts them at "
                     "risk?"),
        ("businesses", "Businesses: shops, takeaways, licensed premises and how they respond"),
    ],
    "group": [
        ("dynamics", "Dynamics: how the group behaves together, who leads, what holds it "
                     "together"),
        ("harmful_members", "Harmful members: who draws others into harm (by role, not by "
                            "name where it can be avoided)"),
        ("protective_members", "Protective members: who keeps others safe"),
        ("draw", "What draws children in: belonging, money, status, protection, fear"),
    ],
    "school": [
        ("culture", "Culture: how safe children feel, norms about weapons and violence"),
        ("spaces", "Spaces: where in and around the school harm happens (routes, gates, "
                   "toilets)"),
        ("policies", "Policies: behaviour, exclusion, searching and how they are applied"),
    ],
}


def prompts_for(kind: str) -> list[tuple[str, str]]:
    """The prompts for one kind of context (place, group or school)."""
    return PROMPTS[kind]
