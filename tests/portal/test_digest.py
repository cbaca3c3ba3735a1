"""Tests of the daily digest job (portal.digest_send): one email a day to each person with
something waiting in any section, in their language, none to a person with nothing waiting or
who turned the digest off."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import translation

from portal import digest, jobs, notifications
from portal.digest_send import digest_send
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)


class Waiting:
    """A section of the test's own: who receives it, and what waits for each of them."""

    def __init__(self):
        self.people: dict[int, list[tuple[str, str]]] = {}
        self.asked: list[tuple[int, str]] = []

    def recipients(self, now):
        return list(self.people)

    def lines(self, user, now):
        self.asked.append((user.pk, translation.get_language()))
        return self.people.get(user.pk, [])


@pytest.fixture
def waiting():
    """Registered for the test, removed afterwards."""
    source = Waiting()
    section = digest.Section("Things to do", source.recipients, source.lines, order=1)
    digest.register(section)
    yield source
    digest.unregister(section)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_at(now):
        with django_capture_on_commit_callbacks(execute=True):
            return digest_send(now=now)

    return run_at


def test_one_email_with_each_line_and_absolute_links(waiting, run, mailoutbox):
    reader = UserFactory(full_name="Awa Diop", email="awa@example.org")
    waiting.people[reader.pk] = [
        ("2 reviews wait", "/applications/staff/reviews/"),
        ("A page elsewhere", "https://example.com/page"),
    ]

    counts = run(NOW)

    assert counts["sent"] == 1
    assert [m.to for m in mailoutbox] == [["awa@example.org"]]
    body = mailoutbox[0].body
    assert "What waits for you today" in mailoutbox[0].subject
    assert "Things to do" in body
    assert f"- 2 reviews wait\n  {settings.SITE_URL}/applications/staff/reviews/" in body
    assert "  https://example.com/page" in body
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_is_sent_to_a_person_with_nothing_waiting(waiting, run, mailoutbox):
    waiting.people[UserFactory().pk] = []

    counts = run(NOW)

    assert (counts["sent"], counts["nothing_waiting"]) == (0, 1)
    assert mailoutbox == []


def test_once_a_day_however_often_it_runs(waiting, run, mailoutbox):
    reader = UserFactory()
    waiting.people[reader.pk] = [("1 thing", "/")]

    first = run(NOW)
    later_that_day = run(NOW + timedelta(hours=18, minutes=59))
    next_day = run(NOW + timedelta(days=1))

    assert (first["sent"], later_that_day["sent"], next_day["sent"]) == (1, 0, 1)
    assert len(mailoutbox) == 2


def test_a_person_who_turned_the_digest_off_gets_none(waiting, run, mailoutbox):
    reader = UserFactory(email_opt_outs=["digest"])
    waiting.people[reader.pk] = [("1 thing", "/")]

    counts = run(NOW)

    assert counts["turned_off"] == 1
    assert mailoutbox == []
    assert waiting.asked == []  # not even gathered


def test_lines_are_gathered_in_the_reader_s_language(waiting, run, mailoutbox):
    french = UserFactory(preferred_language="fr")
    unknown = UserFactory(preferred_language="xx")
    waiting.people = {french.pk: [("1 chose", "/")], unknown.pk: [("1 thing", "/")]}

    run(NOW)

    assert sorted(waiting.asked) == sorted([(french.pk, "fr"), (unknown.pk, "en")])
    assert len(mailoutbox) == 2


def test_a_section_is_asked_only_about_its_own_recipients(waiting, run):
    other = Waiting()
    section = digest.Section("Other", other.recipients, other.lines, order=2)
    digest.register(section)
    try:
        first, second = UserFactory(), UserFactory()
        waiting.people[first.pk] = [("1 thing", "/")]
        other.people[second.pk] = [("1 other thing", "/")]

        counts = run(NOW)
    finally:
        digest.unregister(section)

    assert counts["sent"] == 2
    assert [pk for pk, _language in waiting.asked] == [first.pk]
    assert [pk for pk, _language in other.asked] == [second.pk]


def test_inactive_people_get_nothing(waiting, run, mailoutbox):
    waiting.people[UserFactory(is_active=False).pk] = [("1 thing", "/")]

    assert run(NOW)["sent"] == 0
    assert mailoutbox == []


def test_the_digest_is_a_daily_job_and_a_kind_of_email_people_turn_off():
    job = jobs.job_get("portal.daily_digest")

    assert job.cron == "0 5 * * *"
    assert str(notifications.kind_get("digest").label) == "A daily summary of what waits for me"
