"""`link-file` on a spreadsheet carrying email addresses (Splink's fake_1000 layout: unique_id,
first_name, surname, dob, city, email, cluster): the address is read, cleaned and compared, and
it links the file better than the same file without it."""

import datetime as dt
import io
import itertools
import random
from collections import defaultdict

import pytest
from django.core.management import call_command

from saferoptions.linkage import file_fields, file_linking, spreadsheet, synthetic

from .test_link_file import read_csv

TODAY = dt.date(2026, 6, 1)
LAYOUT = ("unique_id", "first_name", "surname", "dob", "city", "email", "cluster")
CITIES = ("London", "Bristol", "Leeds", "Manchester", "Birmingham", "Glasgow", "Cardiff")
DOMAINS = ("gmail.com", "hotmail.co.uk", "yahoo.co.uk", "outlook.com", "btinternet.com")


def fake_people(people: int, seed: int) -> list[dict]:
    """Records in fake_1000's layout: names with typos, dates of birth a day or a year out,
    values missing, addresses with a typing slip, at another provider or in capitals."""
    rng = random.Random(seed)
    rows = []
    for person in range(people):
        first, last = rng.choice(synthetic.FORENAMES), rng.choice(synthetic.SURNAMES)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 60 * 365))
        city = rng.choice(CITIES)
        number = rng.choice(("", str(rng.randint(1, 99))))
        mail = f"{first}{rng.choice(('.', '', '_'))}{last}{number}@{rng.choice(DOMAINS)}"
        for _ in range(rng.choice((1, 2, 2, 3, 4))):
            rows.append({"unique_id": str(len(rows)), "cluster": str(person),
                         **_noisy(rng, first, last, born, city, mail)})
    rng.shuffle(rows)
    return rows


def _noisy(rng, first, last, born, city, mail) -> dict:
    first = synthetic._typo(rng, first) if rng.random() < 0.25 else first
    last = synthetic._typo(rng, last) if rng.random() < 0.25 else last
    roll = rng.random()
    if roll < 0.1:
        born += dt.timedelta(days=rng.choice((-1, 1)))
    elif roll < 0.2 and (born.month, born.day) != (2, 29):
        born = born.replace(year=born.year + rng.choice((-1, 1)))
    city = rng.choice(CITIES) if rng.random() < 0.1 else city
    roll = rng.random()
    if roll < 0.15:
        mail = synthetic._typo(rng, mail)
    elif roll < 0.25:
        mail = mail.split("@")[0] + "@" + rng.choice(DOMAINS)
    elif roll < 0.35:
        mail = f" {mail.upper()} "
    return {"first_name": "" if rng.random() < 0.05 else first.title(),
            "surname": last.title(), "dob": "" if rng.random() < 0.15 else born.isoformat(),
            "city": "" if rng.random() < 0.15 else city,
            "email": "" if rng.random() < 0.2 else mail}


def write(path, rows, layout=LAYOUT):
    path.write_text(",".join(layout) + "\n"
                    + "".join(",".join(r[c] for c in layout) + "\n" for r in rows))
    return path


def f1(rows: list[dict], cluster_of: dict) -> float:
    truth, found = defaultdict(list), defaultdict(list)
    for r in rows:
        truth[r["cluster"]].append(r["unique_id"])
    for record, person in cluster_of.items():
        found[person].append(record)

    def pairs(groups):
        return {tuple(sorted(p)) for ids in groups.values()
                for p in itertools.combinations(ids, 2)}

    right = len(pairs(truth) & pairs(found))
    return 2 * right / (len(pairs(truth)) + len(pairs(found)))


@pytest.mark.parametrize("heading", ["email", "Email Address", "E-mail", "mail", "Child's Email"])
def test_email_headings_are_read(tmp_path, heading):
    path = tmp_path / "in.csv"
    path.write_text(f"id,first_name,surname,{heading}\n1,Amy,Jones,Amy.Jones@Example.org\n")
    sheet = spreadsheet.read(path)
    assert sheet.used["email"] == [heading]
    assert sheet.rows[0]["email"] == "Amy.Jones@Example.org"


@pytest.mark.parametrize(("written", "cleaned"), [
    ("  Amy.Jones@GMAIL.com ", ("amy.jones@gmail.com", "amy.jones")),
    ("amy.jones+school@gmail.com", ("amy.jones+school@gmail.com", "amy.jones+school")),
    ("mailto:amy@example.org", ("amy@example.org", "amy")),
    ("none", (None, None)), ("n/a", (None, None)), ("noemail@noemail.com", (None, None)),
    ("unknown@council.gov.uk", (None, None)), ("@gmail.com", (None, None)), ("", (None, None)),
])
def test_an_address_is_trimmed_and_lower_cased_and_a_placeholder_is_none(written, cleaned):
    # Dots and +tags are kept: only Gmail ignores them, and at a school j.smith@ and jsmith@
    # are two people.
    assert file_fields.email(written) == cleaned


def test_a_file_with_email_addresses_links_better_than_without_them():
    rows = fake_people(300, seed=3)
    raw = [{"record_id": r["unique_id"], "first_name": r["first_name"],
            "last_name": r["surname"], "dob": r["dob"], "town": r["city"], "email": r["email"]}
           for r in rows]
    with_email = file_linking.link(raw, today=TODAY)
    without = file_linking.link([{k: v for k, v in r.items() if k != "email"} for r in raw],
                                today=TODAY)
    assert "email" in with_email.chosen.comparison_names()
    assert ("email",) in with_email.chosen.blocking
    assert f1(rows, with_email.cluster_of) >= f1(rows, without.cluster_of) + 0.03
    assert f1(rows, with_email.cluster_of) >= 0.93


def test_the_summary_review_file_and_report_show_the_email(tmp_path):
    path = write(tmp_path / "fake.csv", fake_people(150, seed=5))
    out = io.StringIO()
    call_command("link_file", str(path), str(tmp_path / "out.csv"), "--report",
                 str(tmp_path / "report.html"), "--review-threshold", "0.01", stdout=out)
    assert "email -> email" in out.getvalue()
    review = read_csv(tmp_path / "out_review.csv")
    assert review and {"left_email", "right_email", "email_level", "email_weight"} <= set(
        review[0])
    levels = {r["email_level"] for r in review}
    assert levels & {"different", "missing", "one typing slip", "same name before the @",
                     "two typing slips", "exact"}
    page = (tmp_path / "report.html").read_text()
    assert "<td>email</td><td>same name before the @</td>" in page
