"""A partner's worry about a person, matched without revealing identities (issue 17, item 6)."""

import datetime as dt
import html
import logging
import re
import time
from multiprocessing import Queue, Value
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.brokers import get_broker
from django_q.models import Failure
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.tasks import async_task
from django_q.worker import worker

from saferoptions.accounts import middleware as accounts_middleware
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.intelligence import encoded
from saferoptions.intelligence.encode_report import main as encode_report
from saferoptions.intelligence.models import (
    EncodedCheck,
    EncodedMatch,
    EncodedWorry,
    IntelligenceReport,
)
from saferoptions.linkage import bloom
from tests.access.factories import AgreementFactory
from tests.core.factories import AgencyFactory
from tests.people.factories import IdentityFactory

from .conftest import NOW, signed_in
from .helpers import without_csrf

WORRY = reverse("intelligence:worry")


@pytest.fixture(autouse=True)
def fresh_index():
    encoded._index.clear()
    yield
    encoded._index.clear()


@pytest.fixture
def on_record(world):
    """The child's police record: how the partnership knows Tyrese Campbell-Okoro; the police
    share who he is with the Hub's agency, as the partnership's agreements do."""
    police = AgencyFactory(slug="police-rec")
    IdentityFactory(person=world.child, agency=police,
                    date_of_birth=dt.date(2011, 5, 3), postcode="BS5 6XY")
    AgreementFactory(provider=police, recipient=world.users["hub"].agency,
                     categories=["identity"], purposes=["triage", "direct_work"])
    IdentityFactory(person=world.other_child, agency=AgencyFactory(slug="school-rec"),
                    date_of_birth=dt.date(2010, 1, 9), postcode="BS13 7AB")
    return world


def _worry(client, **fields):
    data = {"given_name": "", "family_name": "", "date_of_birth": "", "postcode": "",
            "encoded": "", **fields}
    return client.post(WORRY, data)


ABOUT_CHILD = {"given_name": "Tyrese", "family_name": "Campbell Okoro",
               "date_of_birth": "3/5/2011", "postcode": "bs5 6xy"}
ABOUT_NOBODY = {"given_name": "Harriet", "family_name": "Winterbottom",
                "date_of_birth": "17/11/2009", "postcode": "BS9 3QT"}


def test_a_worry_about_a_known_child_alerts_the_hub_naming_them(client, on_record):
    answer = _worry(signed_in(client, on_record.users["business"]), **ABOUT_CHILD)
    assert answer.status_code == 302
    match = EncodedMatch.objects.get()
    assert match.person == on_record.child and match.score >= 0.9
    assert match.reported_by == on_record.users["business"]
    alert = match.report
    assert alert.account == encoded.ALERT_TEXT and alert.submitted_by is None
    # The partner's "intelligence you shared" does not list it: they are not told.
    assert not IntelligenceReport.objects.filter(submitted_by=on_record.users["business"])
    assert AuditEntry.objects.filter(action="encoded_worry_matched").count() == 1
    assert EncodedWorry.objects.count() == 0  # kept for no time by default

    hub = signed_in(client, on_record.users["hub"])
    queue = hub.get(reverse("intelligence:queue")).content.decode()
    assert alert.reference in queue
    page = hub.get(reverse("intelligence:encoded-matches")).content.decode()
    assert "Tyrese Campbell-Okoro" in page and alert.reference in page


def test_a_worry_about_someone_unknown_raises_nothing(client, on_record):
    assert _worry(signed_in(client, on_record.users["licensing"]), **ABOUT_NOBODY
                  ).status_code == 302
    assert not EncodedMatch.objects.exists()
    assert AuditEntry.objects.filter(action="encoded_worry_received").count() == 1


def test_the_partner_gets_the_same_bytes_whether_or_not_it_matched(client, on_record):
    partner = signed_in(client, on_record.users["housing"])
    known, unknown = _worry(partner, **ABOUT_CHILD), _worry(partner, **ABOUT_NOBODY)
    assert EncodedMatch.objects.count() == 1
    assert (known.status_code, known.content, known["Location"]) == \
           (unknown.status_code, unknown.content, unknown["Location"])
    # Every header too, but the request id and the clock time (they differ for any request).
    def headers(answer):
        clocked = ("X-Request-Id", "Date", "Expires")
        return sorted((k, v) for k, v in answer.headers.items() if k not in clocked)
    assert headers(known) == headers(unknown)
    first = partner.get(known["Location"]).content.decode()
    second = partner.get(unknown["Location"]).content.decode()
    assert without_csrf(first) == without_csrf(second)
    assert "please refer if you are worried" in first.lower()


def test_the_request_takes_the_same_path_whether_or_not_it_matches(client, on_record,
                                                                  monkeypatch):
    """The timing side channel: the request only encodes, keeps, audits and enqueues, the
    same for a match as for none; matching and the alert are the worker's job."""
    queued = []
    monkeypatch.setattr(encoded, "async_task", lambda *args, **kw: queued.append(args))
    # The session is saved at most once a wall-clock second (accounts.middleware), which would
    # add its statements to whichever request crossed a second: wall-clock time stands still.
    stopped = time.time()
    monkeypatch.setattr(accounts_middleware, "time", SimpleNamespace(time=lambda: stopped))
    partner = signed_in(client, on_record.users["housing"])
    _worry(partner, **ABOUT_NOBODY)  # the session's first request does more (once)
    queued.clear()
    with CaptureQueriesContext(connection) as known:
        _worry(partner, **ABOUT_CHILD)
    with CaptureQueriesContext(connection) as unknown:
        _worry(partner, **ABOUT_NOBODY)
    assert not EncodedMatch.objects.exists()  # nothing is checked in the request
    assert [call[0] for call in queued] == [encoded.CHECK_JOB] * 2
    shapes = [_statements(known), _statements(unknown)]
    assert shapes[0] == shapes[1]  # the same statements, in the same order
    # The job carries the id of the row holding the encoding, nothing else.
    assert all(len(call) == 2 and isinstance(call[1], int) for call in queued)
    waiting = set(EncodedCheck.objects.values_list("pk", flat=True))
    assert {call[1] for call in queued} < waiting  # (the session's first is waiting too)
    assert [encoded.check_worry(*call[1:]) for call in queued] == [True, False]
    assert EncodedMatch.objects.get().person == on_record.child
    # Each encoding goes with its check.
    assert set(EncodedCheck.objects.values_list("pk", flat=True)) == waiting - {
        call[1] for call in queued}
    assert encoded.check_worry(queued[0][1]) is False  # checked already: nothing to do


def test_a_failed_check_keeps_no_encoding_in_the_jobs_arguments(client, on_record,
                                                                 monkeypatch):
    """django-q2 keeps a failed job with its arguments: they are the check's id only, and the
    encoding waits in its row for the retry, then is deleted after its window."""
    def broken():
        raise RuntimeError("index unavailable")
    monkeypatch.setattr(encoded, "person_index", broken)
    # As in production: queued on the broker, then run by a worker (not inline).
    monkeypatch.setattr(encoded, "async_task",
                        lambda *args, **kw: async_task(*args, **kw, sync=False))
    partner = signed_in(client, on_record.users["business"])
    answer = _worry(partner, **ABOUT_CHILD)
    assert answer.status_code == 302  # the partner's answer does not depend on the check
    _work_the_queue()
    failed = Failure.objects.get()
    check = EncodedCheck.objects.get()
    assert failed.func == encoded.CHECK_JOB and failed.args == (check.pk,)
    encoding = bytes(check.encoding)
    stored = repr(failed.args) + repr(failed.kwargs) + repr(failed.result)
    assert encoding.hex() not in stored and repr(encoding) not in stored
    assert not EncodedMatch.objects.exists()
    monkeypatch.undo()
    encoded._index.clear()
    assert encoded.check_worry(check.pk) is True  # the retry finds it, and alerts the Hub
    assert not EncodedCheck.objects.exists()
    assert EncodedMatch.objects.get().person == on_record.child


def _work_the_queue() -> None:
    """What a django-q2 worker and monitor do with the queued jobs (a failure is saved)."""
    broker = get_broker()
    for _, pack in broker.dequeue() or []:
        tasks, results = Queue(), Queue()
        tasks.put(SignedPackage.loads(pack))
        tasks.put("STOP")
        worker(tasks, results, Value("f", -1))
        results.put("STOP")
        monitor(results)


def test_a_check_that_never_succeeds_is_deleted_after_its_window(client, on_record, settings,
                                                                 monkeypatch):
    settings.INTELLIGENCE_PPRL_CHECK_HOURS = 24
    monkeypatch.setattr(encoded, "async_task", lambda *args, **kw: None)  # never run
    partner = signed_in(client, on_record.users["business"])
    _worry(partner, **ABOUT_NOBODY)
    first = EncodedCheck.objects.get()
    with clock.frozen(NOW + dt.timedelta(hours=25)):
        _worry(partner, **ABOUT_NOBODY)
    assert list(EncodedCheck.objects.values_list("pk", flat=True)) == [first.pk + 1]
    assert encoded.check_worry(first.pk) is False  # a retry after the window: nothing left


def _statements(captured) -> list[str]:
    """The SQL a request ran, without its values (ids, times and tokens differ)."""
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", q["sql"])
            for q in captured.captured_queries]


def test_a_line_encoded_on_the_partners_computer_matches_too(client, on_record, settings,
                                                            tmp_path, capsys):
    (tmp_path / "partnership.key").write_text(settings.SAFEROPTIONS_PPRL_KEY + "\n")
    assert encode_report(["--key-file", str(tmp_path / "partnership.key"),
                          "--given-name", "Tyrese", "--family-name", "Campbell-Okoro",
                          "--date-of-birth", "2011-05-03"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("SO1.gfd.") and "tyrese" not in line.lower()
    assert _worry(signed_in(client, on_record.users["business"]), encoded=line
                  ).status_code == 302
    assert EncodedMatch.objects.get().person == on_record.child


def test_the_command_refuses_a_thin_report_naming_the_option(tmp_path, capsys):
    (tmp_path / "k").write_text("a partnership key of some length")
    assert encode_report(["--key-file", str(tmp_path / "k"), "--given-name", "Tyrese"]) == 2
    assert "--family-name" in capsys.readouterr().err
    assert encode_report(["--key-file", str(tmp_path / "missing"), "--given-name", "T"]) == 2


@pytest.mark.parametrize(("fields", "named"), [
    ({"family_name": "Campbell", "postcode": "BS5 6XY"}, "First name"),
    ({"given_name": "Tyrese", "family_name": "Campbell", "date_of_birth": "31/02/2011"},
     "Date of birth"),
    ({"encoded": "SO1.gfdp.not-base64!!"}, "Or paste an encoded report"),
    ({"given_name": "T" * 500, "family_name": "Campbell"}, "First name"),
    ({"given_name": "<script>alert(1)</script>", "family_name": "\u202e\u0000"}, "Last name"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_checked(client, on_record,
                                                                       fields, named):
    answer = _worry(signed_in(client, on_record.users["business"]), **fields)
    assert answer.status_code == 400
    assert named in answer.content.decode()
    assert "<script>alert" not in answer.content.decode()
    assert not AuditEntry.objects.filter(action="encoded_worry_received").exists()


@pytest.mark.parametrize("who", ["social_worker", "police", "hub", "dpo"])
def test_partners_who_hold_records_do_not_use_this_page(client, on_record, who):
    assert signed_in(client, on_record.users[who]).get(WORRY).status_code == 404
    assert _worry(client, **ABOUT_CHILD).status_code == 404
    assert not EncodedMatch.objects.exists()


def test_only_the_hub_sees_whom_an_encoded_report_matched(client, on_record):
    _worry(signed_in(client, on_record.users["business"]), **ABOUT_CHILD)
    for who in ("business", "licensing", "social_worker", "dpo", "analyst"):
        page = signed_in(client, on_record.users[who]).get(reverse("intelligence:encoded-matches"))
        assert page.status_code == 404, who


def test_encodings_are_kept_only_for_the_window_then_deleted(client, on_record, settings):
    settings.INTELLIGENCE_PPRL_KEEP_DAYS = 31
    partner = signed_in(client, on_record.users["business"])
    _worry(partner, **ABOUT_NOBODY)
    kept = EncodedWorry.objects.get()
    assert bytes(kept.encoding) == encoded.encoder().encode(
        bloom.Person(**ABOUT_NOBODY), bloom.SHAPES[0])
    with clock.frozen(NOW + dt.timedelta(days=32)):
        _worry(partner, **ABOUT_CHILD)
    assert list(EncodedWorry.objects.values_list("received_at", flat=True)) == [
        NOW + dt.timedelta(days=32)]


CANARY = {"given_name": "Quillonia", "family_name": "Zembrowskaya",
          "date_of_birth": "29/02/2012", "postcode": "BS7 0QZ"}


def _every_text_in_the_database() -> str:
    seen = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from Django
            seen.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(seen).lower()


def test_raw_values_never_reach_the_database_or_the_logs(client, on_record, settings, caplog):
    settings.INTELLIGENCE_PPRL_KEEP_DAYS = 31
    with caplog.at_level(logging.DEBUG):
        answer = _worry(signed_in(client, on_record.users["business"]), **CANARY)
        _worry(client, **{**ABOUT_CHILD, "given_name": "Tyrese"})
    assert answer.status_code == 302 and EncodedWorry.objects.count() == 2
    stored = _every_text_in_the_database()
    logged = (caplog.text + "\n".join(repr(r.__dict__) for r in caplog.records)).lower()
    for value in ("quillonia", "zembrowskaya", "2012-02-29", "29/02/2012", "bs7 0qz",
                  "bs70qz"):
        assert value not in stored, value
        assert value not in logged, value


@pytest.mark.parametrize(("fields", "message"), [
    ({"postcode": "BS5 6XY 1234"}, "Enter a full postcode, like BS5 6XY, or leave it empty"),
    ({"postcode": "not a pc"}, "Enter a full postcode, like BS5 6XY"),
    ({"date_of_birth": "next tuesday"}, "Enter a date of birth like 27/3/2011"),
    ({"date_of_birth": "1" * 21}, "Enter a date of birth like 27/3/2011"),
    ({"given_name": "T" * 101}, "First name must be 100 characters or fewer"),
    ({"family_name": "C" * 101}, "Last name must be 100 characters or fewer"),
    ({"encoded": "x" * 401}, "Paste the encoded report as the command printed it"),
])
def test_a_worry_says_what_to_put_right_in_plain_words(client, on_record, fields, message):
    # A postcode of 11 characters read "Ensure this value has at most 10 characters", and a
    # postcode or date that was none was silently left out of the encoding.
    base = {"given_name": "Tyrese", "family_name": "Campbell", "date_of_birth": "3/5/2011",
            "postcode": "BS5 6XY"}
    answer = _worry(signed_in(client, on_record.users["business"]), **{**base, **fields})
    page = html.unescape(answer.content.decode())
    assert answer.status_code == 400 and message in page
    assert "Ensure this value" not in page and "This field is required" not in page
    # The summary says what the box says, once: the message names the box already.
    assert page.count(message) == 2 and f": {message}" not in page
    if "given_name" not in fields:
        assert 'value="Tyrese"' in page  # what was typed is kept
    assert not AuditEntry.objects.filter(action="encoded_worry_received").exists()
