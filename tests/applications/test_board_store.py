"""The board's stored scores and ranks: recomputed when reviews change (one background task for
a burst), on reading a small stale call, and shown as "updating" on a large stale call."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationState, ReviewState
from applications.models import Assignment, BoardEntry, BoardState, Review
from applications.selectors import board as board_selectors
from applications.selectors import board_get, board_rows
from applications.services.board import board_mark_dirty, board_refresh
from applications.services.reviews import review_reopen, review_save
from tests.factories.applications import AssignmentFactory, candidate, score

pytestmark = pytest.mark.django_db


def ranks(committee) -> dict[str, int | None]:
    return {row.name: row.rank for row in board_rows(call=committee.call)}


def stored(committee) -> dict[int, int | None]:
    return dict(BoardEntry.objects.filter(call=committee.call).values_list("application", "rank"))


def test_refresh_stores_every_application_on_the_board_with_its_rank(committee):
    best, worst = candidate(committee.call, "Best"), candidate(committee.call, "Worst")
    unreviewed = candidate(committee.call, "Unreviewed")
    candidate(committee.call, "Gone", state=ApplicationState.WITHDRAWN)
    for reviewer in (0, 1):
        score(committee, reviewer, best, 90)
        score(committee, reviewer, worst, 40)

    state = board_refresh(call=committee.call)

    assert stored(committee) == {best.pk: 1, worst.pk: 2, unreviewed.pk: None}
    assert state.ranked == 2
    assert state.version == state.refreshed_version
    assert state.pending is False


def test_submitting_reviews_queues_one_refresh_for_a_burst(
    committee, django_capture_on_commit_callbacks
):
    applications = [candidate(committee.call, f"Student {n}") for n in range(3)]
    assignments = [
        AssignmentFactory(application=a, membership=committee.reviewers[0]) for a in applications
    ]
    criterion = str(committee.criterion.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for value, assignment in zip((30, 90, 60), assignments, strict=True):
            review_save(
                assignment=assignment,
                actor=committee.reviewers[0].user,
                version=1,
                scores={criterion: value},
                comment="",
                recommendation="yes",
                submit=True,
            )

    assert len(callbacks) == 1  # the first review queued the refresh; the others found it queued
    state = BoardState.objects.get(call=committee.call)
    assert (state.version, state.refreshed_version, state.pending) == (3, 3, False)
    assert stored(committee) == {
        applications[1].pk: 1,
        applications[2].pk: 2,
        applications[0].pk: 3,
    }


def test_a_review_after_the_refresh_started_queues_the_next(
    committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        board_mark_dirty(call_id=committee.call.pk)
    board_refresh(call=committee.call)  # what the queued task does
    with django_capture_on_commit_callbacks() as second:
        board_mark_dirty(call_id=committee.call.pk)

    assert (len(first), len(second)) == (1, 1)


def test_reopening_a_review_takes_it_off_the_ranking(committee, django_capture_on_commit_callbacks):
    application = candidate(committee.call, "Amina Diallo")
    review = score(committee, 0, application, 80)
    board_refresh(call=committee.call)

    with django_capture_on_commit_callbacks(execute=True):
        review_reopen(review=review, actor=committee.chair)

    assert stored(committee) == {application.pk: None}


def test_reading_a_small_stale_board_recomputes_it(committee):
    first, second = candidate(committee.call, "First"), candidate(committee.call, "Second")
    score(committee, 0, first, 90)
    score(committee, 0, second, 50)
    assert ranks(committee) == {"First": 1, "Second": 2}

    # Changed outside the review services: the fingerprint of the reviews tells.
    review = Review.objects.get(assignment__application=first)
    review.scores = {str(committee.criterion.pk): 10}
    review.save()
    assert ranks(committee) == {"Second": 1, "First": 2}

    # A withdrawal closes the gap in the ranks.
    second.state = ApplicationState.WITHDRAWN
    second.save()
    assert ranks(committee) == {"First": 1}

    # A change of the rubric's weights recomputes it too.
    before = BoardState.objects.get(call=committee.call)
    committee.criterion.weight = Decimal("2")
    committee.criterion.save()
    board_rows(call=committee.call)
    after = BoardState.objects.get(call=committee.call)
    assert after.rubric != before.rubric
    assert after.refreshed_at > before.refreshed_at


def test_a_large_stale_board_shows_its_ranks_as_updating(
    chair, committee, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = candidate(committee.call, "First"), candidate(committee.call, "Second")
    score(committee, 0, first, 90)
    score(committee, 0, second, 50)
    board_refresh(call=committee.call)
    monkeypatch.setattr(board_selectors, "SYNC_LIMIT", 1)
    assignment = Assignment.objects.get(application=second)
    Review.objects.filter(assignment=assignment).update(state=ReviewState.DRAFT)
    score(committee, 1, second, 100)
    url = f"/applications/calls/{committee.call.pk}/board/"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = chair.get(url)

    assert "Ranks updating" in response.content.decode()
    assert [row.name for row in response.context["page_obj"]] == ["First", "Second"]
    assert len(callbacks) == 1  # the refresh, queued once (and run by the test's task backend)
    fresh = chair.get(url)
    assert "Ranks updating" not in fresh.content.decode()
    assert [row.name for row in fresh.context["page_obj"]] == ["Second", "First"]
    assert board_get(call=committee.call).stale is False
