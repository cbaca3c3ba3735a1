"""Home-school endorsements through the pages: the student names their school and asks, the
school's coordinators (not one in conflict) or programme staff endorse or decline, and each
side reads where it stands."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from exchanges.models import Endorsement, EndorsementStatus
from exchanges.models.institutions import CoordinatorConflict
from exchanges.services.endorsements import endorsement_request
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    InstitutionFactory,
    RankListFactory,
    endorsed_by,
    move_to,
)

pytestmark = pytest.mark.django_db


@dataclass
class School:
    cycle: object
    home: object  # the student's home school, with a coordinator
    elsewhere: object  # another partner school, with its own coordinator
    coordinator: object
    other_coordinator: object
    student: object
    rank_list: object
    staff: object
    reviewer: object


@pytest.fixture
def school(db) -> School:
    cycle = CycleFactory()
    home = InstitutionFactory(name="Makerere University")
    elsewhere = InstitutionFactory(name="Aga Khan University")
    rank_list = RankListFactory(cycle=cycle, year_of_study=4, student__full_name="Bao Nguyen")
    return School(
        cycle=cycle,
        home=home,
        elsewhere=elsewhere,
        coordinator=CoordinatorFactory(institution=home, user__totp=True).user,
        other_coordinator=CoordinatorFactory(institution=elsewhere, user__totp=True).user,
        student=rank_list.student,
        rank_list=rank_list,
        staff=StaffFactory(totp=True),
        reviewer=CommitteeMembershipFactory(user__totp=True).user,
    )


def _asked(s: School) -> Endorsement:
    return endorsement_request(rank_list=s.rank_list, institution=s.home)


def _page(s: School) -> str:
    return reverse("exchanges:endorsement", args=[s.cycle.pk])


def _ask(s: School) -> str:
    return reverse("exchanges:endorsement_request", args=[s.cycle.pk])


REQUESTS = reverse("exchanges:endorsement_requests")


# The student's side.


def test_the_student_asks_their_school_and_its_coordinator_is_emailed(
    school, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(school.student)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_ask(school), {"institution": school.home.pk})

    endorsement = Endorsement.objects.get()
    assert response.status_code == 302
    assert response.url == _page(school)
    assert (endorsement.rank_list, endorsement.institution, endorsement.status) == (
        school.rank_list,
        school.home,
        EndorsementStatus.REQUESTED,
    )
    (message,) = mailoutbox
    assert message.to == [school.coordinator.email]
    assert message.subject.endswith("] Bao Nguyen asks your school to endorse them")
    assert "Year of study they state: 4" in message.body
    assert REQUESTS in message.body
    html = client.get(_page(school)).content.decode()
    assert "You asked <bdi>Makerere University</bdi> on" in html


def test_asking_twice_is_one_request_and_one_email(
    school, signed_in, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(school.student)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_ask(school), {"institution": school.home.pk})
        client.post(_ask(school), {"institution": school.home.pk})

    assert Endorsement.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_student_without_a_list_gets_one_when_asking(school, signed_in):
    newcomer = UserFactory()

    response = signed_in(newcomer).post(_ask(school), {"institution": school.home.pk})

    assert response.status_code == 302
    assert Endorsement.objects.get().rank_list.student == newcomer


@pytest.mark.parametrize("value", ["", "999999", "not-a-school"])
def test_a_school_not_among_the_partners_is_refused_on_the_form(school, signed_in, value):
    response = signed_in(school.student).post(_ask(school), {"institution": value})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Endorsement.objects.exists()


def test_asking_after_the_deadline_is_refused(school, signed_in):
    move_to(school.cycle, "schools_ranking")
    client = signed_in(school.student)

    response = client.post(_ask(school), {"institution": school.home.pk}, follow=True)

    assert "the students&#x27; ranking deadline has passed" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_asking_again_after_a_decline_starts_a_new_request(school, signed_in):
    endorsed_by(school.rank_list, school.home, status=EndorsementStatus.DECLINED)
    client = signed_in(school.student)
    declined = client.get(_page(school)).content.decode()

    client.post(_ask(school), {"institution": school.home.pk})

    endorsement = Endorsement.objects.get()
    assert "Not enrolled this year." in declined
    assert "Ask again" in declined
    assert (endorsement.status, endorsement.reason, endorsement.decided_at) == (
        EndorsementStatus.REQUESTED,
        "",
        None,
    )


def test_naming_another_school_resets_an_endorsement(school, signed_in):
    endorsed_by(school.rank_list, school.home)

    signed_in(school.student).post(_ask(school), {"institution": school.elsewhere.pk})

    endorsement = Endorsement.objects.get()
    assert (endorsement.institution, endorsement.status, endorsement.year_confirmed) == (
        school.elsewhere,
        EndorsementStatus.REQUESTED,
        None,
    )


def test_a_school_without_a_coordinator_is_said_plainly(school, signed_in, mailoutbox):
    alone = InstitutionFactory(name="Lonely Medical School")
    endorsement_request(rank_list=school.rank_list, institution=alone)

    html = signed_in(school.student).get(_page(school)).content.decode()

    assert "has no coordinator on the portal" in html
    assert "Programme staff can endorse you instead" in html
    assert mailoutbox == []


def test_the_rank_list_says_the_list_counts_once_the_school_endorses(school, signed_in):
    client = signed_in(school.student)
    url = reverse("exchanges:rank_list", args=[school.cycle.pk])
    before = client.get(url).content.decode()
    _asked(school)
    waiting = client.get(url).content.decode()
    Endorsement.objects.update(
        status=EndorsementStatus.ENDORSED, year_confirmed=4, good_standing=True
    )
    endorsed = client.get(url).content.decode()

    assert "Your list counts once your home school endorses you." in before
    assert "Your list counts once <bdi>Makerere University</bdi> endorses you." in waiting
    assert "<bdi>Makerere University</bdi> endorses you." in endorsed
    assert "Your list counts once" not in endorsed


def test_the_student_dashboard_links_to_the_endorsement(school, signed_in):
    html = signed_in(school.student).get(reverse("exchanges:student_dashboard")).content.decode()

    assert _page(school) in html


def test_the_student_pages_need_sign_in(school, client):
    for response in (client.get(_page(school)), client.post(_ask(school), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_closed_cycle_without_a_list_is_a_404(school, signed_in):
    move_to(school.cycle, "matching")

    assert signed_in(UserFactory()).get(_page(school)).status_code == 404


# The school's side.


@pytest.mark.parametrize(
    ("role", "status", "listed"),
    [
        ("coordinator", 200, True),
        ("staff", 200, True),
        ("other_coordinator", 200, False),
        ("student", 404, False),
        ("reviewer", 404, False),
    ],
)
def test_the_requests_page_by_role(school, signed_in, role, status, listed):
    _asked(school)

    response = signed_in(getattr(school, role)).get(REQUESTS)

    assert response.status_code == status
    assert ("Bao Nguyen" in response.content.decode()) is listed


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("staff", 200),
        ("other_coordinator", 404),
        ("student", 404),
        ("reviewer", 404),
    ],
)
def test_the_decision_page_by_role(school, signed_in, role, status):
    endorsement = _asked(school)
    url = reverse("exchanges:endorsement_decide", args=[endorsement.pk])

    assert signed_in(getattr(school, role)).get(url).status_code == status


def test_the_school_pages_need_sign_in(school, client):
    endorsement = _asked(school)
    for url in (REQUESTS, reverse("exchanges:endorsement_decide", args=[endorsement.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_superuser_outside_the_staff_group_sees_no_request(school, signed_in):
    endorsement = _asked(school)
    boss = UserFactory(is_superuser=True, is_staff=True, totp=True)
    client = signed_in(boss)

    assert client.get(REQUESTS).status_code == 404
    assert (
        client.get(reverse("exchanges:endorsement_decide", args=[endorsement.pk])).status_code
        == 404
    )


def test_a_conflicted_coordinator_neither_sees_nor_decides(school, signed_in):
    endorsement = _asked(school)
    CoordinatorConflict.objects.create(
        coordinator=school.coordinator, institution=school.home, student=school.student
    )
    client = signed_in(school.coordinator)
    endorse = reverse("exchanges:endorsement_endorse", args=[endorsement.pk])

    assert "Bao Nguyen" not in client.get(REQUESTS).content.decode()
    assert client.post(endorse, {"year_confirmed": 4, "good_standing": "on"}).status_code == 404
    endorsement.refresh_from_db()
    assert endorsement.status == EndorsementStatus.REQUESTED


def test_a_coordinator_does_not_endorse_their_own_list(school, signed_in):
    own = RankListFactory(cycle=school.cycle, student=school.coordinator)
    endorsement = endorsement_request(rank_list=own, institution=school.home)

    url = reverse("exchanges:endorsement_decide", args=[endorsement.pk])
    assert signed_in(school.coordinator).get(url).status_code == 404


def test_the_status_filter(school, signed_in):
    _asked(school)
    client = signed_in(school.coordinator)

    assert "Bao Nguyen" not in client.get(REQUESTS + "?status=endorsed").content.decode()
    assert "Bao Nguyen" in client.get(REQUESTS + "?status=all").content.decode()
    assert client.get(REQUESTS + "?status=nonsense").status_code == 404
    assert client.get(REQUESTS + "?cycle=x").status_code == 404


def test_the_coordinator_dashboard_links_to_the_requests(school, signed_in):
    html = signed_in(school.coordinator).get(reverse("exchanges:coordinator_dashboard"))

    assert REQUESTS in html.content.decode()


def test_the_requests_page_queries_stay_flat(school, signed_in, count_queries):
    client = signed_in(school.coordinator)

    def add(n):
        for _ in range(n):
            rank_list = RankListFactory(cycle=school.cycle)
            endorsement_request(rank_list=rank_list, institution=school.home)

    add(1)
    one = count_queries(client, REQUESTS)
    add(2)
    three = count_queries(client, REQUESTS)

    assert one == three


def test_the_requests_page_is_paginated(school, signed_in):
    for _ in range(26):
        endorsement_request(rank_list=RankListFactory(cycle=school.cycle), institution=school.home)
    client = signed_in(school.coordinator)

    first = client.get(REQUESTS).content.decode()
    second = client.get(REQUESTS + "?page=2").content.decode()

    assert "Page 1 of 2" in first
    assert len(re.findall(r'href="/exchanges/coordinating/endorsements/\d+/"', second)) == 1
    assert "Page 2 of 2" in second
