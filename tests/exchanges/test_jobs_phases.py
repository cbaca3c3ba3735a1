"""The phase job: as each phase of a cycle opens, those who act next are told once (students,
then schools, then programme staff), and students with a list not submitted are reminded two
days before their deadline, unless they turned reminders off."""

from datetime import UTC, datetime, timedelta

import pytest

from exchanges.services.phases import cycle_phases_notify
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleRotationFactory,
    RankListFactory,
    cycle_from,
    ranked,
)

pytestmark = pytest.mark.django_db

START = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """``run(now)``: the job at `now`; returns its counts and the emails it sent."""

    def run_at(now):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            counts = cycle_phases_notify(now=now)
        return counts, list(mailoutbox)

    return run_at


def _to(emails, subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in emails if subject_part in m.subject)


def test_students_are_told_once_when_ranking_opens(run):
    earlier = RankListFactory(cycle=cycle_from(START - 365 * DAY))
    cycle = cycle_from(START, name="Spring 2031")
    draft = RankListFactory(cycle=cycle)
    UserFactory()  # never ranked: not told
    subject = "Rank the rotations of Spring 2031"

    counts, emails = run(START - DAY)
    assert (counts["students"], _to(emails, subject)) == (0, [])

    counts, emails = run(START + HOUR)
    assert counts["students"] == 2
    assert _to(emails, subject) == sorted([earlier.student.email, draft.student.email])
    body = next(m.body for m in emails if subject in m.subject)
    assert "submit your list by 13 March 2031, 11:00 (Africa/Nairobi)" in body

    for later in (START + HOUR, START + DAY):
        counts, emails = run(later)
        assert (counts["students"], _to(emails, subject)) == (0, [])


def test_each_school_with_applicants_is_told_when_its_ranking_opens(run):
    cycle = cycle_from(START, name="Spring 2031")
    wanted = CycleRotationFactory(cycle=cycle, title="Surgery")
    unwanted = CycleRotationFactory(cycle=cycle, title="Dermatology")
    told = CoordinatorFactory(institution=wanted.institution).user
    CoordinatorFactory(institution=unwanted.institution)
    for _ in range(2):
        ranked(RankListFactory(cycle=cycle), [wanted])
    ranked(RankListFactory(cycle=cycle), [wanted, unwanted], submitted=False)  # not an applicant
    subject = "Rank your applicants in Spring 2031"
    closes = cycle.students_close_at

    for before in (closes - DAY, closes - HOUR):
        counts, emails = run(before)
        assert (counts["coordinators"], _to(emails, subject)) == (0, [])

    counts, emails = run(closes)
    assert (counts["coordinators"], _to(emails, subject)) == (1, [told.email])
    body = next(m.body for m in emails if subject in m.subject)
    assert "- Surgery: 2 applicants" in body
    assert "Dermatology" not in body

    counts, emails = run(closes + DAY)
    assert (counts["coordinators"], _to(emails, subject)) == (0, [])


def test_programme_staff_are_told_once_when_the_match_is_due(run):
    cycle = cycle_from(START, name="Spring 2031")
    staff = StaffFactory()
    UserFactory(is_superuser=True)  # the admin flag is not the programme's staff
    subject = "The match of Spring 2031 can be run"
    due = cycle.schools_close_at

    counts, emails = run(due - DAY)
    assert (counts["staff"], _to(emails, subject)) == (0, [])
    counts, emails = run(due)
    assert (counts["staff"], _to(emails, subject)) == (1, [staff.email])
    counts, emails = run(due + DAY)
    assert (counts["staff"], _to(emails, subject)) == (0, [])


def test_unsubmitted_lists_are_reminded_two_days_before_the_students_deadline(run):
    cycle = cycle_from(START, name="Spring 2031")
    rotation = CycleRotationFactory(cycle=cycle, required_documents=[])
    draft = RankListFactory(cycle=cycle)
    ranked(RankListFactory(cycle=cycle), [rotation])  # submitted: not reminded
    RankListFactory(cycle=cycle, student__email_opt_outs=["deadline_reminders"])
    subject = "Your rank list in Spring 2031 is not submitted"
    reminder_at = cycle.students_close_at - 2 * DAY

    counts, emails = run(reminder_at - HOUR)
    assert (counts["reminded"], _to(emails, subject)) == (0, [])

    counts, emails = run(reminder_at)
    assert (counts["reminded"], _to(emails, subject)) == (1, [draft.student.email])
    reminder = next(m for m in emails if subject in m.subject)
    assert "- Rank at least one rotation." in reminder.body
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    late = RankListFactory(cycle=cycle)  # started after the first reminders
    counts, emails = run(reminder_at + DAY)
    assert (counts["reminded"], _to(emails, subject)) == (1, [late.student.email])

    counts, emails = run(cycle.students_close_at + HOUR)
    assert (counts["reminded"], _to(emails, subject)) == (0, [])
