"""Decisions: drafts within the budget, the chair's pages and who may reach them (the suggestion:
test_suggestion.py; publication and waitlist offers: test_publication.py)."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from applications.enums import ApplicationState, AwardMode, DecisionOutcome
from applications.models import Decision
from applications.selectors import board_get
from applications.services import decisions as decision_service
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    CallFactory,
    CommitteeMembershipFactory,
    DecisionFactory,
    audit_actions,
    candidate,
)
from tests.factories.exchanges import CoordinatorFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Nairobi (UTC+3)


def edit_url(application):
    return f"/applications/calls/{application.call_id}/decisions/{application.pk}/"


def decisions_url(committee, suffix=""):
    return f"/applications/calls/{committee.call.pk}/decisions/{suffix}"


# --- Amounts and drafts ---------------------------------------------------------------------


def test_default_amount_is_fixed_or_the_request_capped_at_the_maximum():
    def amount(mode, requested):
        return CallFactory.build(award_mode=mode, award_amount=Decimal("1000")).default_award(
            requested
        )

    assert amount(AwardMode.FIXED, Decimal("400")) == Decimal("1000")
    assert amount(AwardMode.REQUESTED, Decimal("400")) == Decimal("400")
    assert amount(AwardMode.REQUESTED, Decimal("1500")) == Decimal("1000")
    assert amount(AwardMode.REQUESTED, None) == Decimal("1000")


def test_chair_drafts_an_award_and_nobody_is_told(
    chair, committee, mailoutbox, django_capture_on_commit_callbacks
):
    application = candidate(committee.call, "Awa Ndiaye")
    page = chair.get(edit_url(application)).content.decode()
    assert 'name="amount" value="1000.00"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(
            edit_url(application),
            {"outcome": "award", "amount": "1000", "seen": "", "next": "/applications/"},
        )

    assert response.status_code == 302
    assert response["Location"] == "/applications/"
    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.amount, decision.published_at) == (
        "award",
        Decimal("1000.00"),
        None,
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW
    assert mailoutbox == []
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        committee.chair,
        "decision.created",
        "applications.decision",
        str(decision.pk),
    )
    assert entry.before is None
    assert entry.after == {
        "application": application.pk,
        "outcome": "award",
        "amount": "1000.00",
        "published": False,
        "respond_by": None,
        "state": "under_review",
    }


def test_next_must_stay_on_the_portal(chair, committee):
    application = candidate(committee.call, "Awa Ndiaye")

    response = chair.post(
        edit_url(application), {"outcome": "decline", "next": "https://evil.example/"}
    )

    assert response["Location"] == f"/applications/calls/{committee.call.pk}/board/"


def test_an_award_over_the_budget_is_refused_keeping_what_was_typed(chair, committee):
    for n in range(2):
        DecisionFactory(application=candidate(committee.call, f"Student {n}"), amount=1250)
    application = candidate(committee.call, "Awa Ndiaye")

    response = chair.post(edit_url(application), {"outcome": "award", "amount": "800"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "An award of 800.00 USD does not fit the budget: 2,500.00 USD of 3,000.00 USD are "
        "committed, 500.00 USD remain." in html
    )
    assert 'name="amount" value="800"' in html
    assert 'value="award" id="id_outcome_1" checked' in html
    assert not Decision.objects.filter(application=application).exists()


def test_an_award_above_the_calls_maximum_is_refused(committee):
    application = candidate(committee.call, "Awa Ndiaye")

    with pytest.raises(Refused, match="at most") as refusal:
        decision_service.decision_set(
            application=application,
            actor=committee.chair,
            outcome=DecisionOutcome.AWARD,
            amount=Decimal("1200"),
        )

    assert str(refusal.value.message) == "An award of this call is at most 1,000.00 USD."
    assert refusal.value.code == "above_maximum"


def test_changing_an_award_frees_its_own_amount_first(committee):
    committee.call.budget = Decimal("1000")
    committee.call.save()
    application = candidate(committee.call, "Awa Ndiaye")
    kwargs = {"application": application, "actor": committee.chair, "outcome": "award"}
    decision_service.decision_set(**kwargs, amount=Decimal("1000"))

    decision = decision_service.decision_set(**kwargs, amount=Decimal("900"))

    assert decision.amount == Decimal("900")
    assert decision_service.budget_committed(call=committee.call) == Decimal("900")


def test_changes_and_removal_of_a_draft_are_audited_before_and_after(committee):
    application = candidate(committee.call, "Awa Ndiaye")
    kwargs = {"application": application, "actor": committee.chair}
    decision_service.decision_set(**kwargs, outcome="award", amount=Decimal("700"))
    decision_service.decision_set(**kwargs, outcome="waitlist", amount=Decimal("700"))
    decision_service.decision_set(**kwargs, outcome=None)

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == [
        "decision.created",
        "decision.changed",
        "decision.removed",
    ]
    assert (entries[1].before["outcome"], entries[1].before["amount"]) == ("award", "700.00")
    assert (entries[1].after["outcome"], entries[1].after["amount"]) == ("waitlist", None)
    assert entries[2].before["outcome"] == "waitlist"
    assert entries[2].after is None
    assert not Decision.objects.exists()


def test_a_double_click_records_one_change_and_no_conflict(chair, committee):
    application = candidate(committee.call, "Awa Ndiaye")
    seen = chair.get(edit_url(application)).context["form"]["seen"].value()
    data = {"outcome": "award", "amount": "1000", "seen": seen}

    first = chair.post(edit_url(application), data)
    second = chair.post(edit_url(application), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert audit_actions(committee.call) == ["decision.created"]


def test_a_change_made_in_another_tab_is_not_overwritten_silently(chair, committee):
    application = candidate(committee.call, "Awa Ndiaye")
    seen = chair.get(edit_url(application)).context["form"]["seen"].value()
    decision_service.decision_set(application=application, actor=committee.chair, outcome="award")

    response = chair.post(edit_url(application), {"outcome": "decline", "seen": seen})

    html = response.content.decode()
    assert "Someone changed this decision (in another tab or window)" in html
    assert Decision.objects.get(application=application).outcome == "award"
    assert 'value="decline" id="id_outcome_3" checked' in html  # what the chair chose is kept
    fresh = response.context["form"]["seen"].value()
    assert fresh != seen

    chair.post(edit_url(application), {"outcome": "decline", "seen": fresh})

    assert Decision.objects.get(application=application).outcome == "decline"


def test_a_published_decision_cannot_be_changed(chair, committee):
    application = candidate(committee.call, "Awa Ndiaye")
    DecisionFactory(application=application, published_at=NOW)

    response = chair.get(edit_url(application))

    assert "This decision is published and can no longer be changed here." in (
        response.content.decode()
    )
    with pytest.raises(Refused, match="This decision is published") as refusal:
        decision_service.decision_set(
            application=application, actor=committee.chair, outcome="decline"
        )
    assert refusal.value.code == "published"


def test_drafts_and_withdrawn_applications_cannot_be_decided(chair, committee):
    for state in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        application = candidate(committee.call, "Not Submitted", state=state)
        assert chair.get(edit_url(application)).status_code == 404


# --- Who may ---------------------------------------------------------------------------------


def outsider(kind, committee, application):
    if kind == "reviewer of this call":
        return committee.reviewers[0].user
    if kind == "chair of another call":
        return CommitteeMembershipFactory(is_chair=True).user
    if kind == "student of this call":
        return application.applicant
    if kind == "coordinator":
        return CoordinatorFactory().user
    return UserFactory()


def chair_urls(committee, application):
    base = f"/applications/calls/{committee.call.pk}"
    return [
        ("get", f"{base}/board/"),
        ("get", f"{base}/board.csv"),
        ("get", f"{base}/decisions/"),
        ("get", f"{base}/decisions/suggest/?waitlist=1"),
        ("post", f"{base}/decisions/suggest/"),
        ("get", f"{base}/decisions/publish/"),
        ("post", f"{base}/decisions/publish/"),
        ("get", f"{base}/decisions/{application.pk}/"),
        ("post", f"{base}/decisions/{application.pk}/"),
        ("post", f"{base}/decisions/{application.pk}/offer/"),
        ("get", f"{base}/audit/"),
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "reviewer of this call",
        "chair of another call",
        "student of this call",
        "coordinator",
        "another student",
    ],
)
def test_only_the_chair_and_staff_reach_the_board_decisions_and_audit(
    client, drafted, kind, mailoutbox, signed_in
):
    application = drafted.people["Bilal"]
    signed_in(outsider(kind, drafted, application), client)

    for method, path in chair_urls(drafted, application):
        response = getattr(client, method)(path, {"outcome": "award"} if method == "post" else None)
        assert response.status_code == 404, (kind, method, path)

    assert Decision.objects.filter(published_at__isnull=False).count() == 0
    assert Decision.objects.get(application=application).outcome == "waitlist"


def test_programme_staff_reach_every_chair_page(client, drafted, signed_in):
    signed_in(StaffFactory(totp=True), client)

    for method, path in chair_urls(drafted, drafted.people["Dina"]):
        if method == "get":
            assert client.get(path).status_code == 200, path


def test_decisions_page_lists_drafts_and_links_to_publish(chair, drafted):
    html = chair.get(decisions_url(drafted)).content.decode()

    assert "1 to award, 1 to waitlist, 1 to decline." in html
    assert "1 submitted application has no decision yet." in html
    assert f'href="/applications/calls/{drafted.call.pk}/decisions/publish/"' in html
    assert re.search(r"Award, <bdi>USD\xa01,000.00</bdi>\s*\(draft\)", html)
    assert "Chen Li" not in html  # declines are counted, and listed on the board
    assert f'href="/applications/calls/{drafted.call.pk}/board/?decision=decline"' in html
    assert "See the 1 draft decline on the ranking board" in html


def test_the_budget_counts_awards_until_declined_and_never_a_withdrawn_draft(committee):
    states = [
        ApplicationState.UNDER_REVIEW,
        ApplicationState.AWARDED,
        ApplicationState.ACCEPTED,
        ApplicationState.DECLINED_BY_APPLICANT,
        ApplicationState.WITHDRAWN,
    ]
    for n, state in enumerate(states):
        application = candidate(committee.call, f"Student {n}", state=state)
        DecisionFactory(application=application, amount=Decimal(100 * 2**n))

    # 100 (draft) + 200 (awarded) + 400 (accepted); not 800 (declined) nor 1,600 (withdrawn).
    assert decision_service.budget_committed(call=committee.call) == Decimal("700")
    assert board_get(call=committee.call).budget.committed == Decimal("700")
