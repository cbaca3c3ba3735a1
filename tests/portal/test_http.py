"""Refusals become words on the page or a JSON error, in one place; guards answer 404."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from portal.errors import Refused
from portal.http import form_refused, permission_required, redirect_back, refusals
from tests.factories.accounts import StaffFactory, UserFactory


def _request(method="post", path="/somewhere/", **extra):
    request = getattr(RequestFactory(), method)(path, **extra)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refusing(**kwargs):
    @refusals(lambda pk: f"/things/{pk}/")
    def view(request, pk):
        raise Refused("The deadline has passed.", code="deadline_passed", **kwargs)

    return view


def test_a_refusal_becomes_a_message_and_a_redirect_to_the_fallback():
    request = _request()

    response = _refusing(details=["Your transcript is missing."])(request, pk=7)

    assert response.status_code == 302
    assert response["Location"] == "/things/7/"
    assert [str(m) for m in get_messages(request)] == [
        "The deadline has passed.",
        "Your transcript is missing.",
    ]


def test_a_refusal_goes_back_to_a_next_page_of_this_site_only():
    inside = _request(data={"next": "/dashboard/"})
    outside = _request(data={"next": "https://evil.example/"})

    assert _refusing()(inside, pk=1)["Location"] == "/dashboard/"
    assert _refusing()(outside, pk=1)["Location"] == "/things/1/"


def test_a_script_asking_for_json_gets_the_message_code_and_status():
    request = _request(HTTP_ACCEPT="application/json")

    response = _refusing(status=409)(request, pk=1)

    assert response.status_code == 409
    assert json.loads(response.content) == {
        "error": "The deadline has passed.",
        "code": "deadline_passed",
        "details": [],
    }


def test_a_view_that_does_not_refuse_is_untouched():
    @refusals("/elsewhere/")
    def view(request):
        return HttpResponse("fine")

    assert view(_request()).content == b"fine"


class _NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_on_a_form_lands_on_its_field_and_keeps_what_was_typed():
    form = _NameForm({"name": "Amina"})
    assert form.is_valid()

    form_refused(form, Refused("This name is taken.", code="taken", field="name"))
    form_refused(form, Refused("Not now.", code="closed", field="no_such_field"))

    assert form.errors == {"name": ["This name is taken."], "__all__": ["Not now."]}
    assert form.data["name"] == "Amina"


def test_redirect_back_takes_a_url_name():
    assert redirect_back(_request(), "dashboard")["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_permission_required_is_a_404_for_anyone_without_the_rule():
    @permission_required("portal.view_staff_dashboard")
    def view(request):
        return HttpResponse("staff only")

    request = _request("get")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(Http404, match=r"^$"):
        view(request)

    request.user = StaffFactory()
    assert view(request).content == b"staff only"


def test_a_refusal_keeps_its_parts():
    refusal = Refused("Not open.", code="call_not_open", details=["Opens on 1 May."])

    assert str(refusal) == "Not open."
    assert (refusal.code, refusal.field, refusal.details, refusal.status) == (
        "call_not_open",
        None,
        ["Opens on 1 May."],
        400,
    )
