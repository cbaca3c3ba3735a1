"""The second stage's time slots: added in the call's time zone, booked by the shortlisted in
their own, one applicant a slot and one slot an applicant (even from two tabs), changed until
24 hours before, and downloaded as a calendar file."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.models import InterviewSlot, Shortlisting
from applications.services import stages as services
from portal.errors import Refused
from tests.factories.accounts import StaffFactory
from tests.factories.applications import audit_actions, candidate, make_committee, with_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staged(db):
    """A Nairobi call (UTC+3) with an interview stage; Awa (in London) and Bilal shortlisted,
    Chen not."""
    committee = make_committee()
    committee.stage = with_stage(committee.call)
    committee.people = {
        "Awa": candidate(committee.call, "Awa", applicant__time_zone="Europe/London"),
        "Bilal": candidate(committee.call, "Bilal"),
        "Chen": candidate(committee.call, "Chen"),
    }
    services.shortlist_add(
        stage=committee.stage,
        actor=committee.chair,
        application_ids=[committee.people["Awa"].pk, committee.people["Bilal"].pk],
    )
    return committee


def shortlisting(committee, name):
    return Shortlisting.objects.select_related("stage__call").get(
        application=committee.people[name]
    )


def add_slots(committee, day, start="09:00", end="10:00", minutes=30):
    return services.slots_generate(
        stage=committee.stage,
        actor=committee.chair,
        day=day,
        start=time.fromisoformat(start),
        end=time.fromisoformat(end),
        minutes=minutes,
    )


def in_a_week() -> date:
    return (timezone.now() + timedelta(days=7)).date()


# --- Adding slots -------------------------------------------------------------------------


def test_slots_are_typed_in_the_calls_time_zone(client, staged, signed_in):
    signed_in(staged.chair, client)
    page = f"/applications/calls/{staged.call.pk}/stage/slots/"
    assert "In the call's time zone, Africa/Nairobi." in client.get(page).content.decode()

    response = client.post(
        page, {"day": "2030-03-04", "start": "09:00", "end": "10:15", "minutes": "30"}
    )

    assert response.status_code == 302
    assert list(InterviewSlot.objects.values_list("starts_at", "ends_at")) == [
        (datetime(2030, 3, 4, 6, 0, tzinfo=UTC), datetime(2030, 3, 4, 6, 30, tzinfo=UTC)),
        (datetime(2030, 3, 4, 6, 30, tzinfo=UTC), datetime(2030, 3, 4, 7, 0, tzinfo=UTC)),
    ]
    assert "stage.slots_added" in audit_actions(staged.call)


def test_adding_the_same_slots_again_adds_nothing(staged):
    add_slots(staged, date(2030, 3, 4))

    assert add_slots(staged, date(2030, 3, 4)) == 0
    assert InterviewSlot.objects.count() == 2


def test_slots_ending_before_they_start_are_shown_again_with_400(client, staged, signed_in):
    signed_in(staged.chair, client)

    response = client.post(
        f"/applications/calls/{staged.call.pk}/stage/slots/",
        {"day": "2030-03-04", "start": "10:00", "end": "09:00", "minutes": "30"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The end time must leave room for at least one slot after the start time." in html
    assert 'value="10:00"' in html
    assert not InterviewSlot.objects.exists()


def test_slots_page_queries_are_constant_at_1_and_3(client, staged, signed_in, count_queries):
    signed_in(StaffFactory(), client)
    page = f"/applications/calls/{staged.call.pk}/stage/slots/"
    add_slots(staged, in_a_week(), end="09:30")
    one = count_queries(client, page)
    add_slots(staged, in_a_week(), start="09:30", end="10:30")
    services.slot_book(
        shortlisting=shortlisting(staged, "Awa"), slot_id=InterviewSlot.objects.last().pk
    )

    assert count_queries(client, page) == one


def test_a_booked_slot_cannot_be_removed(staged):
    add_slots(staged, in_a_week(), end="09:30")
    slot = InterviewSlot.objects.get()
    services.slot_book(shortlisting=shortlisting(staged, "Awa"), slot_id=slot.pk)

    with pytest.raises(Refused, match="This slot is booked") as refusal:
        services.slot_delete(slot=slot, actor=staged.chair)

    assert refusal.value.code == "slot_booked"


# --- Booking ------------------------------------------------------------------------------


def booking_url(committee, name, suffix=""):
    return f"/applications/{committee.people[name].pk}/interview/{suffix}"


def test_applicant_sees_times_in_their_zone_and_the_calls(client, staged, signed_in):
    add_slots(staged, date(2030, 3, 4), end="09:30")  # 06:00 UTC: 06:00 in London
    signed_in(staged.people["Awa"].applicant, client)

    html = client.get(booking_url(staged, "Awa")).content.decode()

    assert "Free times, in your time zone (Europe/London)" in html
    assert "4 March 2030, 06:00" in html
    assert "(4 Mar 2030, 09:00 in Africa/Nairobi)" in html


def test_applicant_books_changes_and_downloads_the_time(client, staged, signed_in):
    add_slots(staged, in_a_week())
    first, second = InterviewSlot.objects.all()
    signed_in(staged.people["Awa"].applicant, client)

    assert client.post(booking_url(staged, "Awa"), {"slot": first.pk}).status_code == 302
    assert client.post(booking_url(staged, "Awa"), {"slot": first.pk}).status_code == 302
    assert client.post(booking_url(staged, "Awa"), {"slot": second.pk}).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booked_by, second.booked_by) == (None, staged.people["Awa"])
    ics = client.get(booking_url(staged, "Awa", "booking.ics"))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    text = ics.content.decode()
    assert f"DTSTART:{second.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n" in text
    assert "SUMMARY:Interview: " in text
    assert "LOCATION:Video call\r\n" in text


def test_a_slot_taken_meanwhile_is_refused_and_the_old_booking_kept(client, staged, signed_in):
    add_slots(staged, in_a_week())
    first, second = InterviewSlot.objects.all()
    services.slot_book(shortlisting=shortlisting(staged, "Bilal"), slot_id=second.pk)
    services.slot_book(shortlisting=shortlisting(staged, "Awa"), slot_id=first.pk)
    signed_in(staged.people["Awa"].applicant, client)

    response = client.post(booking_url(staged, "Awa"), {"slot": second.pk})

    assert response.status_code == 400
    assert "This time has just been taken; choose another." in response.content.decode()
    first.refresh_from_db()
    assert first.booked_by == staged.people["Awa"]


def test_the_service_refuses_a_taken_slot(staged):
    add_slots(staged, in_a_week(), end="09:30")
    slot = InterviewSlot.objects.get()
    services.slot_book(shortlisting=shortlisting(staged, "Bilal"), slot_id=slot.pk)

    with pytest.raises(
        Refused, match=r"This time has just been taken; choose another\."
    ) as refusal:
        services.slot_book(shortlisting=shortlisting(staged, "Awa"), slot_id=slot.pk)

    assert (refusal.value.code, refusal.value.status) == ("slot_taken", 409)


def test_the_database_keeps_an_application_to_one_slot(staged):
    add_slots(staged, in_a_week())
    first, second = InterviewSlot.objects.all()
    awa = staged.people["Awa"]
    InterviewSlot.objects.filter(pk=first.pk).update(booked_by=awa)

    with pytest.raises(IntegrityError, match=r"(?i)unique"), transaction.atomic():
        InterviewSlot.objects.filter(pk=second.pk).update(booked_by=awa)


def test_a_booking_less_than_24_hours_away_cannot_change(staged):
    add_slots(staged, date(2030, 3, 4))
    first, second = InterviewSlot.objects.all()
    mine = shortlisting(staged, "Awa")
    services.slot_book(shortlisting=mine, slot_id=first.pk, now=datetime(2030, 3, 1, tzinfo=UTC))
    late = datetime(2030, 3, 3, 7, 0, tzinfo=UTC)  # 23 hours before

    with pytest.raises(Refused, match="less than 24 hours away") as refusal:
        services.slot_book(shortlisting=mine, slot_id=second.pk, now=late)
    assert refusal.value.code == "too_late"
    with pytest.raises(Refused, match="less than 24 hours away"):
        services.slot_cancel(shortlisting=mine, now=late)


def test_a_slot_less_than_24_hours_away_cannot_be_booked(staged):
    add_slots(staged, date(2030, 3, 4), end="09:30")

    with pytest.raises(Refused, match="This time is less than 24 hours away") as refusal:
        services.slot_book(
            shortlisting=shortlisting(staged, "Awa"),
            slot_id=InterviewSlot.objects.get().pk,
            now=datetime(2030, 3, 3, 12, 0, tzinfo=UTC),
        )

    assert refusal.value.code == "too_soon"


def test_applicant_gives_up_the_time(client, staged, signed_in):
    add_slots(staged, in_a_week(), end="09:30")
    slot = InterviewSlot.objects.get()
    services.slot_book(shortlisting=shortlisting(staged, "Awa"), slot_id=slot.pk)
    signed_in(staged.people["Awa"].applicant, client)

    assert client.post(booking_url(staged, "Awa"), {"cancel": "1"}).status_code == 302
    assert client.post(booking_url(staged, "Awa"), {"cancel": "1"}).status_code == 302

    slot.refresh_from_db()
    assert slot.booked_by is None
    assert client.get(booking_url(staged, "Awa", "booking.ics")).status_code == 404


def test_booking_without_choosing_is_shown_again_with_400(client, staged, signed_in):
    add_slots(staged, in_a_week(), end="09:30")
    signed_in(staged.people["Awa"].applicant, client)

    response = client.post(booking_url(staged, "Awa"), {})

    assert response.status_code == 400
    assert "Choose one of the times offered." in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "booking.ics"])
def test_booking_pages_are_the_shortlisted_applicants_own(client, staged, signed_in, suffix):
    add_slots(staged, in_a_week(), end="09:30")
    services.slot_book(
        shortlisting=shortlisting(staged, "Awa"), slot_id=InterviewSlot.objects.get().pk
    )
    assert client.get(booking_url(staged, "Awa", suffix)).status_code == 302  # to sign in
    signed_in(staged.people["Bilal"].applicant, client)
    assert client.get(booking_url(staged, "Awa", suffix)).status_code == 404
    signed_in(staged.chair, client)
    assert client.get(booking_url(staged, "Awa", suffix)).status_code == 404
    signed_in(StaffFactory(), client)
    assert client.get(booking_url(staged, "Awa", suffix)).status_code == 404
    signed_in(staged.people["Chen"].applicant, client)  # not shortlisted
    assert client.get(booking_url(staged, "Chen", suffix)).status_code == 404
    signed_in(staged.people["Awa"].applicant, client)
    assert client.get(booking_url(staged, "Awa", suffix)).status_code == 200
