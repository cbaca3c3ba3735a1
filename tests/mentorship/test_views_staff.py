"""Programme staff's pages: approve mentors, pin or forbid, run and publish rounds, engagement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.enums import MentorStatus, PairRuleKind, RoundStatus
from mentorship.models import MatchingWeights, MatchRound, Mentorship, PairRule
from mentorship.services import rounds
from portal.models import Operation
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.mentorship import (
    ApprovedMentorFactory,
    CheckInFactory,
    MenteeRequestFactory,
    MentorProfileFactory,
    MentorshipFactory,
)

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/mentorship/staff/mentors/",
    "/mentorship/staff/mentees/",
    "/mentorship/staff/rounds/",
    "/mentorship/staff/mentorships/",
    "/mentorship/staff/weights/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_404_for_everyone_else(client, url, signed_in):
    signed_in(ApprovedMentorFactory().user, client)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_open_for_programme_staff(staff_client, url):
    assert staff_client.get(url).status_code == 200


def test_staff_objects_are_404_for_a_mentor(client, signed_in):
    mentor = ApprovedMentorFactory()
    request = MenteeRequestFactory()
    signed_in(mentor.user, client)

    assert client.get(f"/mentorship/staff/mentors/{mentor.pk}/").status_code == 404
    assert client.get(f"/mentorship/staff/mentees/{request.pk}/").status_code == 404
    response = client.post(f"/mentorship/staff/mentees/{request.pk}/pair/", {"mentor": mentor.pk})
    assert response.status_code == 404
    assert client.post("/mentorship/staff/rounds/").status_code == 404
    assert MatchRound.objects.count() == Mentorship.objects.count() == 0


def test_staff_approve_a_pending_mentor_from_the_list(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    mentor = MentorProfileFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/mentorship/staff/mentors/{mentor.pk}/status/",
            {"status": "approved", "return_to": "list", "listed": "pending"},
        )

    assert response["Location"] == "/mentorship/staff/mentors/?status=pending"
    mentor.refresh_from_db()
    assert mentor.status == MentorStatus.APPROVED
    assert mailoutbox[0].subject == "[Global Health Portal] You are now a mentor"


def test_staff_pause_a_mentor(staff_client):
    mentor = ApprovedMentorFactory()

    response = staff_client.post(
        f"/mentorship/staff/mentors/{mentor.pk}/status/", {"status": "paused"}
    )

    assert response["Location"] == f"/mentorship/staff/mentors/{mentor.pk}/"
    mentor.refresh_from_db()
    assert mentor.status == MentorStatus.PAUSED


def test_the_mentor_list_filters_by_status(staff_client):
    MentorProfileFactory(user__full_name="Dr Pending")
    ApprovedMentorFactory(user__full_name="Dr Approved")

    html = staff_client.get("/mentorship/staff/mentors/?status=pending").content.decode()

    assert "Dr Pending" in html and "Dr Approved" not in html


def test_request_detail_ranks_the_candidates_with_their_reasons(staff_client):
    request = MenteeRequestFactory(interests=["cardiology"])
    ApprovedMentorFactory(user__full_name="Dr Cardio", specialties=["cardiology"])
    ApprovedMentorFactory(user__full_name="Dr Surgery", specialties=["surgery"])
    ApprovedMentorFactory(user__full_name="Dr Arabic", languages=["ar"])

    html = staff_client.get(f"/mentorship/staff/mentees/{request.pk}/").content.decode()

    assert "2 approved mentors share a language with this mentee." in html
    assert html.index("Dr Cardio") < html.index("Dr Surgery")
    assert "Dr Arabic" not in html
    assert "<li>both speak French</li><li>Cardiology in common</li>" in html


def test_staff_pair_a_waiting_mentee_by_hand(staff_client):
    request = MenteeRequestFactory()
    mentor = ApprovedMentorFactory()

    response = staff_client.post(
        f"/mentorship/staff/mentees/{request.pk}/pair/", {"mentor": mentor.pk}
    )

    mentorship = Mentorship.objects.get()
    assert response["Location"] == f"/mentorship/{mentorship.pk}/"
    assert (mentorship.mentee, mentorship.mentor) == (request.user, mentor)


def test_staff_pair_by_hand_refused_shows_why(staff_client):
    request = MenteeRequestFactory(languages=["sw"])
    mentor = ApprovedMentorFactory()

    response = staff_client.post(
        f"/mentorship/staff/mentees/{request.pk}/pair/", {"mentor": mentor.pk}, follow=True
    )

    assert "They share no language." in response.content.decode()
    assert Mentorship.objects.count() == 0


def test_staff_pin_then_remove_the_pin(staff_client):
    request = MenteeRequestFactory()
    mentor = ApprovedMentorFactory()

    staff_client.post(
        f"/mentorship/staff/mentees/{request.pk}/rules/", {"mentor": mentor.pk, "kind": "pin"}
    )
    rule = PairRule.objects.get()
    response = staff_client.post(f"/mentorship/staff/rules/{rule.pk}/delete/")

    assert rule.kind == PairRuleKind.PIN
    assert response["Location"] == f"/mentorship/staff/mentees/{request.pk}/"
    assert PairRule.objects.count() == 0


def test_staff_run_adjust_and_publish_a_round(staff_client, started):
    request = MenteeRequestFactory(user__full_name="Awa")
    first = ApprovedMentorFactory(user__full_name="Dr First", specialties=["cardiology"])
    second = ApprovedMentorFactory(user__full_name="Dr Second", specialties=[])

    progress = started(staff_client, "/mentorship/staff/rounds/")
    match_round = MatchRound.objects.get()
    assert f'href="/mentorship/staff/rounds/{match_round.pk}/"' in progress.content.decode()
    proposal = match_round.proposals.get()
    assert proposal.mentor == first

    page = staff_client.get(f"/mentorship/staff/rounds/{match_round.pk}/proposals/{proposal.pk}/")
    staff_client.post(
        f"/mentorship/staff/rounds/{match_round.pk}/proposals/{proposal.pk}/",
        {"mentor": second.pk},
    )
    staff_client.post(f"/mentorship/staff/rounds/{match_round.pk}/publish/")

    assert 'name="mentor" value="' in page.content.decode()
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.PUBLISHED
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (request.user, second)


def test_staff_discard_a_preview(staff_client):
    MenteeRequestFactory()
    match_round = rounds.round_prepare(by=None)

    staff_client.post(f"/mentorship/staff/rounds/{match_round.pk}/discard/")

    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.DISCARDED
    page = f"/mentorship/staff/rounds/{match_round.pk}/proposals/{match_round.proposals.get().pk}/"
    assert staff_client.get(page).status_code == 404


def test_a_stale_preview_is_not_published_and_staff_are_told_why(staff_client):
    MenteeRequestFactory()
    mentor = ApprovedMentorFactory(user__full_name="Dr Gone")
    match_round = rounds.round_prepare(by=None)
    mentor.status = MentorStatus.PAUSED
    mentor.save()

    response = staff_client.post(f"/mentorship/staff/rounds/{match_round.pk}/publish/", follow=True)

    html = response.content.decode()
    assert "Things changed since this preview; prepare the round again." in html
    assert "Dr Gone is no longer approved." in html
    assert Mentorship.objects.count() == 0


def test_staff_change_the_weights(staff_client):
    response = staff_client.post(
        "/mentorship/staff/weights/",
        {"specialty": "5", "time_zone": "1", "country": "0", "context": "10"},
    )

    assert response["Location"] == "/mentorship/staff/rounds/"
    assert MatchingWeights.load().as_dict() == {
        "specialty": 5,
        "time_zone": 1,
        "country": 0,
        "context": 10,
    }


def test_the_weights_form_refuses_more_than_10(staff_client):
    response = staff_client.post(
        "/mentorship/staff/weights/",
        {"specialty": "11", "time_zone": "1", "country": "0", "context": "1"},
    )

    assert response.status_code == 200
    assert 'id="id_specialty_error"' in response.content.decode()
    assert MatchingWeights.load().specialty == 4


def test_engagement_lists_quiet_mentorships(staff_client):
    long_ago = timezone.now() - timedelta(days=60)
    MentorshipFactory(request__user__full_name="Quiet Student", started_at=long_ago)
    busy = MentorshipFactory(request__user__full_name="Busy Student", started_at=long_ago)
    CheckInFactory(mentorship=busy)
    CheckInFactory(mentorship=busy)
    MentorshipFactory(request__user__full_name="New Student")

    html = staff_client.get("/mentorship/staff/mentorships/?quiet=1").content.decode()
    everyone = staff_client.get("/mentorship/staff/mentorships/").content.decode()

    assert "Quiet Student" in html
    assert "Busy Student" not in html and "New Student" not in html
    assert everyone.index("Quiet Student") < everyone.index("Busy Student")


def test_waiting_mentees_whose_mentor_left_come_first(staff_client):
    MenteeRequestFactory(user__full_name="Waiting Long")
    MenteeRequestFactory(user__full_name="Mentor Left", needs_new_mentor_since=timezone.now())

    html = staff_client.get("/mentorship/staff/mentees/").content.decode()

    assert html.index("Mentor Left") < html.index("Waiting Long")
    assert "Needs a new mentor" in html


def test_the_staff_dashboard_links_to_the_mentoring_pages(staff_client):
    MentorProfileFactory()
    MenteeRequestFactory()

    html = staff_client.get("/dashboard/staff/").content.decode()

    assert (
        '<dt><a href="/mentorship/staff/mentors/?status=pending">Mentors awaiting approval</a>'
        "</dt><dd>1</dd>" in html
    )
    assert (
        '<dt><a href="/mentorship/staff/mentees/">Mentees waiting for a mentor</a></dt><dd>1</dd>'
        in html
    )


# --- A constant number of queries, at one and at three items ---------------------------------


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/mentorship/staff/mentors/", lambda: ApprovedMentorFactory()),
        ("/mentorship/staff/mentees/", lambda: MenteeRequestFactory()),
        ("/mentorship/staff/mentorships/", lambda: MentorshipFactory()),
        ("/mentorship/staff/rounds/", lambda: MatchRound.objects.create(algorithm="test")),
    ],
)
def test_staff_lists_keep_a_constant_query_count(staff_client, count_queries, url, make):
    make()
    one = count_queries(staff_client, url)
    make()
    make()

    assert count_queries(staff_client, url) == one


def test_round_detail_keeps_a_constant_query_count(staff_client, count_queries):
    ApprovedMentorFactory(capacity=5)
    MenteeRequestFactory()
    url = f"/mentorship/staff/rounds/{rounds.round_prepare(by=None).pk}/"
    one = count_queries(staff_client, url)
    MenteeRequestFactory.create_batch(2)
    url = f"/mentorship/staff/rounds/{rounds.round_prepare(by=None).pk}/"

    assert count_queries(staff_client, url) == one


def test_mentor_detail_keeps_a_constant_query_count(staff_client, count_queries):
    mentor = ApprovedMentorFactory(capacity=5)
    MentorshipFactory(mentor=mentor)
    url = f"/mentorship/staff/mentors/{mentor.pk}/"
    one = count_queries(staff_client, url)
    MentorshipFactory.create_batch(2, mentor=mentor)

    assert count_queries(staff_client, url) == one


def test_staff_pages_send_a_visitor_to_log_in_first(client):
    response = client.get("/mentorship/staff/rounds/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mentorship/staff/rounds/"


def test_a_signed_in_person_without_a_role_gets_404(client, signed_in):
    signed_in(UserFactory(), client)

    assert client.get("/mentorship/staff/mentees/").status_code == 404


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_a_superuser_outside_the_staff_group_gets_404_and_staff_get_200(url, signed_in):
    """The superuser flag serves Django's and Wagtail's admin only, not the mentoring pages."""
    superuser = signed_in(UserFactory(is_staff=True, is_superuser=True, totp=True))
    staff = signed_in(StaffFactory(totp=True))

    assert superuser.get(url).status_code == 404
    assert staff.get(url).status_code == 200


def test_a_round_is_prepared_in_the_worker_and_its_page_leads_to_the_preview(
    staff_client, worker, django_capture_on_commit_callbacks
):
    MenteeRequestFactory()
    ApprovedMentorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/mentorship/staff/rounds/")
    worker()

    operation = Operation.objects.get()
    page = staff_client.get(response["Location"]).content.decode()
    match_round = MatchRound.objects.get()
    assert (operation.status, operation.result) == ("succeeded", {"round_id": match_round.pk})
    assert "Preview ready. Check it, adjust it, then publish it." in page
    assert f'href="/mentorship/staff/rounds/{match_round.pk}/"' in page
