"""Staff and the call's chair see its applications by state, filter them and export CSV."""

import csv
import io

import pytest

from applications.enums import ApplicationState
from applications.models import Application
from applications.services.applications import application_start
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, signed_in):
    return signed_in(StaffFactory(totp=True), client)


def _applications(call, count, **profile):
    made = []
    for _ in range(count):
        application = application_start(call=call, applicant=UserFactory())
        Application.objects.filter(pk=application.pk).update(**profile)
        made.append(application)
    return made


def _url(call, query=""):
    return f"/applications/calls/{call.pk}/applications/{query}"


def test_list_counts_applications_by_state(staff, call):
    complete(_applications(call, 1)[0])
    _applications(call, 2)
    Application.objects.filter(pk=Application.objects.first().pk).update(
        state=ApplicationState.SUBMITTED
    )

    html = staff.get(_url(call)).content.decode()

    assert '<a href="?state=draft">Draft</a>: 2' in html
    assert '<a href="?state=submitted">Submitted</a>: 1' in html


def test_filters_by_state_country_school_year_and_missing_items(staff, call):
    kenya = _applications(
        call, 1, country="KE", institution="University of Nairobi", year_of_study=4
    )
    _applications(call, 1, country="SN", institution="UCAD", year_of_study=5)
    ready = complete(kenya[0])

    def names(query):
        page = staff.get(_url(call, query)).context["page_obj"]
        return [a.pk for a in page]

    assert names("?country=KE") == [ready.pk]
    assert names("?institution=nairobi") == [ready.pk]
    assert names("?year_of_study=5") != [ready.pk]
    assert names("?missing=no") == [ready.pk]
    assert len(names("?missing=yes")) == 1
    assert names("?state=submitted") == []


def test_csv_export_follows_the_filters(staff, call):
    _applications(call, 1, country="KE", institution="University of Nairobi", year_of_study=4)
    _applications(call, 1, country="SN", institution="UCAD", year_of_study=5)

    response = staff.get(_url(call, "?country=SN&format=csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-applications.csv"'
    assert rows[0][:4] == ["id", "applicant", "email", "state"]
    assert [row[5] for row in rows[1:]] == ["UCAD"]


def test_the_calls_chair_sees_the_list(client, call, signed_in):
    chair = CommitteeMembershipFactory(call=call, is_chair=True, user__totp=True).user
    signed_in(chair, client)

    assert client.get(_url(call)).status_code == 200


def test_a_reviewer_of_the_call_does_not(client, call, signed_in):
    reviewer = CommitteeMembershipFactory(call=call, user__totp=True).user
    signed_in(reviewer, client)

    assert client.get(_url(call)).status_code == 404


def test_list_queries_do_not_grow_with_applications(staff, call, count_queries):
    _applications(call, 1)
    one = count_queries(staff, _url(call))
    _applications(call, 2)

    assert count_queries(staff, _url(call)) == one


def test_csv_export_never_lets_a_typed_name_become_a_formula(staff, call):
    _applications(call, 1, institution='=HYPERLINK("http://evil.example")')

    response = staff.get(_url(call, "?format=csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][5] == '\'=HYPERLINK("http://evil.example")'
