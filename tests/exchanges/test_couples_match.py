"""Couples in the match: inputs, a run placing a couple together, a run without a stable
result, exclusions, and the run page (old runs included)."""

import pytest
from django.urls import reverse

from exchanges import selectors, services
from exchanges.enums import LeftOut
from exchanges.models import MatchRun, Placement, SchoolRankEntry
from exchanges.selectors.exclusions import Exclusions
from tests.factories.accounts import StaffFactory
from tests.factories.exchanges import (
    CoupleFactory,
    CycleFactory,
    CycleRotationFactory,
    InstitutionFactory,
    RankListFactory,
    move_to,
    paired,
    ranked,
    school_ranks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(db):
    """Amina and Bao linked, ranking (North, North) then (South, North); Chloe, single,
    ranks North; North (two seats) prefers Chloe, then Amina and Bao; South takes Amina."""
    cycle = CycleFactory()
    north = CycleRotationFactory(cycle=cycle, title="North", capacity=2)
    south = CycleRotationFactory(cycle=cycle, title="South", capacity=1)
    amina = ranked(RankListFactory(cycle=cycle, student__full_name="Amina"), [north, south])
    bao = ranked(RankListFactory(cycle=cycle, student__full_name="Bao"), [north, south])
    couple = paired(CoupleFactory(first=amina, second=bao), [(north, north), (south, north)])
    chloe = ranked(RankListFactory(cycle=cycle, student__full_name="Chloe"), [north])
    school_ranks(north, [chloe, amina, bao])
    school_ranks(south, [amina, bao])
    move_to(cycle, "matching")
    return {
        "cycle": cycle,
        "north": north,
        "south": south,
        "amina": amina,
        "bao": bao,
        "couple": couple,
        "chloe": chloe,
    }


def test_match_inputs_put_a_linked_couple_apart_from_the_singles(market):
    inputs = selectors.match_inputs(cycle=market["cycle"])
    north, south = market["north"].pk, market["south"].pk
    assert inputs.students == {market["chloe"].pk: [north]}
    assert inputs.couples == {
        market["couple"].pk: (
            market["amina"].pk,
            market["bao"].pk,
            [(north, north), (south, north)],
        )
    }
    assert selectors.MatchInputs.from_json(inputs.as_json()) == inputs


def test_a_couple_with_an_unsubmitted_list_or_no_pair_ranks_alone(market):
    market["bao"].submitted_at = None
    market["bao"].save()
    inputs = selectors.match_inputs(cycle=market["cycle"])
    assert (inputs.couples, sorted(inputs.students)) == (
        {},
        [market["amina"].pk, market["chloe"].pk],
    )


def test_the_run_places_the_couple_together_and_publishes_both(market):
    run = services.match_run(cycle=market["cycle"], by=None)
    result = dict(map(tuple, run.result))
    north, south = market["north"].pk, market["south"].pk
    assert result == {market["chloe"].pk: north, market["amina"].pk: south, market["bao"].pk: north}
    assert (run.stable, run.couples_involved, run.couples, run.placed) == (True, [], 1, 3)
    assert run.algorithm_version.startswith("hr-couples")
    # Both members are at the couple's second pair; Chloe at her first choice.
    assert (run.first_choice, run.top_three) == (1, 3)
    rows = selectors.run_results(run=selectors.run_get(run_id=run.pk))
    assert [(row.rank_list, row.choice) for row in rows] == [
        (market["chloe"], 1),
        (market["amina"], 2),
        (market["bao"], 2),
    ]
    services.match_publish(run=run)
    assert dict(Placement.objects.values_list("rank_list_id", "rotation_id")) == result


def test_an_instance_without_a_stable_result_is_stored_so_and_named(signed_in):
    # Roth (1984): s at H1 or H2, couple (m1 at H1, m2 at H2); no stable matching exists.
    cycle = CycleFactory()
    institution = InstitutionFactory()
    h1 = CycleRotationFactory(cycle=cycle, institution=institution, capacity=1, title="H1")
    h2 = CycleRotationFactory(cycle=cycle, institution=institution, capacity=1, title="H2")
    single = ranked(RankListFactory(cycle=cycle, student__full_name="Sami"), [h1, h2])
    m1 = ranked(RankListFactory(cycle=cycle, student__full_name="Mona"), [h1])
    m2 = ranked(RankListFactory(cycle=cycle, student__full_name="Malik"), [h2])
    couple = paired(CoupleFactory(first=m1, second=m2), [(h1, h2)])
    school_ranks(h1, [m1, single])
    school_ranks(h2, [single, m2])
    move_to(cycle, "matching")

    run = services.match_run(cycle=cycle, by=None)

    assert (run.stable, run.couples_involved) == (False, [couple.pk])
    page = signed_in(StaffFactory(totp=True)).get(reverse("exchanges:staff_run", args=[run.pk]))
    text = page.content.decode()
    assert "No stable result" in text
    assert "<bdi>Mona</bdi> and <bdi>Malik</bdi>" in text


def test_exclusions_leave_students_pairs_and_couples_out_and_are_kept(market):
    dan = ranked(RankListFactory(cycle=market["cycle"]), [market["north"]])
    SchoolRankEntry.objects.create(rotation=market["north"], rank_list=dan, position=4)
    north, south = market["north"].pk, market["south"].pk
    exclusions = Exclusions(
        students={dan.pk: LeftOut.NOT_ENDORSED},
        pairs={(market["amina"].pk, south): LeftOut.DOCUMENT_EXPIRES},
    )
    inputs = selectors.match_inputs(cycle=market["cycle"], exclusions=exclusions)
    assert inputs.students == {market["chloe"].pk: [north]}
    assert inputs.couples[market["couple"].pk][2] == [(north, north)]
    assert all(dan.pk not in ranked_ for ranked_ in inputs.rotations.values())
    assert market["amina"].pk not in inputs.rotations[south]
    stored = inputs.as_json()
    assert stored["excluded"] == [[dan.pk, "not_endorsed"]]
    assert stored["excluded_pairs"] == [[market["amina"].pk, south, "document_expires"]]
    # A couple with a member left out is left out.
    out = Exclusions(students={market["bao"].pk: LeftOut.DOCUMENT_REJECTED})
    inputs = selectors.match_inputs(cycle=market["cycle"], exclusions=out)
    assert inputs.couples == {}
    assert sorted(inputs.students) == sorted([market["amina"].pk, market["chloe"].pk, dan.pk])


def test_run_page_names_left_out_students_with_their_reason(market, signed_in):
    run = services.match_run(cycle=market["cycle"], by=None)
    MatchRun.objects.filter(pk=run.pk).update(
        inputs={**run.inputs, "excluded": [[market["chloe"].pk, "not_endorsed"]]}, left_out=1
    )
    page = signed_in(StaffFactory(totp=True)).get(reverse("exchanges:staff_run", args=[run.pk]))
    assert "<bdi>Chloe</bdi>: Not endorsed by their home school" in page.content.decode()


def test_old_runs_without_the_new_keys_still_render(market, signed_in):
    run = services.match_run(cycle=market["cycle"], by=None)
    old = {k: run.inputs[k] for k in ("students", "rotations", "capacities")}
    MatchRun.objects.filter(pk=run.pk).update(inputs=old, couples=0, left_out=0)
    assert selectors.MatchInputs.from_json(old).couples == {}
    page = signed_in(StaffFactory(totp=True)).get(reverse("exchanges:staff_run", args=[run.pk]))
    assert page.status_code == 200
    assert "No stable result" not in page.content.decode()
