"""The second round (issue 17): who may take part and which seats are free, students rank the
open rotations only, schools accept before anyone is placed with them, and after the window a
second run of the same match places students student-optimally and is published like the main
one; every role against every new page, and the lists' query counts."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.enums import Direction, PlacementSource, PlacementStatus
from exchanges.models import MatchRound, MatchRun, Placement, SecondRound, SecondRoundChoice
from exchanges.selectors.second_round import eligible_lists, free_seats, second_round_inputs
from exchanges.services import second_round as rounds
from exchanges.services import second_run
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


def _main_published():
    """North (1 seat) and South (2) have free seats after the main match; Full's only seat
    went to `placed`. `first` and `second` are unplaced; `decliner` declined South; one list
    is not endorsed and one not submitted."""
    cycle = CycleFactory(name="Exchanges 2027")
    north = CycleRotationFactory(cycle=cycle, capacity=1, title="North")
    south = CycleRotationFactory(cycle=cycle, capacity=2, title="South")
    full = CycleRotationFactory(cycle=cycle, capacity=1, title="Full")
    coordinators = {
        r.title: CoordinatorFactory(institution=r.institution) for r in (north, south, full)
    }
    placed = ranked(RankListFactory(cycle=cycle), [full])
    first = ranked(RankListFactory(cycle=cycle), [full])
    second = ranked(RankListFactory(cycle=cycle), [full])
    decliner = ranked(RankListFactory(cycle=cycle), [south])
    not_endorsed = ranked(RankListFactory(cycle=cycle), [full], endorsed=False)
    unsubmitted = ranked(RankListFactory(cycle=cycle), [full], submitted=False)
    school_ranks(full, [placed])
    school_ranks(south, [decliner])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    services.placement_answer(placement=Placement.objects.get(rank_list=decliner), accept=False)
    cycle.refresh_from_db()
    return SimpleNamespace(
        cycle=cycle,
        north=north,
        south=south,
        full=full,
        coordinators=coordinators,
        placed=placed,
        first=first,
        second=second,
        decliner=decliner,
        not_endorsed=not_endorsed,
        unsubmitted=unsubmitted,
    )


def _close(cycle) -> None:
    SecondRound.objects.filter(cycle=cycle).update(closes_at=timezone.now() - timedelta(minutes=1))


# Eligibility and free seats -----------------------------------------------------------


def test_eligible_students_are_the_unplaced_who_took_part_and_are_not_left_out():
    m = _main_published()

    assert set(eligible_lists(cycle=m.cycle)) == {m.first, m.second}


def test_free_seats_are_capacity_less_the_placements_that_hold():
    m = _main_published()

    assert free_seats(cycle=m.cycle) == {m.north.pk: 1, m.south.pk: 2}


# Opening the round ----------------------------------------------------------------------


def test_open_tells_eligible_students_and_schools_with_free_seats(
    mailoutbox, django_capture_on_commit_callbacks
):
    m = _main_published()
    mailoutbox.clear()
    closes_at = timezone.now() + timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        second = rounds.second_round_open(cycle=m.cycle, closes_at=closes_at, by=None)

    assert (second.closes_at, second.is_open(timezone.now())) == (closes_at, True)
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [
            m.first.student.email,
            m.second.student.email,
            m.coordinators["North"].user.email,
            m.coordinators["South"].user.email,
        ]
    )
    student_mail = next(mail for mail in mailoutbox if mail.to == [m.first.student.email])
    assert student_mail.subject == "[Global Health Portal] A second round is open in Exchanges 2027"
    assert reverse("exchanges:second_round", args=[m.cycle.pk]) in student_mail.body


def test_open_twice_with_the_same_closing_is_harmless_and_otherwise_refused():
    m = _main_published()
    closes_at = timezone.now() + timedelta(days=3)
    first = rounds.second_round_open(cycle=m.cycle, closes_at=closes_at, by=None)

    assert rounds.second_round_open(cycle=m.cycle, closes_at=closes_at, by=None) == first
    with pytest.raises(Refused, match="already open") as refusal:
        rounds.second_round_open(cycle=m.cycle, closes_at=closes_at + timedelta(days=1), by=None)
    assert refusal.value.code == "already_open"


def test_open_before_the_main_match_is_published_is_refused():
    cycle = CycleFactory(name="Exchanges 2027")

    with pytest.raises(Refused, match="after the main match of Exchanges 2027") as refusal:
        rounds.second_round_open(cycle=cycle, closes_at=timezone.now() + timedelta(days=3), by=None)
    assert refusal.value.code == "not_published"


def test_open_with_a_closing_time_in_the_past_is_refused():
    m = _main_published()

    with pytest.raises(Refused, match="must close after it opens") as refusal:
        rounds.second_round_open(
            cycle=m.cycle, closes_at=timezone.now() - timedelta(hours=1), by=None
        )
    assert (refusal.value.code, refusal.value.field) == ("closes_too_soon", "closes_at")


# Students rank the open rotations only ------------------------------------------------


def test_a_student_ranks_open_rotations_and_moves_them():
    m = _main_published()
    second_round_for(m.cycle)

    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.south)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.south)  # a double click
    rounds.second_round_choice_move(
        rank_list=m.first, rotation_id=m.south.pk, direction=Direction.UP
    )

    assert list(
        SecondRoundChoice.objects.filter(rank_list=m.first).values_list("rotation", "position")
    ) == [(m.south.pk, 1), (m.north.pk, 2)]


def test_a_rotation_without_a_free_seat_cannot_be_ranked():
    m = _main_published()
    second_round_for(m.cycle)

    with pytest.raises(Refused, match="Full has no free seat") as refusal:
        rounds.second_round_choice_add(rank_list=m.first, rotation=m.full)
    assert refusal.value.code == "no_free_seat"


@pytest.mark.parametrize("who", ["placed", "decliner", "not_endorsed", "unsubmitted"])
def test_a_student_who_may_not_take_part_cannot_rank(who):
    m = _main_published()
    second_round_for(m.cycle)

    with pytest.raises(Refused, match="took part in the match and have no placement") as refusal:
        rounds.second_round_choice_add(rank_list=getattr(m, who), rotation=m.north)
    assert refusal.value.code == "not_eligible"


def test_ranking_outside_the_window_is_refused():
    m = _main_published()
    second_round_for(m.cycle, state="closed")

    with pytest.raises(Refused, match="second round of Exchanges 2027 is not open") as refusal:
        rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    assert refusal.value.code == "round_closed"


# Schools accept, then the second run ---------------------------------------------------


def test_a_school_decides_only_on_its_applicants():
    m = _main_published()
    second_round_for(m.cycle)

    with pytest.raises(Refused, match="does not apply to this rotation") as refusal:
        rounds.second_round_decide(rotation=m.north, rank_list=m.first, accept=True)
    assert refusal.value.code == "not_applicant"


def test_a_student_the_school_has_not_accepted_is_not_placed():
    m = _main_published()
    second_round_for(m.cycle)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    rounds.second_round_choice_add(rank_list=m.second, rotation=m.north)
    rounds.second_round_decide(rotation=m.north, rank_list=m.second, accept=True)
    _close(m.cycle)

    run = second_run.second_round_run(cycle=m.cycle, by=None)

    assert dict(map(tuple, run.result)) == {m.first.pk: None, m.second.pk: m.north.pk}
    assert run.match_round == MatchRound.SECOND


def test_the_second_run_is_student_optimal_over_the_second_round_lists():
    m = _main_published()
    second_round_for(m.cycle)
    south_one_seat = m.south
    Placement.objects.create(
        cycle=m.cycle,
        rank_list=RankListFactory(cycle=m.cycle),
        rotation=south_one_seat,
        source=PlacementSource.POST_MATCH,
        status=PlacementStatus.CONFIRMED,
    )  # South keeps one free seat, as North: each student's first choice is contested
    for rank_list, order in ((m.first, [m.north, m.south]), (m.second, [m.south, m.north])):
        for rotation in order:
            rounds.second_round_choice_add(rank_list=rank_list, rotation=rotation)
    # Each school prefers the student who prefers the other school.
    for rotation, order in ((m.north, [m.second, m.first]), (m.south, [m.first, m.second])):
        for rank_list in order:
            rounds.second_round_decide(rotation=rotation, rank_list=rank_list, accept=True)
    _close(m.cycle)

    run = second_run.second_round_run(cycle=m.cycle, by=None)

    # Student-optimal: each student gets their first choice (school-optimal would swap them).
    assert dict(map(tuple, run.result)) == {m.first.pk: m.north.pk, m.second.pk: m.south.pk}
    assert (run.first_choice, run.seats) == (2, 2)


def test_the_run_reads_second_round_lists_and_orders_only():
    m = _main_published()
    second_round_for(m.cycle)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.south)
    rounds.second_round_decide(rotation=m.south, rank_list=m.first, accept=True)

    inputs = second_round_inputs(cycle=m.cycle)

    assert inputs.students == {m.first.pk: [m.south.pk], m.second.pk: []}
    assert inputs.rotations == {m.north.pk: [], m.south.pk: [m.first.pk]}
    assert inputs.capacities == {m.north.pk: 1, m.south.pk: 2}


def test_a_run_before_the_window_closes_is_refused():
    m = _main_published()
    second_round_for(m.cycle)

    with pytest.raises(Refused, match="once the second round's window has closed") as refusal:
        second_run.second_round_run(cycle=m.cycle, by=None)
    assert refusal.value.code == "window_open"
    assert not MatchRun.objects.filter(match_round=MatchRound.SECOND).exists()


def test_publishing_offers_placements_with_letters_and_emails(
    mailoutbox, django_capture_on_commit_callbacks
):
    m = _main_published()
    second_round_for(m.cycle)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    rounds.second_round_decide(rotation=m.north, rank_list=m.first, accept=True)
    _close(m.cycle)
    run = second_run.second_round_run(cycle=m.cycle, by=None)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        second_run.second_round_publish(run=run)
    second_run.second_round_publish(run=run)  # a second click

    offer = Placement.objects.get(rank_list=m.first)
    assert (offer.run, offer.rotation, offer.source, offer.status) == (
        run,
        m.north,
        PlacementSource.MATCH,
        PlacementStatus.OFFERED,
    )
    assert offer.letter_key.startswith("exchanges/letters/")
    assert sorted((mail.to[0], mail.subject) for mail in mailoutbox) == sorted(
        [
            (m.first.student.email, "[Global Health Portal] Second round: you are placed at North"),
            (
                m.second.student.email,
                "[Global Health Portal] The second round of Exchanges 2027 is published",
            ),
        ]
    )
    assert SecondRound.objects.get(cycle=m.cycle).published_run == run


def test_publishing_skips_a_seat_taken_meanwhile():
    m = _main_published()
    second_round_for(m.cycle)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    rounds.second_round_decide(rotation=m.north, rank_list=m.first, accept=True)
    _close(m.cycle)
    run = second_run.second_round_run(cycle=m.cycle, by=None)
    Placement.objects.create(
        cycle=m.cycle,
        rank_list=RankListFactory(cycle=m.cycle),
        rotation=m.north,
        source=PlacementSource.WAITLIST,
        status=PlacementStatus.CONFIRMED,
    )

    second_run.second_round_publish(run=run)

    assert not Placement.objects.filter(rank_list=m.first).exists()
    assert free_seats(cycle=m.cycle).get(m.north.pk) is None


# Pages ----------------------------------------------------------------------------------


def test_staff_open_run_and_publish_through_the_pages(signed_in, started, mailoutbox):
    m = _main_published()
    staff = signed_in(StaffFactory(totp=True))
    url = reverse("exchanges:second_round_staff", args=[m.cycle.pk])
    closes = (timezone.localtime(timezone.now(), m.cycle.zone) + timedelta(days=2)).replace(
        second=0, microsecond=0
    )

    page = staff.get(url).content.decode()
    opened = staff.post(url, {"closes_at": closes.strftime("%Y-%m-%dT%H:%M")}, follow=True)

    assert "Open the second round" in page
    assert "The second round is open." in opened.content.decode()
    assert SecondRound.objects.get(cycle=m.cycle).closes_at == closes
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    rounds.second_round_decide(rotation=m.north, rank_list=m.first, accept=True)
    refused = staff.post(reverse("exchanges:second_round_run", args=[m.cycle.pk]), follow=True)
    assert "once the second round&#x27;s window has closed" in refused.content.decode()
    _close(m.cycle)

    started(staff, reverse("exchanges:second_round_run", args=[m.cycle.pk]), {"note": "two"})
    run = MatchRun.objects.get(match_round=MatchRound.SECOND)
    started(staff, reverse("exchanges:run_publish", args=[run.pk]))

    assert Placement.objects.get(rank_list=m.first).run == run
    assert "Published" in staff.get(url).content.decode()
    cycle_page = staff.get(reverse("exchanges:staff_cycle", args=[m.cycle.pk])).content.decode()
    assert "Manage the second round" in cycle_page
    assert "Second round</span>" in cycle_page  # the run's round, in the runs table


def test_staff_open_with_a_past_closing_time_shows_the_form_again(signed_in):
    m = _main_published()
    staff = signed_in(StaffFactory(totp=True))
    past = timezone.localtime(timezone.now(), m.cycle.zone) - timedelta(days=1)

    response = staff.post(
        reverse("exchanges:second_round_staff", args=[m.cycle.pk]),
        {"closes_at": past.strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 400
    assert "The second round must close after it opens." in response.content.decode()
    assert past.strftime("%Y-%m-%dT%H:%M") in response.content.decode()


def test_a_student_ranks_and_a_school_accepts_through_the_pages(signed_in):
    m = _main_published()
    second_round_for(m.cycle)
    student = signed_in(m.first.student)
    school = signed_in(m.coordinators["North"].user)

    page = student.get(reverse("exchanges:second_round", args=[m.cycle.pk])).content.decode()
    student.post(reverse("exchanges:second_round_add", args=[m.cycle.pk]), {"rotation": m.north.pk})
    applicants = reverse("exchanges:second_round_applicants", args=[m.north.pk])
    listed = school.get(applicants).content.decode()
    school.post(
        reverse("exchanges:second_round_decide", args=[m.north.pk, m.first.pk]),
        {"acceptable": "1"},
    )

    assert "Rotations with free seats" in page and "Full" not in page
    dashboard = student.get(reverse("exchanges:student_dashboard")).content.decode()
    assert reverse("exchanges:second_round", args=[m.cycle.pk]) in dashboard
    assert str(m.first.student) in listed
    assert second_round_inputs(cycle=m.cycle).rotations[m.north.pk] == [m.first.pk]
    dossier = school.get(reverse("exchanges:dossier", args=[m.north.pk, m.first.pk]))
    assert dossier.status_code == 200


def _views(m):
    """(name, args, method, data, who may) for every new page; `who`: staff, student or
    school (whose pages programme staff may use too)."""
    c, n, s = m.cycle.pk, m.north.pk, m.first.pk
    return [
        ("second_round_staff", [c], "get", {}, "staff"),
        ("second_round_run", [c], "post", {}, "staff"),
        ("second_round", [c], "get", {}, "student"),
        ("second_round_add", [c], "post", {"rotation": n}, "student"),
        ("second_round_move", [c, n], "post", {"direction": "up"}, "student"),
        ("second_round_remove", [c, n], "post", {}, "student"),
        ("second_round_applicants", [n], "get", {}, "school"),
        ("second_round_decide", [n, s], "post", {"acceptable": "1"}, "school"),
        ("second_round_decision_move", [n, s], "post", {"direction": "up"}, "school"),
    ]


@pytest.mark.parametrize("index", range(9))
def test_every_role_against_every_new_view(signed_in, client, index):
    m = _main_published()
    second_round_for(m.cycle)
    rounds.second_round_choice_add(rank_list=m.first, rotation=m.north)
    name, args, method, data, who = _views(m)[index]
    url = reverse(f"exchanges:{name}", args=args)
    people = {
        "staff": StaffFactory(totp=True),
        "student": m.first.student,
        "school": m.coordinators["North"].user,
        "other school": m.coordinators["South"].user,
        "stranger": UserFactory(),
    }

    anonymous = getattr(client, method)(url, data)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("account_login"))
    for role, user in people.items():
        response = getattr(signed_in(user), method)(url, data)
        allowed = role == who or (who == "school" and role == "staff")
        if allowed:
            assert response.status_code in (200, 302), (role, name)
        else:
            assert response.status_code == 404, (role, name)


# Query counts ---------------------------------------------------------------------------


def _with_applicants(n: int):
    cycle = CycleFactory()
    full = CycleRotationFactory(cycle=cycle, capacity=1)
    rotation = CycleRotationFactory(cycle=cycle, capacity=5)
    coordinator = CoordinatorFactory(institution=rotation.institution)
    lists = [ranked(RankListFactory(cycle=cycle), [full]) for _ in range(n)]
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    second_round_for(cycle)
    for index, rank_list in enumerate(lists):
        rounds.second_round_choice_add(rank_list=rank_list, rotation=rotation)
        if index:
            rounds.second_round_decide(rotation=rotation, rank_list=rank_list, accept=True)
    return cycle, rotation, coordinator.user, lists


def test_second_round_applicants_query_count(signed_in, count_queries):
    _c1, one, school_one, _l1 = _with_applicants(1)
    _c3, three, school_three, _l3 = _with_applicants(3)

    assert count_queries(
        signed_in(school_one), reverse("exchanges:second_round_applicants", args=[one.pk])
    ) == count_queries(
        signed_in(school_three), reverse("exchanges:second_round_applicants", args=[three.pk])
    )


def test_second_round_school_page_query_count(signed_in, count_queries):
    _c1, _r1, school_one, _l1 = _with_applicants(1)
    _c3, _r3, school_three, _l3 = _with_applicants(3)
    url = reverse("exchanges:second_round_school")

    assert count_queries(signed_in(school_one), url) == count_queries(signed_in(school_three), url)


def test_second_round_student_page_query_count(signed_in, count_queries):
    c1, _r1, _s1, (one, *_rest) = _with_applicants(1)
    c3, _r3, _s3, (three, *_others) = _with_applicants(3)
    for _ in range(2):
        CycleRotationFactory(cycle=c3, capacity=2)

    assert count_queries(
        signed_in(one.student), reverse("exchanges:second_round", args=[c1.pk])
    ) == count_queries(signed_in(three.student), reverse("exchanges:second_round", args=[c3.pk]))
