"""A coordinator's pages: posting rotations (a form that refuses politely), ranking students."""

from datetime import date

import pytest
from django.urls import reverse

from exchanges.enums import RotationStatus
from exchanges.models import Rotation, SchoolRankEntry
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    ranked,
    school_order,
)

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = {
        "cycle": "",
        "title": "Tropical medicine",
        "specialty": "infectious_disease",
        "department": "Department of Medicine",
        "city": "Kampala",
        "country": "UG",
        "language": "en",
        "start_date": "2027-03-01",
        "end_date": "2027-03-28",
        "capacity": "0",
        "requirements": "Final-year students.",
        "required_documents": ["immunisation_record", "proof_of_insurance"],
        "fee_amount": "",
        "fee_currency": "usd",
        "fee_waiver": "",
        "deadline": "",
        "action": "draft",
    }
    data.update(changes)
    return data


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


def test_rotation_create_as_draft_with_zero_capacity(coordinator, signed_in):
    client = signed_in(coordinator.user)

    response = client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]), _form()
    )

    rotation = Rotation.objects.get()
    assert response.status_code == 302
    assert (rotation.status, rotation.capacity, rotation.fee_currency) == ("draft", 0, "USD")
    assert rotation.institution == coordinator.institution
    assert rotation.required_documents == ["immunisation_record", "proof_of_insurance"]


def test_rotation_create_and_publish_with_a_deadline_in_the_cycles_time_zone(
    coordinator, signed_in
):
    cycle = CycleFactory(time_zone="Africa/Nairobi")
    client = signed_in(coordinator.user)

    client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]),
        _form(cycle=cycle.pk, action="publish", deadline="2027-01-15T17:00"),
    )

    rotation = Rotation.objects.get()
    assert rotation.status == RotationStatus.PUBLISHED
    assert rotation.deadline.isoformat() == "2027-01-15T14:00:00+00:00"
    edit = client.get(reverse("exchanges:rotation_edit", args=[rotation.pk])).content.decode()
    assert 'value="2027-01-15T17:00"' in edit


def test_rotation_ending_before_it_starts_is_refused_with_a_message_and_kept_as_typed(
    coordinator, signed_in
):
    client = signed_in(coordinator.user)

    response = client.post(
        reverse("exchanges:rotation_create", args=[coordinator.institution_id]),
        _form(start_date="2027-03-28", end_date="2027-03-01", title="Kept as typed"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not Rotation.objects.exists()
    assert "The rotation ends (2027-03-01) before it starts (2027-03-28). Check both dates." in html
    assert html.count("before it starts") == 1
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_end_date_error"' in html
    assert 'value="Kept as typed"' in html
    assert 'value="2027-03-01"' in html
    assert '<label for="id_title">' in html


def test_rotation_overlapping_dates_are_allowed(coordinator, signed_in):
    client = signed_in(coordinator.user)
    url = reverse("exchanges:rotation_create", args=[coordinator.institution_id])

    client.post(url, _form(title="First"))
    client.post(url, _form(title="Second", start_date="2027-03-10", end_date="2027-04-10"))

    assert Rotation.objects.count() == 2


def test_rotation_edit_close_and_publish_again(coordinator, signed_in):
    rotation = CycleRotationFactory(institution=coordinator.institution)
    client = signed_in(coordinator.user)
    status_url = reverse("exchanges:rotation_status", args=[rotation.pk])

    client.post(
        reverse("exchanges:rotation_edit", args=[rotation.pk]),
        _form(
            title="Renamed",
            action="save",
            start_date=date(2027, 5, 1).isoformat(),
            end_date="2027-05-28",
        ),
    )
    rotation.refresh_from_db()
    assert (rotation.title, rotation.status) == ("Renamed", "published")

    client.post(status_url, {"action": "close"})
    rotation.refresh_from_db()
    assert rotation.status == "closed"

    client.post(status_url, {"action": "publish"})
    rotation.refresh_from_db()
    assert rotation.status == "published"


def test_dashboard_lists_rotations_with_students_to_review(coordinator, signed_in):
    rotation = CycleRotationFactory(institution=coordinator.institution, title="Cardiology ward")
    for _ in range(2):
        ranked(RankListFactory(cycle=rotation.cycle), [rotation])
    ranked(RankListFactory(cycle=rotation.cycle), [rotation], submitted=False)

    html = (
        signed_in(coordinator.user).get(reverse("exchanges:coordinator_dashboard")).content.decode()
    )

    assert "Cardiology ward" in html
    assert ">2 students</a>" in html
    assert "2 to review" in html


def test_ranking_with_buttons_then_submit(coordinator, signed_in):
    rotation = CycleRotationFactory(institution=coordinator.institution)
    a, b = (ranked(RankListFactory(cycle=rotation.cycle), [rotation]) for _ in range(2))
    client = signed_in(coordinator.user)

    for rank_list in (a, b):
        client.post(
            reverse("exchanges:applicant_decide", args=[rotation.pk, rank_list.pk]),
            {"acceptable": "1"},
        )
    response = client.post(
        reverse("exchanges:applicant_move", args=[rotation.pk, b.pk]), {"direction": "up"}
    )
    client.post(reverse("exchanges:ranking_submit", args=[rotation.pk]))

    assert (
        response["Location"]
        == f"/exchanges/coordinating/rotations/{rotation.pk}/students/#student-{b.pk}"
    )
    assert school_order(rotation) == [b.pk, a.pk]
    rotation.refresh_from_db()
    assert rotation.ranking_submitted_at is not None


def test_ranking_page_has_buttons_without_javascript_and_a_drag_target(coordinator, signed_in):
    rotation = CycleRotationFactory(institution=coordinator.institution)
    a, b = (ranked(RankListFactory(cycle=rotation.cycle), [rotation]) for _ in range(2))
    for position, rank_list in enumerate((a, b), start=1):
        SchoolRankEntry.objects.create(rotation=rotation, rank_list=rank_list, position=position)

    html = (
        signed_in(coordinator.user)
        .get(reverse("exchanges:rotation_applicants", args=[rotation.pk]))
        .content.decode()
    )

    assert (
        f'data-sortable="/exchanges/coordinating/rotations/{rotation.pk}/students/order/"' in html
    )
    assert f'aria-label="Move {b.student} up"' in html
    assert f'aria-label="Move {a.student} down"' in html
    assert f'aria-label="Move {a.student} up"' not in html


def test_ranking_refused_submission_shows_the_reason(coordinator, signed_in):
    rotation = CycleRotationFactory(institution=coordinator.institution)
    ranked(RankListFactory(cycle=rotation.cycle), [rotation])
    client = signed_in(coordinator.user)

    response = client.post(reverse("exchanges:ranking_submit", args=[rotation.pk]), follow=True)

    assert "1 still to review" in response.content.decode()
