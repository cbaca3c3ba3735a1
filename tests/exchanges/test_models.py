"""Cycles know their phase from their dates; rotations and cycles refuse impossible dates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from exchanges.enums import CyclePhase
from tests.factories.exchanges import CycleFactory, CycleRotationFactory

pytestmark = pytest.mark.django_db


def test_cycle_phase_follows_its_dates():
    cycle = CycleFactory.build()
    day = timedelta(days=1)

    assert [
        cycle.phase(moment)
        for moment in (
            cycle.opens_at - day,
            cycle.opens_at,
            cycle.students_close_at,
            cycle.schools_close_at,
        )
    ] == [
        CyclePhase.UPCOMING,
        CyclePhase.STUDENTS_RANKING,
        CyclePhase.SCHOOLS_RANKING,
        CyclePhase.MATCHING,
    ]


def test_cycle_phase_after_publication_and_after_the_post_match_round():
    cycle = CycleFactory.build(post_match_closes_at=timezone.now() + timedelta(days=60))
    cycle.published_run_id = 1  # any published run

    assert cycle.phase() == CyclePhase.PUBLISHED
    assert cycle.phase(cycle.post_match_closes_at) == CyclePhase.CLOSED


def test_cycle_refuses_deadlines_out_of_order():
    cycle = CycleFactory.build()
    cycle.schools_close_at = cycle.students_close_at - timedelta(hours=1)
    cycle.respond_by = cycle.schools_close_at

    with pytest.raises(ValidationError, match="Schools rank students after") as error:
        cycle.full_clean()

    assert error.value.message_dict == {
        "schools_close_at": ["Schools rank students after students have ranked."],
        "respond_by": ["Students answer after the match, so after schools rank."],
    }


def test_rotation_ending_before_it_starts_is_refused_by_the_model_and_the_database():
    rotation = CycleRotationFactory.build(start_date=date(2027, 3, 10), end_date=date(2027, 3, 1))

    with pytest.raises(ValidationError, match="cannot end before it starts") as error:
        rotation.clean()
    assert error.value.message_dict == {"end_date": ["A rotation cannot end before it starts."]}

    with pytest.raises(IntegrityError, match="rotation_ends_after_it_starts"):
        CycleRotationFactory(start_date=date(2027, 3, 10), end_date=date(2027, 3, 1))


def test_rotation_of_one_day_and_zero_capacity_are_ordinary():
    rotation = CycleRotationFactory(
        start_date=date(2027, 3, 10), end_date=date(2027, 3, 10), capacity=0
    )

    rotation.full_clean()


def test_rotation_refuses_an_unknown_document_kind():
    rotation = CycleRotationFactory.build(required_documents=["tattoo_photo"])

    with pytest.raises(ValidationError, match="Unknown document kind") as error:
        rotation.clean()

    assert error.value.message_dict == {"required_documents": ["Unknown document kind."]}
