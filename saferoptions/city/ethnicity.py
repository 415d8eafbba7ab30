"""Ethnicity in the synthetic city: each household's ethnic group, and what each agency records.

Its own random stream (seeded by the city's seed and the household), so adding it changed
nothing else the generator draws: the same seed gives the same people, events and truth.
"""

import random

from .records import Identity, TruePerson

# Shares of usual residents by ethnic group (percent), rounded, after the ONS Census 2021
# table TS021 "Ethnic group" for Bristol local authority, all ages. Children in Bristol are
# more diverse than all ages, so the synthetic city, which uses these shares for everyone,
# understates the minority groups among its children somewhat.
CENSUS_2021_SHARES = {
    "white_british": 71.6, "white_irish": 0.9, "white_gypsy_traveller": 0.1, "white_roma": 0.2,
    "white_other": 8.3,
    "mixed_white_black_caribbean": 1.6, "mixed_white_black_african": 0.6,
    "mixed_white_asian": 1.0, "mixed_other": 1.3,
    "asian_indian": 1.6, "asian_pakistani": 1.9, "asian_bangladeshi": 0.7, "asian_chinese": 1.0,
    "asian_other": 1.2,
    "black_african": 3.6, "black_caribbean": 1.2, "black_other": 1.1,
    "other_arab": 0.6, "other_any": 1.4,
}
# How often each agency's record holds an ethnic group at all (the rest: "not recorded").
# A judgement, not a published figure: schools and children's social care record it for
# nearly every child (school census, CIN census); ED and police records often lack it; a
# licensing or community report rarely knows it.
RECORDED = {
    "education": 0.95, "social-care": 0.9, "early-help": 0.85, "health": 0.8,
    "barnardos": 0.8, "youth-services": 0.75, "police": 0.7, "hospital-ed": 0.6,
    "housing": 0.6, "voluntary": 0.5, "community-safety": 0.3, "licensing": 0.1,
    "community": 0.05,
}
# A recorded group that is not the person's own (officer-defined, or a parent's answer).
MISRECORDED = 0.03
NOT_RECORDED = "not_recorded"


def assign_ethnicity(seed: int, people: list[TruePerson], identities: list[Identity]) -> None:
    """Give each person their household's ethnic group (truth) and each record what its
    agency wrote down: the group, another group now and then, or "not recorded"."""
    groups, weights = list(CENSUS_2021_SHARES), list(CENSUS_2021_SHARES.values())
    for person in people:
        home = random.Random(f"safer-options-ethnicity:{seed}:{person.household}")
        person.ethnicity = home.choices(groups, weights)[0]
    by_key = {p.key: p for p in people}
    for identity in identities:
        rng = random.Random(f"safer-options-ethnicity:{seed}:{identity.index}")
        if rng.random() >= RECORDED.get(identity.agency_slug, 0.5):
            identity.ethnicity = NOT_RECORDED
        elif rng.random() < MISRECORDED:
            identity.ethnicity = rng.choices(groups, weights)[0]
        else:
            identity.ethnicity = by_key[identity.person_key].ethnicity
