"""Match runs: inputs from the database, stored figures, repeatable runs, one publication."""

import random

import pytest
from django.core.files.storage import default_storage

from exchanges import placement, selectors, services
from exchanges.enums import PlacementSource, PlacementStatus, RotationStatus
from exchanges.models import MatchRun, Placement, SchoolRankEntry
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
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db):
    """Three students, two rotations with one seat each; both schools prefer Chloe."""
    cycle = CycleFactory()
    north = CycleRotationFactory(cycle=cycle, capacity=1, title="North")
    south = CycleRotationFactory(cycle=cycle, capacity=1, title="South")
    amina = ranked(RankListFactory(cycle=cycle, student__full_name="Amina"), [north, south])
    bao = ranked(RankListFactory(cycle=cycle, student__full_name="Bao"), [north])
    chloe = ranked(RankListFactory(cycle=cycle, student__full_name="Chloe"), [north, south])
    school_ranks(north, [chloe, amina, bao])
    school_ranks(south, [chloe, amina])
    move_to(cycle, "matching")
    return {
        "cycle": cycle,
        "north": north,
        "south": south,
        "amina": amina,
        "bao": bao,
        "chloe": chloe,
    }


def test_match_inputs_are_submitted_lists_against_submitted_rankings(small):
    cycle = small["cycle"]
    draft = ranked(RankListFactory(cycle=cycle), [small["north"]], submitted=False)
    closed = CycleRotationFactory(cycle=cycle, status=RotationStatus.CLOSED)
    unranked = CycleRotationFactory(cycle=cycle, capacity=3)
    ranked(RankListFactory(cycle=cycle, student__full_name="Dan"), [closed, unranked])
    SchoolRankEntry.objects.create(rotation=small["south"], rank_list=small["bao"], position=3)
    SchoolRankEntry.objects.create(rotation=small["south"], rank_list=draft, position=4)

    inputs = selectors.match_inputs(cycle=cycle)

    dan = cycle.rank_lists.get(student__full_name="Dan").pk
    assert inputs.students == {
        small["amina"].pk: [small["north"].pk, small["south"].pk],
        small["bao"].pk: [small["north"].pk],
        small["chloe"].pk: [small["north"].pk, small["south"].pk],
        dan: [unranked.pk],
    }
    # Bao no longer ranks South and the draft list is not submitted: neither counts.
    assert inputs.rotations == {
        small["north"].pk: [small["chloe"].pk, small["amina"].pk, small["bao"].pk],
        small["south"].pk: [small["chloe"].pk, small["amina"].pk],
        unranked.pk: [],
    }
    assert inputs.capacities == {small["north"].pk: 1, small["south"].pk: 1, unranked.pk: 3}


def test_match_run_stores_version_inputs_result_and_figures(small):
    staff = StaffFactory()

    run = services.match_run(cycle=small["cycle"], by=staff, note=" first try ")

    assert run.number == 1
    assert run.note == "first try"
    assert run.created_by == staff
    assert run.algorithm_version == placement.ALGORITHM_VERSION
    assert dict(map(tuple, run.result)) == {
        small["amina"].pk: small["south"].pk,
        small["bao"].pk: None,
        small["chloe"].pk: small["north"].pk,
    }
    assert selectors.MatchInputs.from_json(run.inputs) == selectors.match_inputs(
        cycle=small["cycle"]
    )
    figures = {
        name: getattr(run, name)
        for name in (
            "students",
            "placed",
            "unplaced",
            "rotations",
            "seats",
            "seats_filled",
            "first_choice",
            "top_three",
        )
    }
    assert figures == {
        "students": 3,
        "placed": 2,
        "unplaced": 1,
        "rotations": 2,
        "seats": 2,
        "seats_filled": 2,
        "first_choice": 1,
        "top_three": 2,
    }
    assert (run.first_choice_share, run.top_three_share) == (33.3, 66.7)


def test_match_run_again_keeps_the_earlier_run(small):
    first = services.match_run(cycle=small["cycle"], by=None)
    small["north"].capacity = 3
    small["north"].save()

    second = services.match_run(cycle=small["cycle"], by=None)

    first.refresh_from_db()
    assert (first.number, first.placed, second.number, second.placed) == (1, 2, 2, 3)


@pytest.mark.parametrize("phase", ["students_ranking", "schools_ranking"])
def test_match_run_before_the_deadlines_is_refused(small, phase):
    move_to(small["cycle"], phase)

    with pytest.raises(Refused, match="once both deadlines") as refusal:
        services.match_run(cycle=small["cycle"], by=None)
    assert refusal.value.code == "deadlines_not_passed"

    assert not MatchRun.objects.exists()


def test_match_publish_offers_placements_emails_everyone_and_writes_letters(
    small, mailoutbox, django_capture_on_commit_callbacks
):
    cycle = small["cycle"]
    coordinator = CoordinatorFactory(institution=small["north"].institution)
    run = services.match_run(cycle=cycle, by=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.match_publish(run=run)

    cycle.refresh_from_db()
    assert cycle.published_run == run
    placements = {p.rank_list_id: p for p in Placement.objects.all()}
    assert {k: p.rotation_id for k, p in placements.items()} == {
        small["amina"].pk: small["south"].pk,
        small["chloe"].pk: small["north"].pk,
    }
    assert {(p.status, p.source, p.respond_by) for p in placements.values()} == {
        (PlacementStatus.OFFERED, PlacementSource.MATCH, cycle.respond_by)
    }
    for placement_row in Placement.objects.all():
        assert default_storage.open(placement_row.letter_key).read(5) == b"%PDF-"
    subjects = sorted((m.to[0], m.subject) for m in mailoutbox)
    prefix = "[Global Health Portal] "
    assert subjects == sorted(
        [
            (small["amina"].student.email, f"{prefix}Your placement: South"),
            (small["chloe"].student.email, f"{prefix}Your placement: North"),
            (small["bao"].student.email, f"{prefix}The match of {cycle.name} is published"),
            (coordinator.user.email, f"{prefix}The match of {cycle.name} is published"),
        ]
    )
    school_mail = next(m for m in mailoutbox if m.to == [coordinator.user.email])
    assert "It places 1 student at" in school_mail.body


def test_match_publish_only_once(small):
    run = services.match_run(cycle=small["cycle"], by=None)
    other = services.match_run(cycle=small["cycle"], by=None)
    services.match_publish(run=run)

    with pytest.raises(Refused, match="already published") as refusal:
        services.match_publish(run=other)
    assert refusal.value.code == "already_published"
    with pytest.raises(Refused, match="already published") as refusal:
        services.match_run(cycle=small["cycle"], by=None)
    assert refusal.value.code == "already_published"

    assert Placement.objects.count() == 2


def test_explanation_names_no_other_student_and_is_true_for_the_school(small):
    run = services.match_run(cycle=small["cycle"], by=None)
    services.match_publish(run=run)
    small["cycle"].refresh_from_db()

    choice, rows = selectors.placement_explanation(rank_list=small["amina"])

    assert choice == 2
    assert [(row.choice, row.rotation, row.reason, row.seats) for row in rows] == [
        (1, small["north"], "filled_by_higher_ranked", 1)
    ]


def test_explanation_of_an_unplaced_student(small):
    services.match_publish(run=services.match_run(cycle=small["cycle"], by=None))
    small["cycle"].refresh_from_db()

    choice, rows = selectors.placement_explanation(rank_list=small["bao"])

    assert choice is None
    assert [(row.rotation, row.reason) for row in rows] == [
        (small["north"], "filled_by_higher_ranked")
    ]


def test_explanation_holds_for_every_student_because_the_match_is_stable():
    """On a random cycle, check each statement against the schools' own rankings: a rotation
    said to be filled holds only students its school ranked above this one, and a rotation
    said not to rank them has no acceptable entry for them. Stability is what makes both true."""
    rng = random.Random(7)
    cycle = CycleFactory(max_ranks=4)
    rotations = [CycleRotationFactory(cycle=cycle, capacity=rng.randint(0, 2)) for _ in range(6)]
    lists = [
        ranked(RankListFactory(cycle=cycle), rng.sample(rotations, rng.randint(1, 4)))
        for _ in range(14)
    ]
    for rotation in rotations:
        applicants = [r for r in lists if r.entries.filter(rotation=rotation).exists()]
        rng.shuffle(applicants)
        cut = rng.randint(0, len(applicants))
        school_ranks(rotation, applicants[:cut], refused=applicants[cut:])
    move_to(cycle, "matching")
    services.match_publish(run=services.match_run(cycle=cycle, by=None))
    cycle.refresh_from_db()
    held = {}
    for p in Placement.objects.all():
        held.setdefault(p.rotation_id, []).append(p.rank_list_id)
    position = {(e.rotation_id, e.rank_list_id): e.position for e in SchoolRankEntry.objects.all()}
    statements = 0

    for rank_list in lists:
        _choice, rows = selectors.placement_explanation(rank_list=rank_list)
        for row in rows:
            own = position.get((row.rotation.pk, rank_list.pk))
            if row.reason == "not_ranked":
                assert own is None
            else:
                holders = held.get(row.rotation.pk, [])
                assert len(holders) == row.rotation.capacity
                assert all(position[(row.rotation.pk, h)] < own for h in holders)
            statements += 1

    assert statements > 10


def test_explanation_before_publication_is_404(small):
    from django.http import Http404

    with pytest.raises(Http404, match="No match is published"):
        selectors.placement_explanation(rank_list=small["amina"])


def test_match_ignores_a_student_with_an_empty_list_gracefully(small):
    ranked(RankListFactory(cycle=small["cycle"], student=UserFactory()), [])

    run = services.match_run(cycle=small["cycle"], by=None)

    assert (run.students, run.placed, run.unplaced) == (4, 2, 2)
