"""Every state-changing POST of the exchanges sent twice (a double click, a retry): one effect,
and the second answer is the first one's, never an error."""

import pytest
from django.urls import reverse

from exchanges import services
from exchanges.enums import PlacementStatus
from exchanges.models import ClaimStatus, Placement, SeatClaim
from portal.errors import Refused
from tests.factories.exchanges import (
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    ranked,
    second_round_for,
    with_documents,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"answer": "confirm"}, PlacementStatus.CONFIRMED),
        ({"answer": "decline", "understood": "on"}, PlacementStatus.DECLINED),
    ],
)
def test_answering_a_placement_twice_answers_once(
    published, signed_in, mailoutbox, django_capture_on_commit_callbacks, data, status
):
    cycle, _north, _south, _top, placed, _unplaced = published
    placement = Placement.objects.get(rank_list=placed)
    client = signed_in(placed.student)
    url = reverse("exchanges:placement_answer", args=[placement.pk])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        placement.refresh_from_db()
        answered_at = placement.responded_at
        second = client.post(url, data)

    placement.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/exchanges/cycles/{cycle.pk}/placement/"
    assert (placement.status, placement.responded_at) == (status, answered_at)
    assert len(mailoutbox) == 1  # the school's coordinator, once


def test_a_placement_answered_one_way_cannot_be_answered_the_other(published):
    _cycle, _north, _south, _top, placed, _unplaced = published
    placement = Placement.objects.get(rank_list=placed)
    services.placement_answer(placement=placement, accept=True)

    with pytest.raises(Refused, match="You have already answered") as refusal:
        services.placement_answer(placement=placement, accept=False)

    assert refusal.value.code == "already_answered"


def test_claiming_a_seat_twice_makes_one_claim(
    published, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, _north, south, _top, placed, unplaced = published
    services.placement_answer(placement=Placement.objects.get(rank_list=placed), accept=False)
    second_round_for(cycle, state="published")
    south.institution.accepts_first_come = True
    south.institution.save()
    client = signed_in(unplaced.student)
    url = reverse("exchanges:seat_claim", args=[cycle.pk, south.pk])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Your claim for South is sent to the school." in second.content.decode()
    (claim,) = SeatClaim.objects.filter(rank_list=unplaced)
    assert (claim.rotation, claim.status) == (south, ClaimStatus.PENDING)
    assert not Placement.objects.filter(rank_list=unplaced).exists()
    assert [m.to for m in mailoutbox] == [[south.institution.coordinators.get().email]]


def test_submitting_a_rank_list_twice_keeps_the_first_submission(signed_in):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    mine = ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)
    with_documents(mine)
    client = signed_in(mine.student)
    url = reverse("exchanges:rank_list_submit", args=[cycle.pk])

    first = client.post(url, {"action": "submit"})
    mine.refresh_from_db()
    submitted_at = mine.submitted_at
    second = client.post(url, {"action": "submit"}, follow=True)

    mine.refresh_from_db()
    assert first.status_code == 302
    assert "Your list is submitted." in second.content.decode()
    assert submitted_at is not None
    assert mine.submitted_at == submitted_at
