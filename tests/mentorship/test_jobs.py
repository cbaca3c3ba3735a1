"""Tests for mentoring's daily job (mentorship.services.nudges) and its digest section: a nudge
to both sides on the day a mentorship has been quiet for the weeks staff set, a word to the
coordinators a week later, each once per quiet spell, driven with a frozen `now`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship import selectors
from mentorship.enums import MentorshipStatus, MentorStatus
from mentorship.models import CheckIn, MatchingWeights
from mentorship.services.nudges import mentorship_quiet_nudge
from portal import jobs, notifications
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.mentorship import (
    CheckInFactory,
    MenteeRequestFactory,
    MentorProfileFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def mentorship(start):
    return MentorshipFactory(
        started_at=start,
        request__user__full_name="Awa Diop",
        request__user__email="awa@example.org",
        mentor__user__full_name="Dr Fatou Sarr",
        mentor__user__email="fatou@example.org",
    )


@pytest.fixture
def coordinator():
    return StaffFactory(full_name="Claire Coordinator", email="claire@example.org")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The job at one moment, its emails sent as after the commit."""

    def run_at(now):
        with django_capture_on_commit_callbacks(execute=True):
            return mentorship_quiet_nudge(now=now)

    return run_at


def _to(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_both_sides_are_nudged_once_on_the_day_the_mentorship_has_been_quiet_3_weeks(
    mentorship, start, run, mailoutbox
):
    before = run(start + 20 * DAY)
    on_the_day = run(start + 21 * DAY)
    again = run(start + 21 * DAY)
    after = run(start + 22 * DAY)

    assert before == {"nudged": 0, "reported": 0}
    assert on_the_day == {"nudged": 1, "reported": 0}
    assert again == after == {"nudged": 0, "reported": 0}
    assert _to(mailoutbox) == ["awa@example.org", "fatou@example.org"]
    to_mentee = next(m for m in mailoutbox if m.to == ["awa@example.org"])
    assert "Time for a check-in" in to_mentee.subject
    assert "with Dr Fatou Sarr for 3 weeks" in to_mentee.body
    assert f"/mentorship/{mentorship.pk}/" in to_mentee.body
    assert to_mentee.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_coordinators_are_told_once_a_week_after_the_nudge(
    mentorship, coordinator, start, run, mailoutbox
):
    StaffFactory(email="no-mentoring@example.org", is_active=False)
    UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    run(start + 21 * DAY)
    mailoutbox.clear()

    before = run(start + 27 * DAY)
    on_the_day = run(start + 28 * DAY)
    after = run(start + 29 * DAY)

    assert (before["reported"], on_the_day["reported"], after["reported"]) == (0, 1, 0)
    assert [m.to for m in mailoutbox] == [["claire@example.org"]]
    body = mailoutbox[0].body
    assert "Dr Fatou Sarr and Awa Diop: quiet for 4 weeks" in body
    assert f"/mentorship/{mentorship.pk}/" in body
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers  # not optional


def test_a_check_in_starts_a_new_quiet_spell(mentorship, coordinator, start, run, mailoutbox):
    run(start + 21 * DAY)
    check_in = CheckInFactory(mentorship=mentorship, held_on=(start + 20 * DAY).date())
    CheckIn.objects.filter(pk=check_in.pk).update(created_at=start + 22 * DAY)
    mailoutbox.clear()

    a_week_later = run(start + 28 * DAY)
    new_spell_before = run(start + 42 * DAY)
    new_spell = run(start + 43 * DAY)

    assert a_week_later == new_spell_before == {"nudged": 0, "reported": 0}
    assert new_spell == {"nudged": 1, "reported": 0}
    assert _to(mailoutbox) == ["awa@example.org", "fatou@example.org"]


def test_a_person_who_turned_nudges_off_gets_none_and_the_coordinators_still_hear(
    mentorship, coordinator, start, run, mailoutbox
):
    for person in (mentorship.mentee, mentorship.mentor.user):
        person.email_opt_outs = ["mentoring_nudges"]
        person.save()

    nudge = run(start + 21 * DAY)
    report = run(start + 28 * DAY)

    assert (nudge["nudged"], report["reported"]) == (1, 1)
    assert [m.to for m in mailoutbox] == [["claire@example.org"]]


def test_a_long_quiet_mentorship_is_nudged_first_and_reported_at_the_next_run(
    mentorship, coordinator, start, run, mailoutbox
):
    first = run(start + 60 * DAY)
    next_day = run(start + 61 * DAY)

    assert first == {"nudged": 1, "reported": 0}
    assert next_day == {"nudged": 0, "reported": 1}
    assert mailoutbox[-1].to == ["claire@example.org"]


def test_reports_wait_for_a_coordinator(mentorship, start, run, mailoutbox):
    run(start + 21 * DAY)

    nobody = run(start + 28 * DAY)
    StaffFactory(email="new@example.org")
    someone = run(start + 29 * DAY)

    assert (nobody["reported"], someone["reported"]) == (0, 1)
    assert mailoutbox[-1].to == ["new@example.org"]


def test_the_weeks_are_the_programme_s_setting(mentorship, start, run, mailoutbox):
    MatchingWeights.objects.update_or_create(pk=1, defaults={"quiet_weeks": 5})

    three_weeks = run(start + 21 * DAY)
    five_weeks = run(start + 35 * DAY)

    assert (three_weeks["nudged"], five_weeks["nudged"]) == (0, 1)
    assert "for 5 weeks" in mailoutbox[0].body


def test_ended_mentorships_and_recent_check_ins_are_not_nudged(start, run, mailoutbox):
    MentorshipFactory(started_at=start, status=MentorshipStatus.ENDED)
    busy = MentorshipFactory(started_at=start)
    check_in = CheckInFactory(mentorship=busy)
    CheckIn.objects.filter(pk=check_in.pk).update(created_at=start + 10 * DAY)

    assert run(start + 21 * DAY) == {"nudged": 0, "reported": 0}
    assert mailoutbox == []


def test_the_job_is_registered_daily_with_its_kind_of_email(mentorship, start, run):
    job = jobs.job_get("mentorship.quiet_nudges")

    assert job.cron == "0 7 * * *"
    assert job.run(now=start + 21 * DAY) == {"nudged": 1, "reported": 0}
    assert str(notifications.kind_get("mentoring_nudges").label) == (
        "Nudges when my mentorship has gone quiet"
    )


def test_staff_set_the_weeks_on_the_weights_page(signed_in):
    client = signed_in(StaffFactory(totp=True))
    weights = {"specialty": "4", "time_zone": "2", "country": "2", "context": "3"}

    kept = client.post("/mentorship/staff/weights/", weights)
    after_kept = MatchingWeights.load().quiet_weeks
    changed = client.post("/mentorship/staff/weights/", {**weights, "quiet_weeks": "6"})
    refused = client.post("/mentorship/staff/weights/", {**weights, "quiet_weeks": "0"})

    assert (kept.status_code, after_kept) == (302, 3)
    assert changed.status_code == 302
    assert refused.status_code == 200
    assert 'id="id_quiet_weeks_error"' in refused.content.decode()
    assert MatchingWeights.load().quiet_weeks == 6


# --- The digest section -----------------------------------------------------------------------


def test_the_digest_lines_say_what_waits_with_links(coordinator, start):
    MentorProfileFactory(status=MentorStatus.PENDING)
    MenteeRequestFactory()
    MenteeRequestFactory()
    MentorshipFactory(started_at=start - 40 * DAY)

    lines = selectors.digest_lines(coordinator, start)

    assert lines == [
        ("1 mentor awaits approval", "/mentorship/staff/mentors/?status=pending"),
        ("2 mentees wait for a mentor", "/mentorship/staff/mentees/"),
        (
            "1 mentorship without a check-in in 30 days",
            "/mentorship/staff/mentorships/?quiet=1",
        ),
    ]


def test_the_digest_section_is_empty_when_nothing_waits_and_for_others(coordinator, start):
    student = MentorshipFactory(started_at=start).mentee

    assert selectors.digest_lines(coordinator, start) == []
    MenteeRequestFactory()
    assert selectors.digest_lines(student, start) == []


def test_the_digest_goes_to_the_coordinators_only(coordinator, start):
    UserFactory(is_superuser=True, is_staff=True)
    StaffFactory(is_active=False)
    UserFactory()

    assert selectors.digest_recipients(start) == [coordinator.pk]
