"""The call's audit trail: every decision change, publication, answer and score, for the chair."""

from datetime import timedelta
from decimal import Decimal

import pytest

from applications.services import awards as award_service
from applications.services import decisions as decision_service
from applications.services import publication as publication_service
from portal.audit import audit_record
from portal.models import AuditEntry
from tests.factories.applications import candidate, make_committee, score

pytestmark = pytest.mark.django_db


def url(committee, query=""):
    return f"/applications/calls/{committee.call.pk}/audit/{query}"


def rows(response):
    return [(row.label, row.subject) for row in response.context["audit"].rows]


def reviewed(committee, reviewer: int, application, value: int, *, was: int | None = None):
    """Reviewer number `reviewer` scores `application`, and the trail records it as the review
    service does (`was`: the score before, if any)."""
    review = score(committee, reviewer, application, value)
    audit_record(
        actor=committee.reviewers[reviewer].user,
        action="review.submitted",
        obj=review,
        scope=f"call:{committee.call.pk}",
        before=None if was is None else {"scores": {"1": was}},
        after={"scores": {"1": value}},
    )


def test_audit_trail_lists_decisions_newest_first_with_who_and_what_changed(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="waitlist")
    publication_service.decisions_publish(call=committee.call, actor=committee.chair)

    response = chair.get(url(committee))

    assert rows(response) == [
        ("Decision published", f"#{awa.pk} Awa Ndiaye"),
        ("Decision changed", f"#{awa.pk} Awa Ndiaye"),
        ("Decision drafted", f"#{awa.pk} Awa Ndiaye"),
    ]
    changed = response.context["audit"].rows[1]
    assert changed.changes == [("outcome", "award", "waitlist"), ("amount", "1000.00", "—")]
    html = response.content.decode()
    # Values and names are isolated for right-to-left pages; the arrow turns with the page.
    assert (
        '<dt>outcome</dt><dd><bdi>award</bdi> <span class="icon-forward">→</span> '
        "<bdi>waitlist</bdi></dd>" in html
    )
    assert "<td><bdi>Chair Person</bdi></td>" in html
    assert "When (Africa/Nairobi)" in html


def test_a_removed_decision_still_names_its_application(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="decline")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome=None)

    assert rows(chair.get(url(committee)))[0] == ("Decision removed", f"#{awa.pk} Awa Ndiaye")


def test_score_changes_recorded_by_the_review_service_are_listed(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    reviewed(committee, 0, awa, 70, was=60)

    response = chair.get(url(committee, "?kind=review"))

    (row,) = response.context["audit"].rows
    assert (row.label, row.subject) == ("review.submitted", f"#{awa.pk} Awa Ndiaye")
    assert row.changes == [("scores", '{"1": 60}', '{"1": 70}')]
    assert "<td><bdi>Reviewer 0</bdi></td>" in response.content.decode()


def test_kinds_filter_the_trail(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")
    publication_service.decisions_publish(call=committee.call, actor=committee.chair)
    award_service.award_answer(application=awa, accept=True)

    assert [label for label, _ in rows(chair.get(url(committee, "?kind=award")))] == [
        "Award accepted by the student"
    ]
    assert len(rows(chair.get(url(committee, "?kind=decision")))) == 2
    assert len(rows(chair.get(url(committee, "?kind=nonsense")))) == 3


def test_the_trail_is_paginated_and_scoped_to_the_call(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    for n in range(51):
        decision_service.decision_set(
            application=awa, actor=committee.chair, outcome="award", amount=Decimal(100 + n)
        )
    other = make_committee(slug="other-call")
    decision_service.decision_set(
        application=candidate(other.call, "Someone Else"), actor=other.chair, outcome="decline"
    )

    first = chair.get(url(committee))
    second = chair.get(url(committee, "?page=2"))

    assert len(first.context["audit"].rows) == 50
    assert rows(second) == [("Decision drafted", f"#{awa.pk} Awa Ndiaye")]
    assert "Someone Else" not in first.content.decode() + second.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_entries_show_the_time_in_the_calls_zone(chair, committee):
    awa = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")
    entry = AuditEntry.objects.get()
    local = entry.at + timedelta(hours=3)  # Nairobi, no daylight saving

    html = chair.get(url(committee)).content.decode()

    assert f">{local:%Y-%m-%d %H:%M:%S}</time>" in html


def test_audit_queries_are_constant_at_1_and_3_entries(chair, committee, count_queries):
    awa = candidate(committee.call, "Awa Ndiaye")
    reviewed(committee, 1, awa, 40)
    one = count_queries(chair, url(committee))
    decision_service.decision_set(application=awa, actor=committee.chair, outcome="award")
    bilal = candidate(committee.call, "Bilal Haddad")
    decision_service.decision_set(application=bilal, actor=committee.chair, outcome="decline")

    three = count_queries(chair, url(committee))

    # Session, user, chair check, call, count, page, the reviews and the applications named;
    # the base template asks nothing (the header's roles are kept in the session, the site's
    # menu in the cache). (Without a review on the page, one query fewer.)
    assert one == three == 8
