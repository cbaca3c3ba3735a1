"""Decisions: drafts within the budget, the suggestion, the chair's pages and who may reach them
(publication and waitlist offers: test_publication.py)."""

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
    candidate,
    make_committee,
    score,
)
from tests.factories.exchanges import CoordinatorFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Nairobi (UTC+3)


def edit_url(application):
    return f"/applications/calls/{application.call_id}/decisions/{application.pk}/"


def decisions_url(committee, suffix=""):
    return f"/applications/calls/{committee.call.pk}/decisions/{suffix}"


def audit_actions(call):
    return list(
        AuditEntry.objects.filter(scope=f"call:{call.pk}")
        .order_by("pk")
        .values_list("action", flat=True)
    )


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


# --- The suggestion -------------------------------------------------------------------------


@pytest.fixture
def requested(db):
    """A call paying what students request (up to 1,000) from a 2,000 budget. Ranked: Awa (800),
    Bilal (1,000), Chen (300), Dina (500); Emeka has no review."""
    committee = make_committee(
        award_mode=AwardMode.REQUESTED, budget=Decimal("2000"), award_amount=Decimal("1000")
    )
    people = {}
    for value, (name, amount) in zip(
        (90, 80, 70, 60),
        [("Awa", 800), ("Bilal", 1000), ("Chen", 300), ("Dina", 500)],
        strict=True,
    ):
        people[name] = candidate(committee.call, name, requested_amount=Decimal(amount))
        score(committee, 0, people[name], value)
    people["Emeka"] = candidate(committee.call, "Emeka", requested_amount=Decimal("100"))
    committee.people = people
    return committee


def suggest_url(committee, query="?waitlist=2&decline_rest=on"):
    return decisions_url(committee, f"suggest/{query}")


def test_suggestion_awards_down_the_ranking_until_the_budget_is_spent(client, requested, signed_in):
    signed_in(requested.chair, client)

    response = client.get(suggest_url(requested))

    suggestion = response.context["suggestion"]
    assert [(row.name, amount) for row, amount in suggestion.awards] == [
        ("Awa", Decimal("800")),
        ("Bilal", Decimal("1000")),
    ]
    assert suggestion.stopped_at.name == "Chen"  # 300 does not fit in the 200 left
    assert [row.name for row in suggestion.waitlist] == ["Chen", "Dina"]
    assert [row.name for row in suggestion.declines] == ["Emeka"]
    html = response.content.decode()
    assert "Together 1,800.00 USD; 200.00 USD of the budget would remain." in html
    assert "The next in the ranking, Chen, would need 300.00 USD: that does not fit." in html
    assert "Including 1 application without a submitted review." in html
    assert not Decision.objects.exists()  # nothing is decided until the chair confirms


def test_confirming_the_suggestion_records_drafts_only(
    client, requested, mailoutbox, django_capture_on_commit_callbacks, signed_in
):
    signed_in(requested.chair, client)
    fingerprint = client.get(suggest_url(requested)).context["confirm"]["fingerprint"].value()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            suggest_url(requested, ""),
            {"waitlist": "2", "decline_rest": "True", "fingerprint": fingerprint},
        )

    assert response["Location"] == decisions_url(requested)
    decided = {
        d.application.applicant.full_name: (d.outcome, d.amount, d.published_at)
        for d in Decision.objects.select_related("application__applicant")
    }
    assert decided == {
        "Awa": ("award", Decimal("800.00"), None),
        "Bilal": ("award", Decimal("1000.00"), None),
        "Chen": ("waitlist", None, None),
        "Dina": ("waitlist", None, None),
        "Emeka": ("decline", None, None),
    }
    assert audit_actions(requested.call) == ["decision.created"] * 5
    assert mailoutbox == []
    assert "5 decisions drafted. Nobody is told until you publish." in (
        client.get(decisions_url(requested)).content.decode()
    )


def test_suggestion_keeps_the_chairs_own_drafts_and_counts_them(client, requested, signed_in):
    signed_in(requested.chair, client)
    decision_service.decision_set(
        application=requested.people["Dina"], actor=requested.chair, outcome="award"
    )

    suggestion = client.get(suggest_url(requested, "?waitlist=0")).context["suggestion"]

    # Dina's 500 is committed: 1,500 remain, so Awa (800) fits and Bilal (1,000) does not.
    assert [row.name for row, _amount in suggestion.awards] == ["Awa"]
    assert suggestion.stopped_at.name == "Bilal"
    assert suggestion.declines == []


def test_a_suggestion_that_changed_since_it_was_shown_saves_nothing(client, requested, signed_in):
    signed_in(requested.chair, client)
    fingerprint = client.get(suggest_url(requested)).context["confirm"]["fingerprint"].value()
    score(requested, 1, requested.people["Emeka"], 99)  # a late review: Emeka now ranks

    response = client.post(
        suggest_url(requested, ""),
        {"waitlist": "2", "decline_rest": "True", "fingerprint": fingerprint},
        follow=True,
    )

    assert "The ranking or the decisions changed since you looked. Nothing was saved" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()


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
    assert re.search(r"Award, 1,000.00 USD\s*\(draft\)", html)
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
