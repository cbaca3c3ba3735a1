"""A student's rank list: build, order, submit before the deadline, change until then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exchanges import selectors, services
from exchanges.enums import Direction, RotationStatus
from portal.errors import Refused
from tests.factories.accounts import UserFactory
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    student_order,
    with_documents,
)

pytestmark = pytest.mark.django_db


def _rotations(cycle, n: int):
    return [CycleRotationFactory(cycle=cycle) for _ in range(n)]


def _listed(cycle, *rotations):
    """A new student's list in `cycle`, made and filled through the services."""
    mine = services.rank_list_for(cycle=cycle, student=UserFactory())
    for rotation in rotations:
        services.rank_list_add(rank_list=mine, rotation=rotation)
    return mine


def test_rank_list_add_appends_in_order():
    cycle = CycleFactory()
    first, second = _rotations(cycle, 2)
    mine = _listed(cycle)

    services.rank_list_add(rank_list=mine, rotation=first)
    services.rank_list_add(rank_list=mine, rotation=second)

    assert student_order(mine) == [first.pk, second.pk]


def test_rank_list_add_refuses_more_than_the_cycles_limit():
    cycle = CycleFactory(max_ranks=2)
    rotations = _rotations(cycle, 3)
    mine = _listed(cycle, *rotations[:2])

    with pytest.raises(Refused, match="You may rank up to 2 rotations") as refusal:
        services.rank_list_add(rank_list=mine, rotation=rotations[2])

    assert refusal.value.code == "list_full"
    assert refusal.value.message == "You may rank up to 2 rotations. Remove one to add another."
    assert student_order(mine) == [rotations[0].pk, rotations[1].pk]


def test_rank_list_add_refuses_a_rotation_twice():
    cycle = CycleFactory()
    (rotation,) = _rotations(cycle, 1)
    mine = _listed(cycle, rotation)

    with pytest.raises(Refused, match="already on your list") as refusal:
        services.rank_list_add(rank_list=mine, rotation=rotation)
    assert refusal.value.code == "already_on_list"


@pytest.mark.parametrize(
    ("change", "message", "code"),
    [
        (
            {"status": RotationStatus.DRAFT},
            "This rotation cannot be ranked in this cycle.",
            "not_rankable",
        ),
        ({"cycle": None}, "This rotation cannot be ranked in this cycle.", "not_rankable"),
        (
            {"deadline": timezone.now() - timedelta(minutes=1)},
            "The deadline to apply to Paediatrics has passed.",
            "rotation_deadline_passed",
        ),
    ],
)
def test_rank_list_add_refuses_a_rotation_not_open_to_this_list(change, message, code):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(**{"cycle": cycle, "title": "Paediatrics", **change})
    mine = _listed(cycle)

    with pytest.raises(Refused, match=message) as refusal:
        services.rank_list_add(rank_list=mine, rotation=rotation)

    assert refusal.value.code == code


def test_rank_list_after_the_deadline_is_refused_politely():
    cycle = CycleFactory()
    (rotation,) = _rotations(cycle, 1)
    mine = _listed(cycle)
    move_to(cycle, "schools_ranking")

    with pytest.raises(Refused, match="has passed") as refusal:
        services.rank_list_add(rank_list=mine, rotation=rotation)

    assert refusal.value.code == "deadline_passed"
    assert refusal.value.message == (
        f"The deadline to rank rotations in {cycle.name} has passed; "
        "your list can no longer change."
    )


def test_rank_list_before_the_cycle_opens_is_refused():
    cycle = move_to(CycleFactory(), "upcoming")
    (rotation,) = _rotations(cycle, 1)
    mine = _listed(cycle)

    with pytest.raises(Refused, match="has not opened yet") as refusal:
        services.rank_list_add(rank_list=mine, rotation=rotation)
    assert refusal.value.code == "not_open_yet"


def test_rank_list_move_swaps_neighbours_and_stops_at_the_ends():
    cycle = CycleFactory()
    a, b, c = _rotations(cycle, 3)
    mine = _listed(cycle, a, b, c)

    services.rank_list_move(rank_list=mine, rotation_id=c.pk, direction=Direction.UP)
    services.rank_list_move(rank_list=mine, rotation_id=a.pk, direction=Direction.UP)
    services.rank_list_move(rank_list=mine, rotation_id=b.pk, direction=Direction.DOWN)

    assert student_order(mine) == [a.pk, c.pk, b.pk]


def test_rank_list_reorder_takes_the_whole_order():
    cycle = CycleFactory()
    a, b, c = _rotations(cycle, 3)
    mine = _listed(cycle, a, b, c)

    services.rank_list_reorder(rank_list=mine, rotation_ids=[c.pk, a.pk, b.pk])

    assert student_order(mine) == [c.pk, a.pk, b.pk]


def test_rank_list_reorder_refuses_an_order_of_other_rotations():
    cycle = CycleFactory()
    a, b, c = _rotations(cycle, 3)
    mine = _listed(cycle, a, b)

    with pytest.raises(Refused, match="changed in another window") as refusal:
        services.rank_list_reorder(rank_list=mine, rotation_ids=[c.pk, a.pk])

    assert (refusal.value.code, refusal.value.status) == ("stale", 409)

    assert student_order(mine) == [a.pk, b.pk]


def test_rank_list_remove_closes_the_gap():
    cycle = CycleFactory()
    a, b, c = _rotations(cycle, 3)
    mine = _listed(cycle, a, b, c)

    services.rank_list_remove(rank_list=mine, rotation_id=b.pk)

    assert list(mine.entries.values_list("rotation_id", "position")) == [(a.pk, 1), (c.pk, 2)]


def test_rank_list_submit_lists_everything_missing():
    cycle = CycleFactory()
    (rotation,) = _rotations(cycle, 1)
    mine = _listed(cycle, rotation)

    with pytest.raises(Refused, match="not submitted yet") as refusal:
        services.rank_list_submit(rank_list=mine)

    assert refusal.value.code == "incomplete"
    assert refusal.value.message == "Your list is not submitted yet. It still needs:"
    assert refusal.value.details == [
        "Name your medical school.",
        "Give your year of study.",
        "List the languages you speak.",
        "Upload your immunisation record.",
        "Upload your proof of insurance.",
    ]
    mine.refresh_from_db()
    assert mine.submitted_at is None


def test_rank_list_submit_an_empty_list_is_refused():
    mine = RankListFactory()

    with pytest.raises(Refused, match="not submitted yet") as refusal:
        services.rank_list_submit(rank_list=mine)

    assert refusal.value.details == ["Rank at least one rotation."]


def test_rank_list_submit_when_complete():
    cycle = CycleFactory()
    (rotation,) = _rotations(cycle, 1)
    mine = with_documents(RankListFactory(cycle=cycle))
    services.rank_list_add(rank_list=mine, rotation=rotation)
    now = timezone.now()

    services.rank_list_submit(rank_list=mine, now=now)

    mine.refresh_from_db()
    assert mine.submitted_at == now


def test_rank_list_change_after_submission_keeps_it_submitted_while_complete():
    cycle = CycleFactory()
    a, b = _rotations(cycle, 2)
    mine = with_documents(RankListFactory(cycle=cycle))
    services.rank_list_add(rank_list=mine, rotation=a)
    services.rank_list_submit(rank_list=mine)

    services.rank_list_add(rank_list=mine, rotation=b)
    services.rank_list_move(rank_list=mine, rotation_id=b.pk, direction=Direction.UP)

    mine.refresh_from_db()
    assert mine.is_submitted
    assert student_order(mine) == [b.pk, a.pk]


def test_rank_list_change_that_leaves_it_incomplete_takes_it_out_of_the_match():
    cycle = CycleFactory()
    a = CycleRotationFactory(cycle=cycle)
    b = CycleRotationFactory(cycle=cycle, required_documents=["transcript"])
    mine = with_documents(RankListFactory(cycle=cycle))
    services.rank_list_add(rank_list=mine, rotation=a)
    services.rank_list_submit(rank_list=mine)

    mine = services.rank_list_add(rank_list=mine, rotation=b)

    assert mine.submitted_at is None
    assert selectors.rank_list_missing(mine) == ["Upload your academic transcript."]


def test_rank_list_withdraw_and_submit_again():
    cycle = CycleFactory()
    (rotation,) = _rotations(cycle, 1)
    mine = with_documents(RankListFactory(cycle=cycle))
    services.rank_list_add(rank_list=mine, rotation=rotation)
    services.rank_list_submit(rank_list=mine)

    services.rank_list_withdraw(rank_list=mine)
    mine.refresh_from_db()
    assert mine.submitted_at is None

    services.rank_list_submit(rank_list=mine)
    mine.refresh_from_db()
    assert mine.is_submitted


def test_rank_list_for_fills_the_dossier_from_the_previous_cycle():
    student = UserFactory()
    RankListFactory(student=student, home_school="Université de Bamako", year_of_study=4)

    mine = services.rank_list_for(cycle=CycleFactory(), student=student)

    assert (mine.home_school, mine.year_of_study, mine.languages) == (
        "Université de Bamako",
        4,
        ["en", "fr"],
    )


def test_rank_list_update_profile_refuses_an_impossible_year():
    mine = RankListFactory()

    with pytest.raises(Refused, match="less than or equal to 8") as refusal:
        services.rank_list_update_profile(
            rank_list=mine, home_school="X", year_of_study=12, languages=["en"]
        )

    assert (refusal.value.code, refusal.value.field) == ("invalid", "year_of_study")
