"""Every list view keeps a constant number of queries: pinned at one and at three items."""

import pytest
from django.urls import reverse

from exchanges import services
from exchanges.models import Institution, Placement
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
    RankListFactory,
    move_to,
    ranked,
    school_ranks,
    second_round_for,
    with_documents,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(count_queries):
    """``counts(build, url_of, client_of)``: the page's queries with one item, then with three.
    ``build(state, n)`` adds n items (and makes the state, a dict, when given None)."""

    def at_one_and_three(build, url_of, client_of) -> tuple[int, int]:
        state = build(None, 1)
        one = count_queries(client_of(state), url_of(state))
        build(state, 2)
        three = count_queries(client_of(state), url_of(state))
        return one, three

    return at_one_and_three


def _rotation_coordinator(signed_in):
    """Signs in, for a state with a "rotation", a coordinator of that rotation's school."""
    return lambda state: signed_in(
        CoordinatorFactory(institution=state["rotation"].institution).user
    )


def test_coordinator_dashboard(signed_in, counts):
    def build(state, n):
        state = state or {"coordinator": CoordinatorFactory(), "cycle": CycleFactory()}
        for _ in range(n):
            rotation = CycleRotationFactory(
                institution=state["coordinator"].institution, cycle=state["cycle"]
            )
            ranked(RankListFactory(cycle=state["cycle"]), [rotation])
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:coordinator_dashboard"),
        lambda s: signed_in(s["coordinator"].user),
    )
    assert one == three


def test_rotation_applicants(signed_in, counts):
    def build(state, n):
        state = state or {"rotation": CycleRotationFactory()}
        rotation = state["rotation"]
        for index in range(n):
            rank_list = ranked(RankListFactory(cycle=rotation.cycle), [rotation])
            if index == 1:
                school_ranks(rotation, [], refused=[rank_list], submitted=False)
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:rotation_applicants", args=[s["rotation"].pk]),
        _rotation_coordinator(signed_in),
    )
    assert one == three


def test_student_rank_list(signed_in, counts):
    def build(state, n):
        if state is None:
            cycle = CycleFactory()
            state = {
                "list": with_documents(RankListFactory(cycle=cycle), kinds=["immunisation_record"])
            }
        rank_list = state["list"]
        start = rank_list.entries.count()
        for position in range(start + 1, start + n + 1):
            rotation = CycleRotationFactory(cycle=rank_list.cycle)
            rank_list.entries.create(rotation=rotation, position=position)
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:rank_list", args=[s["list"].cycle_id]),
        lambda s: signed_in(s["list"].student),
    )
    assert one == three


def test_student_dashboard(signed_in, counts):
    def build(state, n):
        state = state or {"student": UserFactory()}
        for _ in range(n):
            cycle = CycleFactory()
            ranked(
                RankListFactory(cycle=cycle, student=state["student"]),
                [CycleRotationFactory(cycle=cycle)],
            )
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:student_dashboard"),
        lambda s: signed_in(s["student"]),
    )
    assert one == three


def _matched_cycle(students: int):
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, capacity=students)
    lists = [ranked(RankListFactory(cycle=cycle), [rotation]) for _ in range(students)]
    school_ranks(rotation, lists)
    move_to(cycle, "matching")
    return cycle


@pytest.fixture
def staff_client(signed_in):
    return signed_in(StaffFactory(totp=True))


def test_staff_cycle_detail_with_runs(staff_client, counts):
    def build(state, n):
        state = state or {"cycle": _matched_cycle(2)}
        for _ in range(n):
            services.match_run(cycle=state["cycle"], by=None)
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:staff_cycle", args=[s["cycle"].pk]),
        lambda s: staff_client,
    )
    assert one == three


def test_staff_cycle_list(staff_client, counts):
    def build(state, n):
        for _ in range(n):
            _matched_cycle(1)
        return {}

    one, three = counts(build, lambda s: reverse("exchanges:staff_cycles"), lambda s: staff_client)
    assert one == three


def test_staff_run_detail(staff_client, count_queries):
    one = count_queries(
        staff_client,
        reverse(
            "exchanges:staff_run", args=[services.match_run(cycle=_matched_cycle(1), by=None).pk]
        ),
    )
    three = count_queries(
        staff_client,
        reverse(
            "exchanges:staff_run", args=[services.match_run(cycle=_matched_cycle(3), by=None).pk]
        ),
    )
    assert one == three


def test_staff_run_compare(staff_client, count_queries):
    def url(students):
        cycle = _matched_cycle(students)
        first = services.match_run(cycle=cycle, by=None)
        rotation = cycle.rotations.get()
        rotation.capacity = 0
        rotation.save()
        second = services.match_run(cycle=cycle, by=None)
        return (
            reverse("exchanges:run_compare", args=[cycle.pk]) + f"?run={first.pk}&run={second.pk}"
        )

    assert count_queries(staff_client, url(1)) == count_queries(staff_client, url(3))


def test_staff_institutions(staff_client, counts):
    def build(state, n):
        for _ in range(n):
            CoordinatorFactory(institution=InstitutionFactory())
        return {}

    one, three = counts(
        build,
        lambda s: reverse("exchanges:staff_institutions"),
        lambda s: staff_client,
    )
    assert one == three


def _published_with_open_seats(rotations: int):
    cycle = CycleFactory()
    waiting = ranked(RankListFactory(cycle=cycle), [])
    for _ in range(rotations):
        CycleRotationFactory(cycle=cycle, capacity=2)
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    second_round_for(cycle, state="published")
    Institution.objects.filter(rotations__cycle=cycle).update(accepts_first_come=True)
    return cycle, waiting


def test_open_seats(signed_in, count_queries):
    cycle_one, student_one = _published_with_open_seats(1)
    cycle_three, student_three = _published_with_open_seats(3)

    one = count_queries(
        signed_in(student_one.student), reverse("exchanges:open_seats", args=[cycle_one.pk])
    )
    three = count_queries(
        signed_in(student_three.student), reverse("exchanges:open_seats", args=[cycle_three.pk])
    )
    assert one == three


def test_institution_placements(signed_in, counts):
    def build(state, n):
        if state is None:
            cycle = CycleFactory()
            state = {"rotation": CycleRotationFactory(cycle=cycle, capacity=5), "cycle": cycle}
        rotation = state["rotation"]
        for _ in range(n):
            rank_list = ranked(RankListFactory(cycle=state["cycle"]), [rotation])
            Placement.objects.create(
                cycle=state["cycle"],
                rank_list=rank_list,
                rotation=rotation,
                source="match",
                status="offered",
            )
        return state

    one, three = counts(
        build,
        lambda s: reverse("exchanges:institution_placements", args=[s["rotation"].institution_id]),
        _rotation_coordinator(signed_in),
    )
    assert one == three
