"""After publication: answers by the date, school confirmation, letters, and the post-match
round where the first confirmed claim takes a seat and capacity is never exceeded."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from exchanges import services
from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models import Placement
from portal.errors import Refused
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


def _published(capacity: int = 1, students: int = 3):
    """A published match in which the first student got the only seat."""
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=capacity, title="Rural medicine")
    lists = [ranked(RankListFactory(cycle=cycle), [rotation]) for _ in range(students)]
    school_ranks(rotation, lists[:capacity])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    cycle.refresh_from_db()
    return cycle, rotation, lists


def test_placement_answer_confirms_and_tells_the_school(
    mailoutbox, django_capture_on_commit_callbacks
):
    _cycle, rotation, (placed, *_rest) = _published()
    coordinator = CoordinatorFactory(institution=rotation.institution)
    placement = Placement.objects.get(rank_list=placed)

    with django_capture_on_commit_callbacks(execute=True):
        services.placement_answer(placement=placement, accept=True)

    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            [coordinator.user.email],
            f"[Global Health Portal] {placed.student} confirmed Rural medicine",
        )
    ]


def test_placement_answer_twice_is_refused():
    _cycle, _rotation, (placed, *_rest) = _published()
    placement = Placement.objects.get(rank_list=placed)
    services.placement_answer(placement=placement, accept=False)

    with pytest.raises(Refused, match="already answered") as refusal:
        services.placement_answer(placement=placement, accept=True)
    assert refusal.value.code == "already_answered"


def test_placement_answer_after_the_date_is_refused_and_the_seat_opens():
    cycle, rotation, (placed, *_rest) = _published()
    placement = Placement.objects.get(rank_list=placed)
    later = cycle.respond_by + timedelta(seconds=1)

    with pytest.raises(Refused, match="The date to answer has passed") as refusal:
        services.placement_answer(placement=placement, accept=True, now=later)
    assert refusal.value.code == "answer_date_passed"

    assert services.open_seats(rotation, later) == 1
    assert services.open_seats(rotation, cycle.respond_by - timedelta(seconds=1)) == 0


def test_declined_seat_is_claimed_in_the_post_match_round(django_capture_on_commit_callbacks):
    _cycle, rotation, (placed, waiting, _other) = _published()
    services.placement_answer(placement=Placement.objects.get(rank_list=placed), accept=False)

    with django_capture_on_commit_callbacks(execute=True):
        claim = services.seat_claim(rank_list=waiting, rotation=rotation)

    claim.refresh_from_db()
    assert (claim.source, claim.status, claim.run) == (
        PlacementSource.POST_MATCH,
        PlacementStatus.CONFIRMED,
        None,
    )
    assert claim.letter_key.startswith("exchanges/letters/")


def test_seat_claim_for_the_last_seat_second_claim_is_refused():
    # The deterministic interleaving: both students saw one seat open; the second to confirm
    # finds it taken, because the count is made under the rotation's lock.
    _cycle, rotation, (placed, first, second) = _published()
    services.placement_answer(placement=Placement.objects.get(rank_list=placed), accept=False)

    services.seat_claim(rank_list=first, rotation=rotation)
    with pytest.raises(Refused, match="just before you") as refusal:
        services.seat_claim(rank_list=second, rotation=rotation)

    assert (refusal.value.code, refusal.value.status) == ("no_seat_left", 409)

    assert (
        refusal.value.message
        == "Someone confirmed the last seat of Rural medicine just before you."
    )
    assert (
        Placement.objects.filter(rotation=rotation, status=PlacementStatus.CONFIRMED).count() == 1
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seat_claim_two_at_the_same_instant_never_exceed_capacity():
    _cycle, rotation, lists = _published(capacity=1, students=6)
    services.placement_answer(placement=Placement.objects.get(rank_list=lists[0]), accept=False)
    claimants = lists[1:]
    barrier = threading.Barrier(len(claimants))
    outcomes: list[str] = []

    def claim(rank_list):
        try:
            barrier.wait()
            services.seat_claim(rank_list=rank_list, rotation=rotation)
            outcomes.append("placed")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()
            if connection.vendor == "sqlite" and connection.connection is not None:
                # Django keeps in-memory SQLite connections open on close(); this thread's
                # own would keep its shared-cache table locks until garbage-collected.
                connection.connection.close()

    threads = [threading.Thread(target=claim, args=(r,)) for r in claimants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["placed"] + ["refused"] * 4
    assert services.open_seats(rotation, timezone.now()) == 0
    assert (
        Placement.objects.filter(rotation=rotation, status=PlacementStatus.CONFIRMED).count() == 1
    )


def test_seat_claim_refuses_a_student_already_placed_or_declined():
    cycle = CycleFactory()
    first = CycleRotationFactory(cycle=cycle, capacity=1)
    open_rotation = CycleRotationFactory(cycle=cycle, capacity=2)
    placed = ranked(RankListFactory(cycle=cycle), [first])
    school_ranks(first, [placed])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))

    with pytest.raises(Refused, match="already have a placement") as refusal:
        services.seat_claim(rank_list=placed, rotation=open_rotation)
    assert refusal.value.code == "already_placed"

    services.placement_answer(placement=Placement.objects.get(rank_list=placed), accept=False)
    with pytest.raises(Refused, match="already have a placement") as refusal:
        services.seat_claim(rank_list=placed, rotation=open_rotation)
    assert refusal.value.code == "already_placed"


def test_seat_claim_refuses_where_the_school_said_not_acceptable():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=2)
    refused = ranked(RankListFactory(cycle=cycle), [rotation])
    school_ranks(rotation, [], refused=[refused])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))

    with pytest.raises(Refused, match="did not accept you") as refusal:
        services.seat_claim(rank_list=refused, rotation=rotation)
    assert refusal.value.code == "not_acceptable"


def test_seat_claim_refuses_a_student_who_did_not_take_part():
    _cycle, rotation, _lists = _published(capacity=2, students=1)
    outsider = RankListFactory(cycle=rotation.cycle)

    with pytest.raises(Refused, match="Only students who took part") as refusal:
        services.seat_claim(rank_list=outsider, rotation=rotation)
    assert refusal.value.code == "not_in_match"


def test_seat_claim_before_publication_is_refused():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    student = ranked(RankListFactory(cycle=cycle), [rotation])

    with pytest.raises(Refused, match="post-match round is not open") as refusal:
        services.seat_claim(rank_list=student, rotation=rotation)
    assert refusal.value.code == "post_match_closed"


def test_seat_claim_after_the_round_closes_is_refused():
    cycle, rotation, (_placed, waiting, _other) = _published(capacity=2)
    cycle.post_match_closes_at = timezone.now() - timedelta(minutes=1)
    cycle.save()

    with pytest.raises(Refused, match="post-match round is not open") as refusal:
        services.seat_claim(rank_list=waiting, rotation=rotation)
    assert refusal.value.code == "post_match_closed"


def test_placement_confirm_for_school_needs_the_students_confirmation_first():
    _cycle, _rotation, (placed, *_rest) = _published()
    placement = Placement.objects.get(rank_list=placed)

    with pytest.raises(Refused, match="once the student has confirmed") as refusal:
        services.placement_confirm_for_school(placement=placement)
    assert refusal.value.code == "not_confirmed_by_student"

    services.placement_answer(placement=placement, accept=True)
    services.placement_confirm_for_school(placement=placement)
    placement.refresh_from_db()
    assert placement.school_confirmed_at is not None


def test_placement_letter_is_written_once_with_the_placement():
    import io

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    _cycle, _rotation, (placed, *_rest) = _published()
    placed.student.preferred_language = "fr"
    placed.student.save()
    placement = Placement.objects.get(rank_list=placed)

    first = services.placement_letter_render(placement_id=placement.pk)
    again = services.placement_letter_render(placement_id=placement.pk)

    assert first.letter_key == again.letter_key
    with default_storage.open(first.letter_key) as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Rural medicine" in text
    assert placed.student.full_name in text
