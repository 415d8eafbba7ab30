"""How each agency's record of a person differs from the truth, as real systems do.

Nicknames, spelling variants, typing errors, swapped day and month, missing fields, old
addresses, upper-case surnames, and NHS numbers that fail their check digit. Each identity
carries the list of what was done to it (truth, for evaluation only).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from saferoptions.core.identifiers import is_valid_nhs_number, nhs_check_digit

from .names import NICKNAMES, SPELLINGS
from .records import Household, Identity, TruePerson

# Neighbouring keys on a UK QWERTY keyboard, for slips of the finger.
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    near: dict[str, str] = {}
    for r, row in enumerate(KEYBOARD_ROWS):
        for c, key in enumerate(row):
            keys = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(KEYBOARD_ROWS):
                    keys += [KEYBOARD_ROWS[other][i] for i in (c, c + 1)
                             if i < len(KEYBOARD_ROWS[other])]
            near[key] = "".join(keys)
    return near


NEIGHBOURS = _neighbours()


@dataclass(frozen=True)
class Profile:
    """How carefully one agency records people (probabilities per record)."""

    nickname: float = 0.05
    spelling: float = 0.02
    typo: float = 0.02
    dob_swap: float = 0.01
    dob_missing: float = 0.0
    dob_slip: float = 0.01
    old_address: float = 0.1
    address_missing: float = 0.0
    phone: float = 0.3
    nhs: float = 0.0
    nhs_invalid: float = 0.0
    upper_surname: float = 0.0
    anonymised: float = 0.0
    sex_unknown: float = 0.01


PROFILES = {
    "health": Profile(nickname=0.01, typo=0.01, dob_swap=0.002, dob_slip=0.002, phone=0.4,
                      nhs=1.0, nhs_invalid=0.01),
    "education": Profile(nickname=0.1, typo=0.02, dob_swap=0.005, phone=0.2, old_address=0.06),
    "police": Profile(nickname=0.25, spelling=0.08, typo=0.08, dob_swap=0.04, dob_missing=0.08,
                      dob_slip=0.03, old_address=0.2, address_missing=0.1, phone=0.5, nhs=0.05,
                      nhs_invalid=0.2, upper_surname=0.6, sex_unknown=0.02),
    "social-care": Profile(nickname=0.05, spelling=0.03, typo=0.03, dob_swap=0.01, phone=0.7,
                           nhs=0.6, nhs_invalid=0.03),
    "early-help": Profile(nickname=0.1, spelling=0.04, typo=0.04, dob_swap=0.02, phone=0.6,
                          nhs=0.3, nhs_invalid=0.03, address_missing=0.05),
    "hospital-ed": Profile(nickname=0.2, spelling=0.05, typo=0.06, dob_swap=0.03, phone=0.2,
                           nhs=0.9, nhs_invalid=0.02, anonymised=0.7, old_address=0.15),
    "housing": Profile(nickname=0.05, typo=0.05, dob_missing=0.3, phone=0.5, old_address=0.02),
    "licensing": Profile(nickname=0.4, typo=0.1, dob_missing=0.7, address_missing=0.7),
    "community-safety": Profile(nickname=0.3, typo=0.08, dob_missing=0.5, address_missing=0.4),
    "youth-services": Profile(nickname=0.5, spelling=0.1, typo=0.06, dob_missing=0.4,
                              address_missing=0.5, phone=0.6),
    "barnardos": Profile(nickname=0.35, spelling=0.05, typo=0.03, dob_missing=0.1, phone=0.7,
                         address_missing=0.2, nhs=0.1, nhs_invalid=0.05),
    "voluntary": Profile(nickname=0.4, typo=0.06, dob_missing=0.5, address_missing=0.5),
    "community": Profile(nickname=0.6, typo=0.1, dob_missing=1.0, address_missing=0.9, phone=0),
}


def nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """`count` distinct valid NHS numbers in the 999 test range (never issued to anyone)."""
    width = 6 if count < 600_000 else 7
    prefix = "999" if width == 6 else "99"
    numbers: list[str] = []
    for n in rng.sample(range(10**width), min(10**width, int(count * 1.2) + 100)):
        nine = f"{prefix}{n:0{width}d}"
        check = nhs_check_digit(nine)
        if check is not None:
            numbers.append(f"{nine}{check}")
            if len(numbers) == count:
                return numbers
    raise ValueError("not enough NHS test numbers for this population")


def corrupt_nhs_number(rng: random.Random, number: str) -> str:
    """A transcription slip that the check digit catches (one digit changed)."""
    for _ in range(20):
        i = rng.randrange(10)
        wrong = number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1:]
        if not is_valid_nhs_number(wrong):
            return wrong
    return number[:9] + str((int(number[9]) + 1) % 10)


def typo(rng: random.Random, word: str) -> str:
    """One slip: an adjacent key, a dropped letter, a doubled letter or two letters swapped."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.randrange(4)
    if kind == 0:
        near = NEIGHBOURS.get(word[i].lower(), "")
        return word[:i] + rng.choice(near) + word[i + 1:] if near else word
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    i = max(i, 2)  # the first letter is rarely the one mistyped
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1:]


def swap_day_month(born: date) -> date | None:
    """The date with day and month swapped (the US/UK mix-up), if that is a different date."""
    if born.day > 12 or born.day == born.month:
        return None
    return born.replace(day=born.month, month=born.day)


def slip_date(rng: random.Random, born: date) -> date:
    """A date of birth a day or a year out, as typed in a hurry."""
    if rng.random() < 0.5:
        return born + timedelta(days=rng.choice((-1, 1)))
    try:
        return born.replace(year=born.year + rng.choice((-1, 1)))
    except ValueError:  # 29 February
        return born + timedelta(days=1)


def _given(rng: random.Random, p: Profile, name: str, done: list[str]) -> str:
    if name in NICKNAMES and rng.random() < p.nickname:
        done.append("nickname")
        return rng.choice(NICKNAMES[name])
    if name in SPELLINGS and rng.random() < p.spelling * 3:
        done.append("spelling")
        return rng.choice(SPELLINGS[name])
    if rng.random() < p.typo:
        done.append("typo_given")
        return typo(rng, name)
    return name


def _family(rng: random.Random, p: Profile, name: str, done: list[str]) -> str:
    if name in SPELLINGS and rng.random() < p.spelling * 3:
        done.append("spelling_family")
        name = rng.choice(SPELLINGS[name])
    elif rng.random() < p.typo:
        done.append("typo_family")
        name = typo(rng, name)
    if rng.random() < p.upper_surname:
        name = name.upper()
    return name


def _born(rng: random.Random, p: Profile, born: date, done: list[str]) -> date | None:
    roll = rng.random()
    if roll < p.dob_missing:
        done.append("dob_missing")
        return None
    roll -= p.dob_missing
    if roll < p.dob_swap and (swapped := swap_day_month(born)):
        done.append("dob_swapped")
        return swapped
    roll -= p.dob_swap
    if roll < p.dob_slip:
        done.append("dob_slip")
        return slip_date(rng, born)
    return born


def _address(rng, p: Profile, home: Household, done: list[str]) -> tuple[str, str]:
    if rng.random() < p.address_missing:
        done.append("address_missing")
        return "", ""
    if rng.random() < p.old_address:
        done.append("old_address")
        return home.previous_address, home.previous_postcode
    return home.address, home.postcode


def _nhs(rng: random.Random, p: Profile, number: str, done: list[str]) -> str:
    if rng.random() >= p.nhs:
        return ""
    if rng.random() < p.nhs_invalid:
        done.append("nhs_invalid")
        return corrupt_nhs_number(rng, number)
    return number


def record(rng: random.Random, person: TruePerson, home: Household, agency: str,
           index: int, source_id: str, school: int | None = None) -> Identity:
    """The agency's own identity record of `person`, varied as that agency varies records."""
    p = PROFILES[agency]
    done: list[str] = []
    if rng.random() < p.anonymised:
        # ED records shared for violence reduction carry a first name and postcode only.
        done.append("anonymised")
        given = _given(rng, p, person.given_name, done)
        postcode = home.postcode if rng.random() > p.old_address else home.previous_postcode
        return Identity(index, agency, source_id, given, "", None, person.sex, "", postcode,
                        "", "", None, person.key, tuple(done))
    address, postcode = _address(rng, p, home, done)
    sex = person.sex if rng.random() >= p.sex_unknown else "U"
    return Identity(
        index, agency, source_id,
        _given(rng, p, person.given_name, done),
        _family(rng, p, person.family_name, done),
        _born(rng, p, person.date_of_birth, done),
        sex, address, postcode,
        person.phone if person.phone and rng.random() < p.phone else "",
        _nhs(rng, p, person.nhs_number, done),
        school, person.key, tuple(done),
    )
