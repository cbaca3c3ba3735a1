"""A school orders the students who ranked its rotation, or marks them not acceptable."""

import pytest

from exchanges import services
from exchanges.enums import Direction
from exchanges.models import SchoolRankEntry
from portal.errors import Refused
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_order,
)

pytestmark = pytest.mark.django_db


def _applicants(rotation, n: int, *, submitted: bool = True):
    return [
        ranked(RankListFactory(cycle=rotation.cycle), [rotation], submitted=submitted)
        for _ in range(n)
    ]


def test_school_rank_decide_appends_and_refuses():
    rotation = CycleRotationFactory()
    a, b, c = _applicants(rotation, 3)

    services.school_rank_decide(rotation=rotation, rank_list_id=b.pk, acceptable=True)
    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=True)
    services.school_rank_decide(rotation=rotation, rank_list_id=c.pk, acceptable=False)

    assert school_order(rotation) == [b.pk, a.pk]
    assert SchoolRankEntry.objects.get(rotation=rotation, rank_list=c).position is None


def test_school_rank_decide_moves_a_ranked_student_to_not_acceptable_and_back():
    rotation = CycleRotationFactory()
    a, b, c = _applicants(rotation, 3)
    for rank_list in (a, b, c):
        services.school_rank_decide(rotation=rotation, rank_list_id=rank_list.pk, acceptable=True)

    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=False)
    assert school_order(rotation) == [b.pk, c.pk]

    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=True)
    assert school_order(rotation) == [b.pk, c.pk, a.pk]


def test_school_rank_decide_refuses_a_student_who_did_not_rank_the_rotation():
    rotation = CycleRotationFactory()
    elsewhere = ranked(
        RankListFactory(cycle=rotation.cycle), [CycleRotationFactory(cycle=rotation.cycle)]
    )
    draft = _applicants(rotation, 1, submitted=False)[0]

    for rank_list in (elsewhere, draft):
        with pytest.raises(Refused, match="has not ranked this rotation") as refusal:
            services.school_rank_decide(
                rotation=rotation, rank_list_id=rank_list.pk, acceptable=True
            )
        assert refusal.value.code == "not_an_applicant"


def test_school_rank_move_and_reorder():
    rotation = CycleRotationFactory()
    a, b, c = _applicants(rotation, 3)
    for rank_list in (a, b, c):
        services.school_rank_decide(rotation=rotation, rank_list_id=rank_list.pk, acceptable=True)

    services.school_rank_move(rotation=rotation, rank_list_id=c.pk, direction=Direction.UP)
    assert school_order(rotation) == [a.pk, c.pk, b.pk]

    services.school_rank_reorder(rotation=rotation, rank_list_ids=[b.pk, a.pk, c.pk])
    assert school_order(rotation) == [b.pk, a.pk, c.pk]


def test_school_rank_submit_refuses_while_students_wait_for_review():
    rotation = CycleRotationFactory()
    a, _b = _applicants(rotation, 2)
    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=True)

    with pytest.raises(Refused, match="before you submit") as refusal:
        services.school_rank_submit(rotation=rotation)

    assert refusal.value.code == "students_to_review"
    assert refusal.value.message == (
        "Rank each student or mark them not acceptable before you submit: 1 still to review."
    )


def test_school_rank_submit_when_everyone_is_decided():
    rotation = CycleRotationFactory()
    a, b = _applicants(rotation, 2)
    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=True)
    services.school_rank_decide(rotation=rotation, rank_list_id=b.pk, acceptable=False)

    services.school_rank_submit(rotation=rotation)

    rotation.refresh_from_db()
    assert rotation.ranking_submitted_at is not None


def test_school_rank_stays_open_after_the_students_deadline_and_closes_after_the_schools():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    (a,) = _applicants(rotation, 1)

    move_to(cycle, "schools_ranking")
    services.school_rank_decide(rotation=rotation, rank_list_id=a.pk, acceptable=True)

    move_to(cycle, "matching")
    with pytest.raises(Refused, match="has passed") as refusal:
        services.school_rank_submit(rotation=rotation)
    assert refusal.value.code == "deadline_passed"
    assert refusal.value.message == (
        f"The deadline for schools to rank students in {cycle.name} has passed."
    )


def test_school_rank_of_a_rotation_without_cycle_is_refused():
    rotation = CycleRotationFactory(cycle=None)

    with pytest.raises(Refused, match="not part of an exchange cycle") as refusal:
        services.school_rank_submit(rotation=rotation)
    assert refusal.value.code == "not_in_cycle"
