"""A small generator of person records with known truth, for linkage tests and the benchmark.

Each person gets one to five agency records, recorded the way agencies really differ: nicknames
and spelling variants, typos, day and month transposed, a year out, a house move, missing
fields, an NHS number mistyped. Twins (same surname, birthday and address) make it hard.
This is not the synthetic city (saferoptions.city.generator); the benchmark prefers that.
"""

import datetime as dt
import random
import string

from saferoptions.core.identifiers import nhs_check_digit

FORENAMES = str.split(
    "jayden jaydon mohammed muhammad alex alexander liz elizabeth oliver harry jack charlie "
    "george noah leo oscar archie jacob thomas william james joshua tyler kai riley callum "
    "connor kieran reece ethan lewis dylan aaron ryan jordan liam mason logan nathan owen "
    "amelia olivia isla ava emily sophie grace mia poppy ella lily evie chloe jessica megan "
    "ruby holly leah amber jade kayleigh aisha fatima maryam zara hannah abigail lauren "
    "bethany courtney shannon paige keira niamh erin caitlin demi ellie"
)
SURNAMES = str.split(
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson "
    "wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan "
    "allen james scott phillips watson davis parker price bennett young griffiths mitchell "
    "kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan "
    "marshall anderson simpson ellis adams singh begum ali hussain ahmed wilkinson foster "
    "chapman powell webb rogers gray mason ali okafor mensah nowak kowalski osei campbell "
    "reid stewart mcdonald obrien fitzgerald hassan yusuf abdi farah warsame omar"
)
STREETS = ("mill road", "church street", "station road", "park avenue", "victoria street",
           "high street", "queens road", "kings drive", "the crescent", "manor close",
           "grove lane", "orchard way")
POSTCODE_AREAS = ("BS1", "BS2", "BS3", "BS4", "BS5", "BS6", "BS7", "BS8", "BS9", "BS10",
                  "BS11", "BS13", "BS14", "BS15", "BS16")
AGENCIES = ("police", "school", "health", "social-care", "youth-offending")


def nhs_number(rng: random.Random) -> str:
    """A random ten-digit number that passes the Modulus 11 check."""
    while True:
        body = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = nhs_check_digit(body)
        if check is not None:
            return body + str(check)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    action = rng.choice(("swap", "drop", "replace"))
    if action == "swap" and i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if action == "drop":
        return text[:i] + text[i + 1:]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]


def _person(rng: random.Random, key: str, today: dt.date) -> dict:
    born = today - dt.timedelta(days=rng.randint(10 * 365, 18 * 365))
    area = rng.choice(POSTCODE_AREAS)
    return {
        "true_person_key": key,
        "first_name": rng.choice(FORENAMES),
        "last_name": rng.choice(SURNAMES),
        "dob": born,
        "sex": rng.choice("MF"),
        "postcode": f"{area} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
        "phone": f"07{rng.randint(100000000, 999999999)}",
        "nhs_number": nhs_number(rng),
    }


_NICKNAMES = {"jayden": "jaydon", "mohammed": "muhammad", "alexander": "alex",
              "elizabeth": "liz", "william": "will", "thomas": "tom", "james": "jamie",
              "joshua": "josh", "charlie": "charles", "jessica": "jess", "abigail": "abbie"}


def _record(rng: random.Random, person: dict, today: dt.date, noise: float) -> dict:
    rec = dict(person)
    if rng.random() < noise:
        rec["first_name"] = _NICKNAMES.get(rec["first_name"], _typo(rng, rec["first_name"]))
    if rng.random() < noise:
        rec["last_name"] = _typo(rng, rec["last_name"])
    dob = rec["dob"]
    roll = rng.random()
    if roll < noise / 2 and dob.day <= 12 and dob.day != dob.month:
        dob = dob.replace(day=dob.month, month=dob.day)
    elif roll < noise * 0.7 and not (dob.month == 2 and dob.day == 29):
        dob = dob.replace(year=dob.year + rng.choice((-1, 1)))
    rec["dob"] = rng.choice((dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%-d/%-m/%y")))
    if rng.random() < noise:  # moved house
        rec["postcode"] = _person(rng, "", today)["postcode"]
        rec["address"] = _person(rng, "", today)["address"]
    if rng.random() < 0.3:
        rec["postcode"] = rec["postcode"].lower().replace(" ", "")
    for field, p_missing in (("nhs_number", 0.5), ("phone", 0.6), ("address", 0.3),
                             ("postcode", 0.15), ("dob", 0.08), ("sex", 0.1)):
        if rng.random() < p_missing:
            rec[field] = ""
    if rec["nhs_number"] and rng.random() < noise / 2:
        rec["nhs_number"] = rec["nhs_number"][:9] + str((int(rec["nhs_number"][9]) + 1) % 10)
    return rec


def generate(*, people: int, seed: int = 1, noise: float = 0.15, twins: float = 0.02,
             today: dt.date = dt.date(2026, 1, 1)) -> list[dict]:
    """Records (raw fields plus record_id, source and true_person_key) for `people` people."""
    rng = random.Random(seed)
    records: list[dict] = []
    persons: list[dict] = []
    for i in range(people):
        if persons and rng.random() < twins:
            twin = dict(persons[-1], true_person_key=f"p{i}", first_name=rng.choice(FORENAMES),
                        nhs_number=nhs_number(rng))
            persons.append(twin)
        else:
            persons.append(_person(rng, f"p{i}", today))
    for person in persons:
        for _ in range(rng.choice((1, 2, 3, 4, 4, 5))):
            rec = _record(rng, person, today, noise)
            rec["record_id"] = f"r{len(records)}"
            rec["source"] = rng.choice(AGENCIES)
            records.append(rec)
    rng.shuffle(records)
    return records
