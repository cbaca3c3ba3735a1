"""Unanswered awards lapse at the end of their answer date in the call's time zone: the budget
is freed, the next student on the waitlist is offered the award, everyone concerned is told."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Decision
from applications.services import awards as award_service
from applications.services.decisions import budget_committed
from applications.services.lapses import awards_lapse
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.applications import make_committee, published, score

pytestmark = pytest.mark.django_db

RESPOND_BY = date(2030, 8, 14)
# The end of 14 August 2030 in Nairobi (UTC+3) is 21:00 UTC that day.
LAPSES_AT = datetime(2030, 8, 14, 21, 0, tzinfo=UTC)


@pytest.fixture
def committee(db):
    """Awa holds the whole budget (1,000 USD) until 14 August; Bilal then Chen are on the
    published waitlist, Bilal ranked first."""
    committee = make_committee(
        budget=Decimal("1000"), time_zone="Africa/Nairobi", title="Rural Health Grant"
    )
    committee.awa = published(committee.call, "Awa Ndiaye", respond_by=RESPOND_BY)
    committee.bilal = published(committee.call, "Bilal Haddad", DecisionOutcome.WAITLIST)
    committee.chen = published(committee.call, "Chen Li", DecisionOutcome.WAITLIST)
    score(committee, 0, committee.bilal, 90)
    score(committee, 0, committee.chen, 60)
    return committee


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return awards_lapse(now=now)

    return run


def state(application) -> str:
    return Application.objects.get(pk=application.pk).state


def test_an_award_lapses_at_the_end_of_its_date_in_the_calls_zone_and_only_once(
    committee, run, mailoutbox
):
    for now in (LAPSES_AT - timedelta(days=1), LAPSES_AT - timedelta(minutes=1)):
        assert run(now) == {"lapsed": 0, "offered": 0}
        assert state(committee.awa) == ApplicationState.AWARDED
    assert mailoutbox == []

    assert run(LAPSES_AT) == {"lapsed": 1, "offered": 1}
    sent = len(mailoutbox)
    assert run(LAPSES_AT) == {"lapsed": 0, "offered": 0}
    assert run(LAPSES_AT + timedelta(days=1)) == {"lapsed": 0, "offered": 0}

    assert len(mailoutbox) == sent == 3
    assert state(committee.awa) == ApplicationState.LAPSED
    assert state(committee.bilal) == ApplicationState.AWARDED
    assert state(committee.chen) == ApplicationState.WAITLISTED


def test_the_lapse_frees_the_budget_offers_the_next_on_the_waitlist_and_tells_everyone(
    committee, run, mailoutbox
):
    run(LAPSES_AT)

    offer = Decision.objects.get(application=committee.bilal)
    assert (offer.outcome, offer.amount) == (DecisionOutcome.AWARD, Decimal("1000.00"))
    assert offer.respond_by == date(2030, 8, 29)  # 14 days from the day of the offer
    assert budget_committed(call=committee.call) == Decimal("1000")
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {
        committee.awa.applicant.email,
        committee.bilal.applicant.email,
        committee.chair.email,
    }
    lapsed = by_recipient[committee.awa.applicant.email]
    assert lapsed.subject.endswith("Your award has lapsed: Rural Health Grant")
    assert "by 14 August 2030 (end of the day, Africa/Nairobi)" in lapsed.body
    assert "List-Unsubscribe" not in lapsed.extra_headers  # a decision, not a reminder
    assert "awarded you a scholarship" in by_recipient[committee.bilal.applicant.email].body
    chair = by_recipient[committee.chair.email]
    assert "Awa Ndiaye did not answer their award of USD\xa01,000.00" in chair.body
    assert "to the next student on the waitlist, Bilal Haddad" in chair.body
    entry = AuditEntry.objects.get(action="award.lapsed")
    assert entry.actor is None
    assert (entry.before["state"], entry.after["state"]) == ("awarded", "lapsed")
    assert AuditEntry.objects.filter(action="decision.offered", actor=None).count() == 1


def test_without_budget_for_the_next_the_chair_is_told_no_one_was_offered(
    committee, run, mailoutbox
):
    committee.call.budget = Decimal("900")  # the budget was cut since the award
    committee.call.save()

    assert run(LAPSES_AT) == {"lapsed": 1, "offered": 0}

    assert state(committee.bilal) == ApplicationState.WAITLISTED
    (chair,) = [m for m in mailoutbox if m.to == [committee.chair.email]]
    assert "No one on the waitlist could be offered an award" in chair.body


def test_an_answered_award_never_lapses(committee, run):
    award_service.award_answer(
        application=committee.awa, accept=True, now=LAPSES_AT - timedelta(hours=1)
    )

    assert run(LAPSES_AT) == {"lapsed": 0, "offered": 0}
    assert state(committee.awa) == ApplicationState.ACCEPTED


def test_the_answer_page_shows_the_lapse_and_refuses_an_answer_politely(
    committee, run, client, signed_in
):
    run(LAPSES_AT)
    signed_in(committee.awa.applicant, client)
    page = f"/applications/{committee.awa.pk}/decision/"

    html = client.get(page).content.decode()
    response = client.post(f"{page}answer/", {"answer": "accept"}, follow=True)

    assert "Award lapsed" in html
    assert "This award has lapsed: no answer came by 14 August 2030" in html
    assert "Accept the award" not in html
    assert "The date to answer this award has passed." in response.content.decode()
    with pytest.raises(Refused, match="The date to answer this award has passed") as refusal:
        award_service.award_answer(application=committee.awa, accept=False, now=LAPSES_AT)
    assert refusal.value.code == "answer_too_late"
    assert state(committee.awa) == ApplicationState.LAPSED


def test_the_chairs_decisions_page_lists_the_lapsed_award(committee, run, client, signed_in):
    run(LAPSES_AT)
    signed_in(committee.chair, client)

    html = client.get(f"/applications/calls/{committee.call.pk}/decisions/").content.decode()

    assert "Award lapsed" in html
    assert "Waiting for an answer" in html  # Bilal's offer
