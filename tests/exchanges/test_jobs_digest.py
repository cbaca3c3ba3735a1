"""The exchange section of the daily digest: a coordinator reads the applicants to rank, new
documents and placements to confirm of their own schools; programme staff the matches due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import Placement
from exchanges.selectors.digest import digest_lines, digest_recipients
from portal import digest
from tests.factories.accounts import StaffFactory
from tests.factories.exchanges import (
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    match_published,
    move_to,
    ranked,
    school_ranks,
    with_documents,
)

pytestmark = pytest.mark.django_db


def test_the_section_is_registered():
    assert any(section.lines is digest_lines for section in digest.section_list())


def test_a_coordinator_reads_applicants_to_rank_and_new_documents():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, title="Surgery")
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    idle = CoordinatorFactory().user  # a school with nothing in a cycle
    with_documents(ranked(RankListFactory(cycle=cycle), [rotation]))
    ranked(RankListFactory(cycle=cycle), [rotation])
    url = reverse("exchanges:rotation_applicants", args=[rotation.pk])
    now = timezone.now()

    assert coordinator.pk in digest_recipients(now)
    assert idle.pk not in digest_recipients(now)
    assert digest_lines(coordinator, now) == [
        ("Surgery: 2 applicants to rank", url),
        ("Surgery: 2 new documents to check", url),
    ]
    assert digest_lines(idle, now) == []
    assert digest_lines(coordinator, now + timedelta(days=2)) == [
        ("Surgery: 2 applicants to rank", url)
    ]


def test_a_ranking_decided_but_not_submitted_still_waits():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle, title="Surgery", required_documents=[])
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    school_ranks(rotation, [ranked(RankListFactory(cycle=cycle), [rotation])], submitted=False)
    now = timezone.now()

    assert digest_lines(coordinator, now) == [
        (
            "Surgery: your ranking is not submitted yet",
            reverse("exchanges:rotation_applicants", args=[rotation.pk]),
        )
    ]
    rotation.ranking_submitted_at = now
    rotation.save()
    assert digest_lines(coordinator, now) == []


def test_a_coordinator_reads_placements_waiting_for_the_schools_confirmation():
    _cycle, rotation, (placed, *_rest) = match_published()
    coordinator = CoordinatorFactory(institution=rotation.institution).user
    placement = Placement.objects.get(rank_list=placed)
    now = timezone.now()
    assert digest_lines(coordinator, now) == []

    services.placement_answer(placement=placement, accept=True)

    assert coordinator.pk in digest_recipients(now)
    assert digest_lines(coordinator, now) == [
        (
            f"{rotation.institution.name}: 1 placement waits for your confirmation",
            reverse("exchanges:institution_placements", args=[rotation.institution_id]),
        )
    ]
    services.placement_confirm_for_school(placement=placement)
    assert digest_lines(coordinator, now) == []


def test_programme_staff_read_the_cycles_waiting_for_a_match():
    cycle = move_to(CycleFactory(name="Spring 2031"), "matching")
    staff = StaffFactory()
    coordinator = CoordinatorFactory().user
    now = timezone.now()
    url = reverse("exchanges:staff_cycle", args=[cycle.pk])

    assert staff.pk in digest_recipients(now)
    assert digest_lines(staff, now) == [
        ("Spring 2031: both deadlines have passed; the match waits to be run", url)
    ]
    assert digest_lines(coordinator, now) == []

    services.match_run(cycle=cycle, by=staff)
    assert digest_lines(staff, now) == [("Spring 2031: a match run waits to be published", url)]


def test_no_staff_recipient_while_no_match_is_due():
    move_to(CycleFactory(), "schools_ranking")
    staff = StaffFactory()

    assert staff.pk not in digest_recipients(timezone.now())
