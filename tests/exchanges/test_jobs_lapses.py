"""The lapse job: an offer unanswered by its date is stored lapsed at that moment, its seat is
offered to the next student on the school's ranking or left to the post-match round, everyone
concerned is told once, and a second run does nothing more."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models import Placement
from exchanges.selectors.second_round import free_seats
from exchanges.services.lapses import WAITLIST_ANSWER_TIME, placements_lapse
from portal import jobs
from portal.errors import Refused
from tests.factories.exchanges import (
    CoordinatorFactory,
    RankListFactory,
    match_published,
    ranked,
    second_round_for,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _run(capture, now):
    with capture(execute=True):
        return placements_lapse(now=now)


def test_an_offer_lapses_at_its_date_and_the_seat_goes_to_the_next_student(
    mailoutbox, django_capture_on_commit_callbacks
):
    cycle, rotation, (placed, waiting, third) = match_published()
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    mailoutbox.clear()
    moment = cycle.respond_by

    assert _run(django_capture_on_commit_callbacks, moment - DAY) == {"lapsed": 0, "offered": 0}
    assert mailoutbox == []

    assert _run(django_capture_on_commit_callbacks, moment) == {"lapsed": 1, "offered": 1}
    lapsed = Placement.objects.get(rank_list=placed)
    assert lapsed.status == PlacementStatus.LAPSED
    assert lapsed.is_lapsed(moment) and not lapsed.holds_seat(moment)
    offer = Placement.objects.get(rank_list=waiting)
    assert (offer.source, offer.status, offer.rotation, offer.respond_by) == (
        PlacementSource.WAITLIST,
        PlacementStatus.OFFERED,
        rotation,
        moment + WAITLIST_ANSWER_TIME,
    )
    assert offer.letter_key.startswith("exchanges/letters/")
    assert not Placement.objects.filter(rank_list=third).exists()
    assert services.open_seats(rotation, moment) == 0
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(
        [
            (
                placed.student.email,
                "[Global Health Portal] Your offer for Rural medicine has lapsed",
            ),
            (
                coordinator.email,
                f"[Global Health Portal] {placed.student} did not answer for Rural medicine",
            ),
            (
                waiting.student.email,
                "[Global Health Portal] A seat is offered to you: Rural medicine",
            ),
        ]
    )
    school = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert f"offered to the next student on your ranking, {waiting.student}" in school.body
    mailoutbox.clear()

    assert _run(django_capture_on_commit_callbacks, moment) == {"lapsed": 0, "offered": 0}
    assert _run(django_capture_on_commit_callbacks, moment + DAY) == {"lapsed": 0, "offered": 0}
    assert mailoutbox == []


def test_a_lapse_already_in_the_ledger_is_not_done_again(django_capture_on_commit_callbacks):
    cycle, _rotation, (placed, *_rest) = match_published()
    placement = Placement.objects.get(rank_list=placed)
    assert jobs.once(f"exchanges.lapse:placement:{placement.pk}")  # a run that did it

    assert _run(django_capture_on_commit_callbacks, cycle.respond_by) == {
        "lapsed": 0,
        "offered": 0,
    }


def test_with_nobody_waiting_the_seat_is_left_to_the_post_match_round(
    mailoutbox, django_capture_on_commit_callbacks
):
    cycle, rotation, (placed, refused_by_omission, *_rest) = match_published(school_ranked=1)
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    mailoutbox.clear()

    assert _run(django_capture_on_commit_callbacks, cycle.respond_by) == {
        "lapsed": 1,
        "offered": 0,
    }
    assert Placement.objects.count() == 1
    assert services.open_seats(rotation, cycle.respond_by) == 1
    school = next(m for m in mailoutbox if m.to == [coordinator.email])
    assert "open to unplaced students in the post-match round" in school.body
    assert {m.to[0] for m in mailoutbox} == {placed.student.email, coordinator.email}

    # The free seat is open to the second round (issue 17), not to a claim confirmed at once.
    assert free_seats(cycle=cycle, now=cycle.respond_by) == {rotation.pk: 1}
    assert not Placement.objects.filter(rank_list=refused_by_omission).exists()


def test_the_next_student_skips_the_placed_the_unsubmitted_and_the_no_longer_ranking(
    django_capture_on_commit_callbacks,
):
    cycle, rotation, (_placed, declined, moved_away, waiting) = match_published(students=4)
    # Declined elsewhere: a placement of the cycle, whatever its state, means no second one.
    Placement.objects.create(
        cycle=cycle,
        rank_list=declined,
        rotation=rotation,
        source=PlacementSource.POST_MATCH,
        status=PlacementStatus.DECLINED,
    )
    moved_away.entries.all().delete()
    unsubmitted = ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)
    rotation.school_entries.create(rank_list=unsubmitted, position=5)

    _run(django_capture_on_commit_callbacks, cycle.respond_by)

    assert Placement.objects.get(source=PlacementSource.WAITLIST).rank_list == waiting


def test_a_waitlist_offer_lapses_in_turn_and_the_seat_moves_on(
    mailoutbox, django_capture_on_commit_callbacks
):
    cycle, _rotation, (_placed, second, third) = match_published()
    _run(django_capture_on_commit_callbacks, cycle.respond_by)
    offer = Placement.objects.get(rank_list=second)
    mailoutbox.clear()

    later = offer.respond_by
    assert _run(django_capture_on_commit_callbacks, later - DAY) == {"lapsed": 0, "offered": 0}
    assert _run(django_capture_on_commit_callbacks, later) == {"lapsed": 1, "offered": 1}
    assert Placement.objects.get(rank_list=third).source == PlacementSource.WAITLIST
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [second.student.email, third.student.email]
    )


def test_a_waitlist_offer_answers_by_the_end_of_the_post_match_round(
    django_capture_on_commit_callbacks,
):
    cycle, _rotation, (_placed, waiting, _third) = match_published()
    cycle.post_match_closes_at = cycle.respond_by + DAY
    cycle.save()

    _run(django_capture_on_commit_callbacks, cycle.respond_by)

    assert Placement.objects.get(rank_list=waiting).respond_by == cycle.post_match_closes_at


def test_after_the_post_match_round_an_offer_lapses_without_moving_on(
    django_capture_on_commit_callbacks,
):
    cycle, _rotation, (_placed, *_rest) = match_published()
    cycle.post_match_closes_at = cycle.respond_by
    cycle.save()

    assert _run(django_capture_on_commit_callbacks, cycle.respond_by + DAY) == {
        "lapsed": 1,
        "offered": 0,
    }
    assert Placement.objects.count() == 1


def test_a_seat_claimed_before_the_job_runs_is_not_offered_twice(
    django_capture_on_commit_callbacks,
):
    cycle, rotation, (_placed, waiting, claimer) = match_published()
    second_round_for(cycle, state="published")
    rotation.institution.accepts_first_come = True
    rotation.institution.save()
    after = cycle.respond_by + timedelta(minutes=1)
    # Between the answer date and the job, the seat already shows as open: a student claims
    # it and the school confirms the claim.
    claim = services.seat_claim(rank_list=claimer, rotation=rotation, now=after)
    services.seat_claim_decide(claim=claim, confirm=True, by=None, now=after)

    assert _run(django_capture_on_commit_callbacks, after) == {"lapsed": 1, "offered": 0}
    assert not Placement.objects.filter(rank_list=waiting).exists()
    assert services.open_seats(rotation, after) == 0


def test_an_answer_after_the_lapse_is_refused_politely(django_capture_on_commit_callbacks):
    cycle, _rotation, (placed, *_rest) = match_published()
    _run(django_capture_on_commit_callbacks, cycle.respond_by)
    placement = Placement.objects.get(rank_list=placed)

    with pytest.raises(Refused, match="The date to answer has passed") as refusal:
        services.placement_answer(placement=placement, accept=True, now=cycle.respond_by + DAY)
    assert refusal.value.code == "answer_date_passed"


def test_the_placement_page_shows_the_lapse_before_the_job_has_stored_it(signed_in):
    _cycle, _rotation, (placed, *_rest) = match_published()
    placement = Placement.objects.get(rank_list=placed)
    placement.respond_by = timezone.now() - timedelta(minutes=1)
    placement.save()

    page = signed_in(placed.student).get(reverse("exchanges:placement", args=[placed.cycle_id]))

    assert page.status_code == 200
    assert "Lapsed, not answered in time" in page.content.decode()
    assert "Confirm my placement" not in page.content.decode()


def test_the_jobs_and_the_reminder_kind_are_registered(django_capture_on_commit_callbacks):
    from portal import notifications

    cycle, _rotation, _lists = match_published()
    job = jobs.job_get("exchanges.placement_lapses")
    with django_capture_on_commit_callbacks(execute=True):
        assert job.run(now=cycle.respond_by) == {"lapsed": 1, "offered": 1}
    assert [str(words) for words, _n in job.describe({"lapsed": 1, "offered": 1})] == [
        "offers lapsed",
        "seats offered to the next student",
    ]
    assert jobs.job_get("exchanges.cycle_phases").run(now=cycle.respond_by)["reminded"] == 0
    assert "deadline_reminders" in {kind.slug for kind in notifications.kind_list()}
