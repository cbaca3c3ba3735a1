"""Email leaves through the task queue, rendered in the recipient's language and time zone,
subject included."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from applications.services.applications import application_start, application_submit
from applications.services.decisions import decision_set
from applications.services.publication import decisions_publish
from applications.services.reminders import deadline_reminders_send
from exchanges import services
from portal.emails import email_send
from tests.factories.accounts import UserFactory
from tests.factories.applications import candidate, complete, full_call, make_committee
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


def test_email_is_rendered_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["awa@example.org"], template="welcome", context={"name": "Awa"}, language="fr"
        )

    (message,) = mailoutbox
    assert message.subject == "[Global Health Portal] Bienvenue sur le Portail de santé mondiale"
    assert message.body.startswith("Bonjour Awa,")
    assert "http://127.0.0.1:8000/fr/dashboard/" in message.body


def test_email_in_arabic(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["a@example.org"], template="welcome", context={"name": "ليلى"}, language="ar"
        )

    assert mailoutbox[0].body.startswith("مرحبًا ليلى،")


def test_email_waits_for_the_transaction_to_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_send(to=["a@example.org"], template="welcome", context={"name": "A"})

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_email_task_is_queued_on_the_database_backend(settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@example.org"], template="welcome", context={"name": "A"})

    result = DBTaskResult.objects.get()
    assert result.task_path == "portal.tasks.task_send_email"
    assert result.args_kwargs["kwargs"]["to"] == ["a@example.org"]


def test_plain_text_email_is_not_html_escaped(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@example.org"], template="welcome", context={"name": "N'Golo <Kanté>"})

    assert mailoutbox[0].body.startswith("Hello N'Golo <Kanté>,")


# --- Every notification in its recipient's language and time zone ------------------------------

ARABIC = re.compile(r"[\u0600-\u06ff]")


def _subject(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return "[Global Health Portal] " + gettext(msgid) % values


@pytest.fixture
def send(mailoutbox, django_capture_on_commit_callbacks):
    """``send(action, *args, **kwargs)``: run a service or job; returns the emails it sent."""

    def run(action, *args, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        return list(mailoutbox)

    return run


@pytest.fixture
def layla():
    """A student who reads Arabic and lives in Amman (UTC+3, like the calls' Nairobi here)."""
    return UserFactory(full_name="Layla Haddad", preferred_language="ar", time_zone="Asia/Amman")


def test_an_arabic_reader_gets_the_submission_email_in_arabic(layla, send):
    call = full_call(title="Rural Health Grant")
    application = complete(application_start(call=call, applicant=layla))

    (message,) = send(application_submit, application=application)

    assert message.subject == _subject("ar", "Application received: %(call)s", call=call.title)
    assert ARABIC.search(message.subject)
    assert message.body.startswith("مرحبًا Layla")
    assert f"/ar/applications/{application.pk}/" in message.body


def test_an_arabic_reader_gets_the_deadline_reminder_in_arabic_with_arabic_dates(layla, send):
    closes = datetime(2031, 1, 31, 14, 0, tzinfo=UTC)  # 17:00 in Nairobi and in Amman
    call = full_call(title="Rural Health Grant", closes_at=closes)
    layla.time_zone = "Europe/London"
    layla.save()
    application_start(call=call, applicant=layla, now=closes - timedelta(days=3))

    (message,) = send(deadline_reminders_send, now=closes - timedelta(days=1))

    with translation.override("ar"):
        day = date_format(date(2031, 1, 31), "DATE_FORMAT")
    assert message.subject == _subject(
        "ar",
        "Reminder: submit your application to “%(call)s” by %(date)s",
        call=call.title,
        date=day,
    )
    assert "31 يناير، 2031، 17:00 (Africa/Nairobi)" in message.body
    assert "31 يناير، 2031، 14:00" in message.body  # and in London, her own time zone
    assert "January" not in message.body


def test_an_arabic_reader_gets_the_decision_in_arabic(layla, send):
    committee = make_committee(title="Rural Health Grant")
    application = candidate(committee.call, "Layla Haddad", applicant=layla)
    decision_set(application=application, actor=committee.chair, outcome="award")

    (message,) = send(
        decisions_publish,
        call=committee.call,
        actor=committee.chair,
        now=datetime(2030, 3, 1, 9, 0, tzinfo=UTC),
    )

    assert message.to == [layla.email]
    assert message.subject == _subject(
        "ar", "You have been awarded a scholarship: %(call)s", call=committee.call.title
    )
    assert ARABIC.search(message.subject)
    assert message.body.startswith("مرحبًا Layla")
    assert "15 مارس، 2030" in message.body  # the answer date (14 days), Arabic month name
    assert "1,000.00\xa0USD" in message.body  # Latin digits, as in the dates


def test_a_french_coordinator_gets_the_match_email_in_french(send):
    cycle = CycleFactory(name="Cycle 2031")
    rotation = CycleRotationFactory(cycle=cycle, capacity=1)
    coordinator = CoordinatorFactory(
        institution=rotation.institution,
        user__full_name="Claire Mbeki",
        user__preferred_language="fr",
    ).user
    school_ranks(rotation, [ranked(RankListFactory(cycle=cycle), [rotation])])
    move_to(cycle, "matching")

    messages = send(services.match_publish, run=services.match_run(cycle=cycle, by=None))

    (message,) = [m for m in messages if m.to == [coordinator.email]]
    assert message.subject == _subject(
        "fr", "The match of %(cycle)s is published", cycle="Cycle 2031"
    )
    assert message.subject == "[Global Health Portal] L'appariement de Cycle 2031 est publié"
    assert message.body.startswith("Bonjour Claire")
    assert "L'appariement de Cycle 2031 est publié." in message.body


def test_dates_without_a_zone_of_their_own_show_in_the_recipients_zone(send):
    reader = UserFactory(preferred_language="es", time_zone="America/Bogota")

    (message,) = send(
        email_send,
        to=[reader.email],
        template="privacy_export_ready",
        context={
            "user": reader,
            "url": "https://example.org/x",
            "expires_at": datetime(2031, 1, 8, 3, 0, tzinfo=UTC),
        },
    )

    assert "7 de enero de 2031 a las 22:00" in message.body  # Bogotá is UTC-5


def test_a_deadline_in_the_cycles_zone_also_shows_in_the_students_own(send):
    cycle = CycleFactory(name="Cycle 2031")
    rotation = CycleRotationFactory(cycle=cycle, capacity=1)
    student = UserFactory(preferred_language="fr", time_zone="Europe/Paris")
    school_ranks(rotation, [ranked(RankListFactory(cycle=cycle, student=student), [rotation])])
    move_to(cycle, "matching")

    messages = send(services.match_publish, run=services.match_run(cycle=cycle, by=None))

    (message,) = [m for m in messages if m.to == [student.email]]
    cycle.refresh_from_db()
    with translation.override("fr"):
        there = date_format(
            cycle.respond_by.astimezone(ZoneInfo("Africa/Nairobi")), "DATETIME_FORMAT"
        )
        mine = date_format(cycle.respond_by.astimezone(ZoneInfo("Europe/Paris")), "DATETIME_FORMAT")
    assert f"{there} (Africa/Nairobi)" in message.body
    assert f"{mine} à votre heure (Europe/Paris)" in message.body


def test_an_account_email_speaks_the_recipients_language_not_the_pages(client, layla, send):
    (message,) = send(client.post, "/accounts/password/reset/", {"email": layla.email})

    assert ARABIC.search(message.subject)
    assert "Password Reset" not in message.subject
