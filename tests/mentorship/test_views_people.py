"""Pages of mentors and mentees: landing page, mentor sign-up, asking for a mentor."""

import pytest

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.models import MenteeRequest, MentorProfile
from tests.factories.accounts import UserFactory
from tests.factories.mentorship import MenteeRequestFactory, MentorProfileFactory, MentorshipFactory

pytestmark = pytest.mark.django_db

MENTOR_FORM = {
    "full_name": "Dr Fatou Ndiaye",
    "specialties": ["cardiology", "pediatrics"],
    "languages": ["fr", "en"],
    "countries": ["SN", "FR"],
    "time_zone": "Europe/Paris",
    "capacity": "2",
    "availability": "Evenings",
    "bio": "Cardiologist.",
}
REQUEST_FORM = {
    "full_name": "Awa Sarr",
    "interests": ["cardiology"],
    "languages": ["fr"],
    "time_zone": "Africa/Dakar",
    "preferred_country": "SN",
    "goals": "Residency abroad.",
}


def test_index_invites_a_visitor_to_sign_in(client):
    html = client.get("/mentorship/").content.decode()

    assert 'href="/accounts/login/?next=/mentorship/my-mentor/request/"' in html
    assert 'href="/accounts/login/?next=/mentorship/mentoring/profile/"' in html


def test_index_in_arabic_is_right_to_left(client):
    response = client.get("/ar/mentorship/")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_index_links_a_signed_in_person_to_both_forms(client, signed_in):
    signed_in(UserFactory(), client)

    html = client.get("/fr/mentorship/").content.decode()

    assert 'href="/fr/mentorship/my-mentor/request/"' in html
    assert 'href="/fr/mentorship/mentoring/profile/"' in html


def test_mentor_sign_up_creates_a_pending_profile(client, signed_in):
    user = UserFactory()
    signed_in(user, client)

    response = client.post("/mentorship/mentoring/profile/", MENTOR_FORM)

    assert response.status_code == 302
    assert response["Location"] == "/mentorship/mentoring/"
    profile = MentorProfile.objects.get(user=user)
    assert (profile.status, profile.specialties, profile.countries) == (
        MentorStatus.PENDING,
        ["cardiology", "pediatrics"],
        ["SN", "FR"],
    )
    user.refresh_from_db()
    assert user.full_name == "Dr Fatou Ndiaye"
    html = client.get("/mentorship/mentoring/").content.decode()
    assert "Programme staff will review your profile" in html


def test_mentor_sign_up_refused_keeps_what_was_typed_and_marks_the_field(client, signed_in):
    signed_in(UserFactory(), client)

    response = client.post(
        "/mentorship/mentoring/profile/", {**MENTOR_FORM, "languages": [], "bio": "Lyon <3"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert MentorProfile.objects.count() == 0
    assert '<fieldset aria-describedby="id_languages_helptext id_languages_error">' in html
    assert (
        '<ul class="errorlist" id="id_languages_error"><li>This field is required.</li></ul>'
        in (html)
    )
    assert ">\nLyon &lt;3</textarea>" in html
    assert 'value="cardiology" id="id_specialties_1" checked' in html


def test_mentor_profile_edit_keeps_a_language_outside_the_shared_list(client, signed_in):
    profile = MentorProfileFactory(languages=["en", "yo"])
    signed_in(profile.user, client)

    html = client.get("/mentorship/mentoring/profile/").content.decode()
    client.post("/mentorship/mentoring/profile/", {**MENTOR_FORM, "languages": ["en", "yo"]})

    assert 'value="yo"' in html
    profile.refresh_from_db()
    assert profile.languages == ["en", "yo"]


def test_time_zone_guess_only_on_a_first_sign_up(client, signed_in):
    user = UserFactory()
    signed_in(user, client)

    first = client.get("/mentorship/mentoring/profile/").content.decode()
    MentorProfileFactory(user=user)
    edit = client.get("/mentorship/mentoring/profile/").content.decode()

    assert "data-guess-time-zone" in first
    assert "data-guess-time-zone" not in edit


def test_mentee_dashboard_without_a_request_leads_to_the_form(client, signed_in):
    signed_in(UserFactory(), client)

    response = client.get("/mentorship/my-mentor/")

    assert (response.status_code, response["Location"]) == (302, "/mentorship/my-mentor/request/")


def test_asking_for_a_mentor_creates_a_waiting_request(client, signed_in):
    user = UserFactory()
    signed_in(user, client)

    response = client.post("/mentorship/my-mentor/request/", REQUEST_FORM)

    assert response["Location"] == "/mentorship/my-mentor/"
    request = MenteeRequest.objects.get(user=user)
    assert (request.status, request.languages, request.goals) == (
        RequestStatus.OPEN,
        ["fr"],
        "Residency abroad.",
    )
    html = client.get("/mentorship/my-mentor/").content.decode()
    assert "You are on the list for the next match round." in html


def test_the_request_form_refuses_no_goals_and_keeps_the_rest(client, signed_in):
    signed_in(UserFactory(), client)

    response = client.post("/mentorship/my-mentor/request/", {**REQUEST_FORM, "goals": ""})

    html = response.content.decode()
    assert MenteeRequest.objects.count() == 0
    assert 'aria-invalid="true" aria-describedby="id_goals_helptext id_goals_error"' in html
    assert '<option value="SN" selected>Senegal</option>' in html


def test_a_waiting_request_can_change(client, signed_in):
    request = MenteeRequestFactory()
    signed_in(request.user, client)

    client.post("/mentorship/my-mentor/request/", {**REQUEST_FORM, "languages": ["fr", "ar"]})

    request.refresh_from_db()
    assert request.languages == ["fr", "ar"]
    assert MenteeRequest.objects.count() == 1


def test_a_matched_request_cannot_change(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentee, client)

    response = client.get("/mentorship/my-mentor/request/")

    assert response["Location"] == "/mentorship/my-mentor/"


def test_withdrawing_a_request(client, signed_in):
    request = MenteeRequestFactory()
    signed_in(request.user, client)

    response = client.post("/mentorship/my-mentor/request/withdraw/")

    request.refresh_from_db()
    assert (response.status_code, request.status) == (302, RequestStatus.WITHDRAWN)
    html = client.get("/mentorship/my-mentor/").content.decode()
    assert "Ask for a mentor again" in html


def test_withdrawing_needs_a_waiting_request(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentee, client)

    assert client.post("/mentorship/my-mentor/request/withdraw/").status_code == 404


def test_mentee_dashboard_shows_the_mentor_and_why(client, signed_in):
    mentorship = MentorshipFactory(mentor__user__full_name="Dr Fatou Ndiaye")
    signed_in(mentorship.mentee, client)

    html = client.get("/mentorship/my-mentor/").content.decode()

    assert '<h2 id="current-title"><bdi>Dr Fatou Ndiaye</bdi></h2>' in html
    assert "<li>both speak French</li><li>Cardiology in common</li>" in html


def test_a_student_with_a_request_gets_a_my_mentor_tab(client, signed_in):
    request = MenteeRequestFactory()
    signed_in(request.user, client)

    html = client.get("/mentorship/my-mentor/").content.decode()

    assert '<a href="/mentorship/my-mentor/" aria-current="page">My mentor</a>' in html
    assert client.get("/dashboard/")["Location"] == "/applications/"


def test_mentor_dashboard_query_count_is_constant(client, count_queries, signed_in):
    profile = MentorProfileFactory(status=MentorStatus.APPROVED, capacity=5)
    MentorshipFactory(mentor=profile)
    signed_in(profile.user, client)
    one = count_queries(client, "/mentorship/mentoring/")
    MentorshipFactory.create_batch(2, mentor=profile)

    assert count_queries(client, "/mentorship/mentoring/") == one


def test_mentee_dashboard_query_count_is_constant(client, count_queries, signed_in):
    first = MentorshipFactory(status="ended")
    signed_in(first.mentee, client)
    one = count_queries(client, "/mentorship/my-mentor/")
    MentorshipFactory.create_batch(2, request=first.request, mentee=first.mentee, status="ended")

    assert count_queries(client, "/mentorship/my-mentor/") == one
