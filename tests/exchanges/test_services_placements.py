"""After publication: answers by the date, school confirmation and letters. (First-come claims
of free seats, which the school confirms, are tested in test_first_come.py.)"""

from datetime import timedelta

import pytest

from exchanges import services
from exchanges.enums import PlacementStatus
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
