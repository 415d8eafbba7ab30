"""What groups and places produce: joint incidents, community concerns, licensing and housing.

A true group shows up as young people seen together at the same few places, adults and
vehicles around them, and neighbours' and premises' reports about those places.
"""


from . import visibility
from .recording import Recorder, poisson
from .records import Place, TrueGroup, TruePerson

# Expected events per group per month.
GROUP_RATES = {"incident": 1.5, "community": 1.0, "licensing": 0.3, "housing": 0.3}
# Background reports about places anywhere, per 1,000 children per month.
BACKGROUND_PER_THOUSAND = {"community": 15, "licensing": 6, "housing": 8}
CONCERNS = (
    "Young people in school uniform getting into a car with older men late at night.",
    "Groups of teenagers gathering and what look like drugs being handed over.",
    "Different young people coming and going from a flat at all hours.",
    "A child who looked frightened was being shouted at by an adult.",
    "Teenagers carrying what looked like a knife.",
    "Noise and fighting most evenings.",
    "Litter, needles and people drinking in the play area.",
)
LICENSING = (
    "Under-18s served and seen with adults after 11pm.",
    "Staff report young people collecting packages at the counter.",
    "Door staff refused entry to a group of teenagers with an adult.",
    "Premises open past licensed hours.",
)
HOUSING = (
    "Tenant reports people staying in the flat against their wishes (suspected cuckooing).",
    "Neighbours report heavy footfall and young visitors at night.",
    "Damage to the communal door; drug paraphernalia found on the stairs.",
)


class GroupEvents:
    """Generates the events of true groups and the background reports about places."""

    def __init__(self, rec: Recorder, people: list[TruePerson], places: list[Place],
                 places_by_ward: dict[str, list[int]], adults_by_ward: dict[str, list[int]],
                 vehicles: dict[int, str], months: int):
        self.rec, self.rng, self.people, self.places = rec, rec.rng, people, places
        self.places_by_ward, self.adults_by_ward = places_by_ward, adults_by_ward
        self.vehicles, self.months = vehicles, months

    def group(self, group: TrueGroup, index: int) -> None:
        for kind, rate in GROUP_RATES.items():
            for _ in range(poisson(self.rng, rate * self.months)):
                getattr(self, kind)(group, index)

    def background(self, children: int) -> None:
        for kind, rate in BACKGROUND_PER_THOUSAND.items():
            for _ in range(poisson(self.rng, rate * children / 1000 * self.months)):
                ward = self.rng.choice(list(self.places_by_ward))
                getattr(self, kind)(None, None, ward)

    def _place(self, group: TrueGroup | None, ward: str | None, types: tuple[str, ...]) -> int:
        pool = group.places if group else self.places_by_ward[ward]
        fitting = [i for i in pool if self.places[i].place_type in types]
        if not fitting:
            fitting = [i for i in self.places_by_ward[group.ward_code if group else ward]
                       if self.places[i].place_type in types]
        return self.rng.choice(fitting)

    def incident(self, group: TrueGroup, index: int) -> None:
        rng = self.rng
        seen = [m for m in group.members if visibility.seen_with_group(self.people[m])]
        members = rng.sample(seen, min(len(seen), rng.randint(2, 4)))
        category = rng.choice(("drugs", "drugs", "exploitation", "violence", "knife"))
        role = "victim" if category == "exploitation" else "suspect"
        people = [(m, role) for m in members]
        objects = []
        if rng.random() < 0.35:
            exploiter = rng.choice(group.exploiters)
            people.append((exploiter, "suspect"))
            phone = self.people[exploiter].phone
            objects.append(("phone", f"Phone seized; number {phone}"))
            if exploiter in self.vehicles:
                objects.append(("vehicle", self.vehicles[exploiter]))
        if category == "knife":
            objects.append(("knife", "Large kitchen knife"))
        elif category == "drugs":
            objects.append(("drugs", "Wraps of suspected heroin and crack cocaine"))
        place = rng.choice(group.places)
        self.rec.add("police_incident", category, "police", self.rec.when("evening"),
                     people=people, place=place, objects=objects, group=index,
                     summary=f"Police attended a {category} incident with several young people.")

    def community(self, group: TrueGroup | None, index: int | None,
                  ward: str | None = None) -> None:
        place = self._place(group, ward, ("park", "street", "estate", "shop", "transport_hub",
                                          "takeaway"))
        text = self.rng.choice(CONCERNS[:5] if group else CONCERNS[3:])
        category = "exploitation" if "car" in text or "frightened" in text else \
            "drugs" if "drugs" in text or "flat" in text else "antisocial"
        # Whoever raised a concern stays anonymous: the event names nobody.
        self.rec.add("community_concern", category, "community", self.rec.when("day"),
                     place=place, summary=text, group=index)

    def licensing(self, group: TrueGroup | None, index: int | None,
                  ward: str | None = None) -> None:
        place = self._place(group, ward, ("licensed_premises", "takeaway"))
        people = []
        seen = [m for m in group.members if visibility.seen_with_group(self.people[m])] \
            if group else []
        if seen and self.rng.random() < 0.3:
            people = [(self.rng.choice(seen), "associate")]
        self.rec.add("licensing_report", "premises" if not group else
                     self.rng.choice(("premises", "exploitation")), "licensing",
                     self.rec.when("evening"), place=place, people=people, group=index,
                     summary=self.rng.choice(LICENSING if group else LICENSING[2:]))

    def housing(self, group: TrueGroup | None, index: int | None,
                  ward: str | None = None) -> None:
        place = self._place(group, ward, ("estate",))
        ward = self.places[place].ward_code
        people = []
        tenants = self.adults_by_ward.get(ward, [])
        if tenants:
            people.append((self.rng.choice(tenants), "victim" if group else "subject"))
        if group:
            people.append((self.rng.choice(group.exploiters), "associate"))
        self.rec.add("housing_report", "exploitation" if group else
                     self.rng.choice(("antisocial", "drugs", "other")), "housing",
                     self.rec.when("day"), place=place, people=people, group=index,
                     summary=self.rng.choice(HOUSING if group else HOUSING[1:]))
