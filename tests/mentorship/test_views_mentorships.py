"""The page of one mentorship: goals, check-ins and ending it, from each side."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.enums import MentorshipStatus, RequestStatus
from mentorship.models import CheckIn
from tests.factories.mentorship import CheckInFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def test_detail_shows_both_people_and_the_reasons(client, signed_in):
    mentorship = MentorshipFactory(
        mentor__user__full_name="Dr Fatou Ndiaye", request__user__full_name="Awa Sarr"
    )
    signed_in(mentorship.mentee, client)

    html = client.get(f"/mentorship/{mentorship.pk}/").content.decode()

    assert "<h1><bdi>Dr Fatou Ndiaye</bdi> and <bdi>Awa Sarr</bdi></h1>" in html
    assert '<span class="score-value">75</span>' in html
    assert f'<a href="mailto:{mentorship.mentor.user.email}">' in html
    assert "now in Europe/Paris" in html and "now in Africa/Dakar" in html


def test_the_mentee_logs_a_check_in(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentee, client)
    today = timezone.now().date()

    response = client.post(
        f"/mentorship/{mentorship.pk}/check-ins/",
        {"held_on": today.isoformat(), "notes": "First call.", "next_step": "Send a CV."},
    )

    assert response["Location"] == f"/mentorship/{mentorship.pk}/"
    check_in = CheckIn.objects.get()
    assert (check_in.author, check_in.held_on, check_in.notes) == (
        mentorship.mentee,
        today,
        "First call.",
    )


def test_a_check_in_in_the_future_is_refused_and_the_notes_are_kept(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentor.user, client)
    later = timezone.now().date() + timedelta(days=5)

    response = client.post(
        f"/mentorship/{mentorship.pk}/check-ins/",
        {"held_on": later.isoformat(), "notes": "Planned call", "next_step": ""},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert CheckIn.objects.count() == 0
    assert (
        '<ul class="errorlist" id="id_held_on_error"><li>A check-in cannot be in the future.'
        in (html)
    )
    assert ">\nPlanned call</textarea>" in html
    assert "<details open>" in html


def test_either_side_changes_the_goals(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentor.user, client)

    client.post(f"/mentorship/{mentorship.pk}/goals/", {"goals": "Apply by March."})

    mentorship.refresh_from_db()
    assert mentorship.goals == "Apply by March."


def test_the_mentor_ends_without_choosing_for_the_mentee(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentor.user, client)

    form = client.get(f"/mentorship/{mentorship.pk}/end/").content.decode()
    response = client.post(
        f"/mentorship/{mentorship.pk}/end/", {"reason": "no_time", "note": "New post."}
    )

    assert "find_new_mentor" not in form
    assert response["Location"] == "/mentorship/mentoring/"
    mentorship.refresh_from_db()
    mentorship.request.refresh_from_db()
    assert (mentorship.status, mentorship.end_note) == (MentorshipStatus.ENDED, "New post.")
    assert mentorship.request.status == RequestStatus.OPEN


def test_the_mentee_ends_and_asks_for_a_new_mentor(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentee, client)

    form = client.get(f"/mentorship/{mentorship.pk}/end/").content.decode()
    client.post(
        f"/mentorship/{mentorship.pk}/end/", {"reason": "not_a_fit", "find_new_mentor": "on"}
    )

    assert "I would like a new mentor" in form
    mentorship.request.refresh_from_db()
    assert mentorship.request.status == RequestStatus.OPEN
    html = client.get("/mentorship/my-mentor/").content.decode()
    assert "Your previous mentorship has ended." in html


def test_ending_needs_a_reason(client, signed_in):
    mentorship = MentorshipFactory()
    signed_in(mentorship.mentee, client)

    response = client.post(f"/mentorship/{mentorship.pk}/end/", {"reason": ""})

    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_an_ended_mentorship_is_read_only(client, signed_in):
    mentorship = MentorshipFactory(
        status=MentorshipStatus.ENDED, end_reason="goals_met", ended_at=timezone.now()
    )
    signed_in(mentorship.mentee, client)

    html = client.get(f"/mentorship/{mentorship.pk}/").content.decode()
    response = client.post(
        f"/mentorship/{mentorship.pk}/check-ins/",
        {"held_on": timezone.now().date().isoformat(), "notes": "x"},
    )

    assert "Log a check-in" not in html and "End this mentorship" not in html
    assert "We reached our goals" in html
    assert response.status_code == 404


def test_check_ins_paginate_with_a_constant_query_count(client, count_queries, signed_in):
    mentorship = MentorshipFactory()
    CheckInFactory(mentorship=mentorship)
    signed_in(mentorship.mentee, client)
    url = f"/mentorship/{mentorship.pk}/"
    one = count_queries(client, url)
    CheckInFactory.create_batch(2, mentorship=mentorship, author=mentorship.mentor.user)

    assert count_queries(client, url) == one
    html = client.get(url).content.decode()
    assert html.count('<p class="pre-line" dir="auto">Talked about') == 3
