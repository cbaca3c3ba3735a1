"""First-come claims after the second run (issue 17): only at schools that opted in, only
after the second run is published, nobody placed until the host school confirms, the last
seat confirmed once, a double click makes one claim; every role against the new pages."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from exchanges import services
from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models import ClaimStatus, Institution, Placement, SeatClaim
from exchanges.selectors.second_round import free_seats
from portal.errors import Refused
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
    second_round_for,
)

pytestmark = pytest.mark.django_db


def _after_second_run(*, opted_in: bool = True, students: int = 2, state: str = "published"):
    """Open (one seat, its school opted in or not) has a free seat after both runs; Full's
    only seat is taken; `students` lists are unplaced."""
    cycle = CycleFactory(name="Exchanges 2027")
    full = CycleRotationFactory(cycle=cycle, capacity=1, title="Full")
    open_rotation = CycleRotationFactory(cycle=cycle, capacity=1, title="Open")
    Institution.objects.filter(pk=open_rotation.institution_id).update(accepts_first_come=opted_in)
    coordinator = CoordinatorFactory(institution=open_rotation.institution)
    placed = ranked(RankListFactory(cycle=cycle), [full])
    waiting = [ranked(RankListFactory(cycle=cycle), [full]) for _ in range(students)]
    school_ranks(full, [placed])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    second_round_for(cycle, state=state)
    open_rotation.refresh_from_db()
    return cycle, open_rotation, coordinator.user, waiting


def test_a_claim_waits_for_the_school_and_places_once_confirmed(
    mailoutbox, django_capture_on_commit_callbacks
):
    _cycle, rotation, school, (student, _other) = _after_second_run()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        claim = services.seat_claim(rank_list=student, rotation=rotation)

    assert claim.status == ClaimStatus.PENDING
    assert not Placement.objects.filter(rank_list=student).exists()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([school.email], f"[Global Health Portal] {student.student} claims a free seat at Open")
    ]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.seat_claim_decide(claim=claim, confirm=True, by=school)

    placement = Placement.objects.get(rank_list=student)
    assert (placement.rotation, placement.source, placement.status) == (
        rotation,
        PlacementSource.POST_MATCH,
        PlacementStatus.CONFIRMED,
    )
    assert placement.school_confirmed_at is not None
    assert placement.letter_key.startswith("exchanges/letters/")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([student.student.email], "[Global Health Portal] Your seat at Open is confirmed")
    ]


def test_a_declined_claim_places_nobody_and_tells_the_student(
    mailoutbox, django_capture_on_commit_callbacks
):
    _cycle, rotation, school, (student, _other) = _after_second_run()
    claim = services.seat_claim(rank_list=student, rotation=rotation)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.seat_claim_decide(claim=claim, confirm=False, by=school)

    assert not Placement.objects.filter(rank_list=student).exists()
    assert [m.subject for m in mailoutbox] == [
        "[Global Health Portal] Your claim for Open was declined"
    ]
    with pytest.raises(Refused, match="declined your claim") as refusal:
        services.seat_claim(rank_list=student, rotation=rotation)
    assert refusal.value.code == "claim_declined"


def test_a_claim_at_a_school_that_has_not_opted_in_is_refused_politely():
    _cycle, rotation, _school, (student, _other) = _after_second_run(opted_in=False)

    with pytest.raises(Refused, match="does not take first-come claims") as refusal:
        services.seat_claim(rank_list=student, rotation=rotation)
    assert refusal.value.code == "not_first_come"
    assert not SeatClaim.objects.exists()


@pytest.mark.parametrize("state", ["open", "closed"])
def test_a_claim_before_the_second_run_is_published_is_refused(state):
    _cycle, rotation, _school, (student, _other) = _after_second_run(state=state)

    with pytest.raises(Refused, match="after the second round's run") as refusal:
        services.seat_claim(rank_list=student, rotation=rotation)
    assert refusal.value.code == "claims_closed"


def test_a_claim_where_the_school_said_not_acceptable_is_refused():
    _cycle, rotation, _school, (student, _other) = _after_second_run()
    rotation.school_entries.create(rank_list=student, position=None)

    with pytest.raises(Refused, match="did not accept you") as refusal:
        services.seat_claim(rank_list=student, rotation=rotation)
    assert refusal.value.code == "not_acceptable"


def test_one_claim_waits_at_a_time():
    cycle, rotation, _school, (student, _other) = _after_second_run()
    other = CycleRotationFactory(cycle=cycle, capacity=1, title="Other")
    Institution.objects.filter(pk=other.institution_id).update(accepts_first_come=True)
    services.seat_claim(rank_list=student, rotation=rotation)

    with pytest.raises(Refused, match="already have a claim waiting") as refusal:
        services.seat_claim(rank_list=student, rotation=other)
    assert refusal.value.code == "claim_pending"


def test_the_last_seat_claimed_twice_is_confirmed_once():
    _cycle, rotation, school, (first, second) = _after_second_run()
    one = services.seat_claim(rank_list=first, rotation=rotation)
    two = services.seat_claim(rank_list=second, rotation=rotation)
    services.seat_claim_decide(claim=one, confirm=True, by=school)

    with pytest.raises(Refused, match="has no free seat left; decline the claim") as refusal:
        services.seat_claim_decide(claim=two, confirm=True, by=school)

    assert (refusal.value.code, refusal.value.status) == ("no_seat_left", 409)
    assert (
        Placement.objects.filter(rotation=rotation, status=PlacementStatus.CONFIRMED).count() == 1
    )
    two.refresh_from_db()
    assert two.status == ClaimStatus.PENDING


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirmations_at_the_same_instant_never_exceed_the_seats():
    _cycle, rotation, school, waiting = _after_second_run(students=4)
    claims = [services.seat_claim(rank_list=r, rotation=rotation) for r in waiting[:1]]
    # One student per claim; each claims the one seat in turn and is confirmed concurrently.
    claims += [SeatClaim.objects.create(rank_list=r, rotation=rotation) for r in waiting[1:]]
    barrier = threading.Barrier(len(claims))
    outcomes: list[str] = []

    def confirm(claim):
        try:
            barrier.wait()
            services.seat_claim_decide(claim=claim, confirm=True, by=school)
            outcomes.append("placed")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()
            if connection.vendor == "sqlite" and connection.connection is not None:
                connection.connection.close()

    threads = [threading.Thread(target=confirm, args=(c,)) for c in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["placed"] + ["refused"] * 3
    assert free_seats(cycle=rotation.cycle).get(rotation.pk) is None


def test_the_same_decision_twice_changes_nothing(mailoutbox):
    _cycle, rotation, school, (student, _other) = _after_second_run()
    claim = services.seat_claim(rank_list=student, rotation=rotation)
    services.seat_claim_decide(claim=claim, confirm=True, by=school)
    mailoutbox.clear()

    again = services.seat_claim_decide(claim=claim, confirm=True, by=school)

    assert again.status == ClaimStatus.CONFIRMED
    assert mailoutbox == []
    with pytest.raises(Refused, match="already decided") as refusal:
        services.seat_claim_decide(claim=claim, confirm=False, by=school)
    assert refusal.value.code == "already_decided"


# Pages ----------------------------------------------------------------------------------


def test_claim_and_confirm_through_the_pages(signed_in):
    cycle, rotation, school, (student, _other) = _after_second_run()
    me = signed_in(student.student)
    seats = me.get(reverse("exchanges:open_seats", args=[cycle.pk])).content.decode()
    claimed = me.post(
        reverse("exchanges:seat_claim", args=[cycle.pk, rotation.pk]), follow=True
    ).content.decode()
    coordinator = signed_in(school)
    waiting = coordinator.get(reverse("exchanges:second_round_school")).content.decode()
    claim = SeatClaim.objects.get(rank_list=student)
    done = coordinator.post(
        reverse("exchanges:seat_claim_decide", args=[claim.pk]),
        {"decision": "confirm"},
        follow=True,
    ).content.decode()

    assert "1 seat free" in seats
    assert "Your claim for Open is sent to the school." in claimed
    assert "Waiting for the school" in claimed
    assert str(student.student) in waiting
    assert f"{student.student} is placed at Open." in done
    assert Placement.objects.get(rank_list=student).rotation == rotation


def test_a_school_that_has_not_opted_in_is_not_offered_and_a_claim_is_refused(signed_in):
    cycle, rotation, _school, (student, _other) = _after_second_run(opted_in=False)
    me = signed_in(student.student)

    seats = me.get(reverse("exchanges:open_seats", args=[cycle.pk])).content.decode()
    refused = me.post(
        reverse("exchanges:seat_claim", args=[cycle.pk, rotation.pk]), follow=True
    ).content.decode()

    assert "Claim this seat" not in seats
    assert "does not take first-come claims" in refused


def test_a_coordinator_opts_in_and_out(signed_in):
    _cycle, rotation, school, _lists = _after_second_run(opted_in=False)
    coordinator = signed_in(school)
    url = reverse("exchanges:first_come_set", args=[rotation.institution_id])
    dashboard = coordinator.get(reverse("exchanges:coordinator_dashboard")).content.decode()
    assert "Take first-come claims of our free seats" in dashboard
    assert reverse("exchanges:second_round_school") in dashboard

    coordinator.post(url, {"accepts_first_come": "on"})
    rotation.institution.refresh_from_db()
    assert rotation.institution.accepts_first_come is True
    coordinator.post(url, {})
    rotation.institution.refresh_from_db()
    assert rotation.institution.accepts_first_come is False


def test_every_role_against_the_claim_pages(signed_in, client):
    cycle, rotation, school, (student, _other) = _after_second_run()
    claim = services.seat_claim(rank_list=student, rotation=rotation)
    other_school = CoordinatorFactory().user
    stranger = UserFactory()
    staff = StaffFactory(totp=True)
    pages = [
        (
            "get",
            reverse("exchanges:open_seats", args=[cycle.pk]),
            {
                student.student,
            },
        ),
        ("get", reverse("exchanges:second_round_school"), {school, other_school, staff}),
        (
            "post",
            reverse("exchanges:seat_claim_decide", args=[claim.pk]),
            {school, staff},
        ),
        (
            "post",
            reverse("exchanges:first_come_set", args=[rotation.institution_id]),
            {school, staff},
        ),
    ]
    for method, url, allowed in pages:
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302
        assert anonymous.url.startswith(reverse("account_login"))
        for user in (student.student, school, other_school, stranger, staff):
            response = getattr(signed_in(user), method)(url)
            expected = (200, 302) if user in allowed else (404,)
            assert response.status_code in expected, (url, str(user))


def test_seat_claim_page_for_a_stranger_to_the_cycle_is_a_404(signed_in):
    cycle, rotation, _school, _lists = _after_second_run()

    response = signed_in(UserFactory()).post(
        reverse("exchanges:seat_claim", args=[cycle.pk, rotation.pk])
    )

    assert response.status_code == 404


def test_claims_page_query_count(signed_in, count_queries):
    def build(n):
        cycle, rotation, school, lists = _after_second_run(students=n)
        for rank_list in lists:
            rotation_n = CycleRotationFactory(
                cycle=cycle, capacity=1, institution=rotation.institution
            )
            services.seat_claim(rank_list=rank_list, rotation=rotation_n)
        return school

    one, three = build(1), build(3)
    url = reverse("exchanges:second_round_school")

    assert count_queries(signed_in(one), url) == count_queries(signed_in(three), url)


def test_open_seats_page_query_count(signed_in, count_queries):
    def build(n):
        cycle, rotation, _school, (student, *_rest) = _after_second_run()
        for _ in range(n - 1):
            CycleRotationFactory(cycle=cycle, capacity=1, institution=rotation.institution)
        return cycle, student

    (c1, s1), (c3, s3) = build(1), build(3)

    assert count_queries(
        signed_in(s1.student), reverse("exchanges:open_seats", args=[c1.pk])
    ) == count_queries(signed_in(s3.student), reverse("exchanges:open_seats", args=[c3.pk]))
