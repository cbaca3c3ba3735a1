"""Every date of a call is typed and shown in the call's time zone and stored in UTC, across a
change of daylight-saving time, whatever the time zone of the staff member typing it."""

from datetime import UTC, datetime

import pytest
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from tests.factories.accounts import StaffFactory
from tests.factories.applications import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(signed_in):
    """Programme staff whose own admin time zone is Tokyo: the call's zone must win."""
    person = StaffFactory(totp=True)
    profile = UserProfile.get_for_user(person)
    profile.current_time_zone = "Asia/Tokyo"
    profile.save()
    return signed_in(person)


def _dates_url(call) -> str:
    return f"/admin/snippets/applications/call/edit/{call.pk}/dates/"


def _type_dates(staff, call, **typed):
    url = _dates_url(call)
    data = querydict_from_html(staff.get(url).content.decode(), form_id="w-editor-form")
    for name, value in typed.items():
        data[name] = value
    return staff.post(url, data)


def _london_call():
    return CallFactory(
        draft=True,
        time_zone="Europe/London",
        opens_at=datetime(2027, 1, 10, 9, 0, tzinfo=UTC),
        closes_at=datetime(2027, 2, 10, 12, 0, tzinfo=UTC),
    )


def test_a_deadline_typed_after_the_clocks_go_forward_is_stored_an_hour_earlier_in_utc(staff):
    call = _london_call()

    response = _type_dates(staff, call, closes_at="2027-03-28 12:00")

    call.refresh_from_db()
    assert response.status_code == 302
    assert call.closes_at == datetime(2027, 3, 28, 11, 0, tzinfo=UTC)


def test_a_deadline_typed_the_day_before_the_change_is_stored_as_typed(staff):
    call = _london_call()

    _type_dates(staff, call, closes_at="2027-03-27 12:00", review_deadline="2027-04-30 17:30")

    call.refresh_from_db()
    assert call.closes_at == datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    assert call.review_deadline == datetime(2027, 4, 30, 16, 30, tzinfo=UTC)


def test_dates_are_shown_back_as_they_were_typed_and_name_the_zone(staff):
    call = _london_call()
    _type_dates(staff, call, opens_at="2027-03-01 08:00", closes_at="2027-03-28 12:00")

    page = staff.get(_dates_url(call)).content.decode()

    assert 'value="2027-03-28 12:00"' in page and 'value="2027-03-01 08:00"' in page
    assert "In the call&#x27;s time zone, Europe/London." in page


def test_the_overview_shows_the_deadline_in_the_calls_zone(staff):
    call = CallFactory(
        draft=True, time_zone="Africa/Lagos", closes_at=datetime(2027, 6, 1, 11, 0, tzinfo=UTC)
    )

    page = staff.get(f"/admin/snippets/applications/call/edit/{call.pk}/").content.decode()

    assert "Dates in the call's time zone, Africa/Lagos." in page
    assert "12:00" in page and "11:00" not in page


def test_a_time_the_clocks_skip_is_refused_and_kept_as_typed(staff):
    call = _london_call()

    response = _type_dates(staff, call, closes_at="2027-03-28 01:30")

    call.refresh_from_db()
    assert response.status_code == 200
    assert "couldn\u2019t be interpreted in time zone Europe/London" in response.text
    assert 'value="2027-03-28 01:30"' in response.text
    assert call.closes_at == datetime(2027, 2, 10, 12, 0, tzinfo=UTC)


def test_a_deadline_before_the_opening_is_refused(staff):
    call = _london_call()

    response = _type_dates(staff, call, opens_at="2027-04-01 09:00", closes_at="2027-03-01 09:00")

    call.refresh_from_db()
    assert response.status_code == 200
    assert "A call must close after it opens." in response.text
    assert call.opens_at == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
