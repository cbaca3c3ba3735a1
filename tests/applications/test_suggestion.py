"""The award suggestion: down the ranking within the budget, confirmed as drafts only, never
saved when the ranking changed since it was shown."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from applications.enums import AwardMode
from applications.models import Decision
from applications.services import decisions as decision_service
from tests.factories.applications import (
    audit_actions,
    candidate,
    make_committee,
    score,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Nairobi (UTC+3)


def decisions_url(committee, suffix=""):
    return f"/applications/calls/{committee.call.pk}/decisions/{suffix}"


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
    assert (
        "Together <bdi>USD\xa01,800.00</bdi>; <bdi>USD\xa0200.00</bdi> of the budget would remain."
        in html
    )
    assert (
        "The next in the ranking, <bdi>Chen</bdi>, would need <bdi>USD\xa0300.00</bdi>: "
        "that does not fit." in html
    )
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
