"""Fixtures of the exchange tests: a small world with two schools, two students, a reviewer
and programme staff, to ask every role about every page."""

from dataclasses import dataclass

import pytest

from exchanges import services
from exchanges.models import StudentDocument
from tests.factories.accounts import StaffFactory
from tests.factories.applications import CommitteeMembershipFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
    with_documents,
)


@dataclass
class World:
    cycle: object
    north: object  # a rotation of school A
    south: object  # a rotation of school B
    coordinator_a: object
    coordinator_b: object
    student: object  # ranks north, with documents
    other_student: object  # ranks south only
    reviewer: object
    staff: object
    student_list: object
    other_list: object
    document: StudentDocument


@pytest.fixture
def world(db) -> World:
    cycle = CycleFactory()
    north = CycleRotationFactory(cycle=cycle, title="North rotation", capacity=1)
    south = CycleRotationFactory(cycle=cycle, title="South rotation", capacity=1)
    coordinator_a = CoordinatorFactory(institution=north.institution).user
    coordinator_b = CoordinatorFactory(institution=south.institution).user
    student_list = with_documents(ranked(RankListFactory(cycle=cycle), [north]))
    other_list = with_documents(ranked(RankListFactory(cycle=cycle), [south]))
    school_ranks(north, [student_list])
    school_ranks(south, [other_list])
    return World(
        cycle=cycle,
        north=north,
        south=south,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        student=student_list.student,
        other_student=other_list.student,
        reviewer=CommitteeMembershipFactory(user__totp=True).user,
        staff=StaffFactory(totp=True),
        student_list=student_list,
        other_list=other_list,
        document=student_list.documents.get(kind="immunisation_record"),
    )


@pytest.fixture
def published(db):
    """North and South, one seat each, each with a coordinator (emailed of every answer); the
    match placed `top` at North and `placed` at South; `unplaced` ranked North only and waits.
    Returns (cycle, north, south, top, placed, unplaced)."""
    cycle = CycleFactory()
    north = CycleRotationFactory(cycle=cycle, capacity=1, title="North")
    south = CycleRotationFactory(cycle=cycle, capacity=1, title="South")
    for rotation in (north, south):
        CoordinatorFactory(institution=rotation.institution)
    top = ranked(RankListFactory(cycle=cycle), [north, south])
    placed = ranked(RankListFactory(cycle=cycle), [north, south])
    unplaced = ranked(RankListFactory(cycle=cycle), [north])
    school_ranks(north, [top, placed, unplaced])
    school_ranks(south, [top, placed])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    return cycle, north, south, top, placed, unplaced
