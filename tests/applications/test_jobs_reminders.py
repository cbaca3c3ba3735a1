"""The scheduled reminders: authors of drafts before the deadline, referees while a letter is
missing, reviewers before reviews are due; once per person, object and stage."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications.enums import ApplicationState, ConflictKind, ReviewState
from applications.models import ConflictDeclaration, RefereeRequest
from applications.services.applications import application_start
from applications.services.referees import referee_for_token, referee_invite, referee_remind
from applications.services.reminders import (
    deadline_reminders_send,
    referee_reminders_send,
    review_reminders_send,
)
from portal.errors import Refused
from tests.factories.accounts import UserFactory
from tests.factories.applications import (
    AssignmentFactory,
    CallFactory,
    candidate,
    full_call,
    make_committee,
    score,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def closes():
    """The call's deadline: a month ahead, so drafts and invitations exist before every stage."""
    return (timezone.now() + timedelta(days=30)).replace(microsecond=0)


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """``run(job, now)``: the job at `now`, its emails sent; returns its counts."""

    def run(job, now):
        with django_capture_on_commit_callbacks(execute=True):
            return job(now=now)

    return run


# --- Deadline reminders -------------------------------------------------------------------


@pytest.fixture
def draft(closes):
    call = full_call(closes_at=closes, title="Rural Health Grant")
    return application_start(call=call, applicant=UserFactory(full_name="Amina Diallo"))


def test_a_draft_is_reminded_once_7_days_and_once_1_day_before_the_deadline(
    draft, closes, run, mailoutbox
):
    for now, sent in [
        (closes - 8 * DAY, 0),  # the day before the first stage
        (closes - 7 * DAY, 1),  # its moment
        (closes - 7 * DAY + timedelta(hours=1), 1),  # the next hourly run
        (closes - 6 * DAY, 1),  # the day after
        (closes - 2 * DAY, 1),
        (closes - DAY, 2),  # the last day
        (closes - DAY, 2),  # twice at the same moment (two schedulers, a "run now")
        (closes - timedelta(minutes=1), 2),
        (closes, 2),  # closed
        (closes + DAY, 2),
    ]:
        run(deadline_reminders_send, now)
        assert len(mailoutbox) == sent, now

    assert {tuple(m.to) for m in mailoutbox} == {(draft.applicant.email,)}
    message = mailoutbox[0]
    assert "Rural Health Grant" in message.subject
    assert f"/applications/{draft.pk}/" in message.body
    assert "required parts are still missing." in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_the_reminder_shows_the_deadline_in_the_calls_zone_and_the_applicants_own(
    draft, closes, run, mailoutbox
):
    applicant = draft.applicant
    applicant.preferred_language, applicant.time_zone = "fr", "America/New_York"
    applicant.save()

    run(deadline_reminders_send, closes - DAY)

    (message,) = mailoutbox
    with translation.override("fr"):
        in_nairobi = date_format(closes.astimezone(ZoneInfo("Africa/Nairobi")), "DATETIME_FORMAT")
        in_new_york = date_format(
            closes.astimezone(ZoneInfo("America/New_York")), "DATETIME_FORMAT"
        )
    assert f"{in_nairobi} (Africa/Nairobi)" in message.body
    assert f"{in_new_york} dans votre fuseau horaire (America/New_York)" in message.body
    assert f"/fr/applications/{draft.pk}/" in message.body


def test_no_reminder_for_submitted_or_withdrawn_applications_or_closed_calls(
    closes, run, mailoutbox
):
    call = CallFactory(closes_at=closes)
    for state in (ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN):
        candidate(call, f"Student {state}", state=state)
    gone = application_start(call=CallFactory(closes_at=closes - 3 * DAY), applicant=UserFactory())

    counts = run(deadline_reminders_send, closes - DAY)

    assert mailoutbox == []
    assert counts == {"reminded": 0, "turned_off": 0}
    assert gone.state == ApplicationState.DRAFT


def test_a_draft_started_after_a_stage_waits_for_the_next(closes, run, mailoutbox):
    call = CallFactory(closes_at=timezone.now() + 5 * DAY)
    application_start(call=call, applicant=UserFactory())

    run(deadline_reminders_send, timezone.now() + timedelta(hours=1))  # 7-day stage came first
    assert mailoutbox == []
    run(deadline_reminders_send, call.closes_at - DAY)
    assert len(mailoutbox) == 1


def test_an_applicant_who_turned_deadline_reminders_off_gets_none(draft, closes, run, mailoutbox):
    draft.applicant.email_opt_outs = ["deadline_reminders"]
    draft.applicant.save()

    counts = run(deadline_reminders_send, closes - DAY)

    assert mailoutbox == []
    assert counts == {"reminded": 0, "turned_off": 1}


# --- Referee reminders --------------------------------------------------------------------


@pytest.fixture
def referee(draft):
    return referee_invite(application=draft, name="Dr Okafor", email="okafor@example.org")


def test_a_referee_gets_at_most_three_reminders_14_7_and_2_days_before(
    referee, closes, run, mailoutbox
):
    mailoutbox.clear()  # the invitation
    for days in range(16, -2, -1):
        for _twice in range(2):
            run(referee_reminders_send, closes - days * DAY + timedelta(minutes=10))

    assert len(mailoutbox) == 3
    assert all(m.to == ["okafor@example.org"] for m in mailoutbox)
    assert "Reminder: a letter of reference for Amina Diallo" in mailoutbox[0].subject
    referee.refresh_from_db()
    sent = [at for at, automatic in referee.reminder_log if automatic]
    assert [closes - at for at in sent] == [
        14 * DAY - timedelta(minutes=10),
        7 * DAY - timedelta(minutes=10),
        2 * DAY - timedelta(minutes=10),
    ]


def test_each_reminder_has_a_new_link_and_the_applicant_sees_when_it_went(
    referee, closes, run, mailoutbox, client, signed_in
):
    mailoutbox.clear()
    run(referee_reminders_send, closes - 7 * DAY)
    token = mailoutbox[-1].body.split("/referee/")[1].split("/")[0]
    run(referee_reminders_send, closes - 2 * DAY)

    with pytest.raises(Refused, match="a newer reminder replaces older links") as refusal:
        referee_for_token(token=token, now=closes - 2 * DAY)
    assert refusal.value.code == "unknown"
    signed_in(referee.application.applicant, client)
    html = client.get(f"/applications/{referee.application_id}/referees/").content.decode()
    assert html.count("Reminded automatically on") == 2


def test_no_referee_reminder_once_the_letter_is_in_or_the_application_submitted(
    referee, closes, run, mailoutbox
):
    other = referee_invite(application=referee.application, name="Dr Ade", email="a@example.org")
    RefereeRequest.objects.filter(pk=referee.pk).update(status="received")
    mailoutbox.clear()

    run(referee_reminders_send, closes - 2 * DAY)
    assert [m.to for m in mailoutbox] == [[other.email]]

    type(referee.application).objects.filter(pk=referee.application_id).update(
        state=ApplicationState.SUBMITTED
    )
    run(referee_reminders_send, closes - DAY)  # a stage already sent: nothing either way
    run(referee_reminders_send, closes - 2 * DAY + timedelta(hours=1))
    assert len(mailoutbox) == 1


def test_a_reminder_by_hand_in_the_last_day_delays_the_stage_without_losing_it(
    referee, closes, run, mailoutbox
):
    referee_remind(
        application=referee.application, referee=referee, now=closes - 7 * DAY - timedelta(hours=2)
    )
    mailoutbox.clear()

    assert run(referee_reminders_send, closes - 7 * DAY) == {"reminded": 0, "waiting": 1}
    assert mailoutbox == []
    assert run(referee_reminders_send, closes - 6 * DAY) == {"reminded": 1, "waiting": 0}
    referee.refresh_from_db()
    assert [automatic for _at, automatic in referee.reminder_log] == [False, True]


# --- Reviewer reminders -------------------------------------------------------------------


@pytest.fixture
def reviews_due():
    return (timezone.now() + timedelta(days=10)).replace(microsecond=0)


@pytest.fixture
def committee(reviews_due):
    committee = make_committee(review_deadline=reviews_due, title="Surgery Elective Fund")
    first, second = (candidate(committee.call, name) for name in ("Awa Ndiaye", "Bilal Haddad"))
    score(committee, 0, first, 80)  # reviewer 0 has finished hers
    score(committee, 1, first, 70, state=ReviewState.DRAFT)  # reviewer 1 has two to finish
    AssignmentFactory(application=second, membership=committee.reviewers[1])
    AssignmentFactory(application=second, membership=committee.reviewers[2])  # a conflict
    ConflictDeclaration.objects.create(
        membership=committee.reviewers[2],
        kind=ConflictKind.APPLICATION,
        application=second,
        reason="My cousin",
        declared_by=committee.reviewers[2].user,
    )
    return committee


def test_a_reviewer_is_reminded_once_3_days_and_once_1_day_before_with_the_count(
    committee, reviews_due, run, mailoutbox
):
    for now, sent in [
        (reviews_due - 4 * DAY, 0),
        (reviews_due - 3 * DAY, 1),
        (reviews_due - 3 * DAY, 1),
        (reviews_due - 2 * DAY, 1),
        (reviews_due - DAY, 2),
        (reviews_due - DAY + timedelta(hours=1), 2),
        (reviews_due, 2),
    ]:
        run(review_reminders_send, now)
        assert len(mailoutbox) == sent, now

    assert {tuple(m.to) for m in mailoutbox} == {(committee.reviewers[1].user.email,)}
    assert "You have 2 reviews to finish for “Surgery Elective Fund”." in mailoutbox[0].body
    assert "/applications/reviewing/" in mailoutbox[0].body


def test_a_reviewer_who_turned_review_reminders_off_gets_none(
    committee, reviews_due, run, mailoutbox
):
    reviewer = committee.reviewers[1].user
    reviewer.email_opt_outs = ["review_reminders"]
    reviewer.save()

    assert run(review_reminders_send, reviews_due - DAY) == {"reminded": 0, "turned_off": 1}
    assert mailoutbox == []
