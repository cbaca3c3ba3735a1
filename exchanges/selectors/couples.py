"""Reads of ranking with a partner: a student's current couple in a cycle and its pairs; and
what a match run says about couples and the students it left out."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from exchanges.enums import LeftOut, RotationStatus
from exchanges.models import Couple, CoupleChoice, CoupleStatus, MatchRun, RankList, Rotation
from exchanges.selectors.students import rank_list_page


def couple_current(*, rank_list: RankList) -> Couple | None:
    """The proposed or linked couple the list is in, with both students, if any."""
    return (
        Couple.objects.filter(
            Q(first=rank_list) | Q(second=rank_list), status__in=CoupleStatus.current()
        )
        .select_related("first__student", "second__student", "cycle")
        .first()
    )


def couple_get_own(*, user, cycle_id: int) -> tuple[RankList, Couple]:
    """The user's list in the cycle and their latest couple, in one query: the current one
    if any (a list joins a new couple only once its current one is dissolved), else the one
    dissolved last, so that a second click or a stale page reaches the service, which says
    what became of it. 404 when they have never been in a couple in the cycle."""
    couple = (
        Couple.objects.filter(Q(first__student=user) | Q(second__student=user), cycle_id=cycle_id)
        .select_related("first__student", "second__student")
        .order_by("-pk")
        .first()
    )
    if couple is None:
        raise Http404
    return (couple.first if couple.first.student_id == user.pk else couple.second), couple


@dataclass
class CouplePage:
    cycle: object
    rank_list: RankList | None
    couple: Couple | None
    partner: RankList | None  # the other member's list
    i_am_first: bool
    choices: list[CoupleChoice]  # each with `mine` and `theirs` rotations for the reader
    own_rotations: list[Rotation]  # published rotations on the reader's list
    partner_rotations: list[Rotation]  # published rotations on the partner's list


def _listed(rank_list: RankList) -> list[Rotation]:
    return list(
        Rotation.objects.filter(rank_entries__rank_list=rank_list, status=RotationStatus.PUBLISHED)
        .select_related("institution")
        .order_by("rank_entries__position")
    )


def couple_page(*, user, cycle_id: int) -> CouplePage:
    """What the "Rank with a partner" page shows; the cycle exists for the user as their
    rank list page does (their list, or the cycle open for ranking)."""
    cycle, mine = rank_list_page(user=user, cycle_id=cycle_id)
    couple = couple_current(rank_list=mine) if mine else None
    page = CouplePage(cycle, mine, couple, None, True, [], [], [])
    if couple is None:
        return page
    page.i_am_first = couple.first_id == mine.pk
    page.partner = couple.partner_of(mine.pk)
    if not couple.is_linked:
        return page
    page.choices = list(
        couple.choices.select_related(
            "first_rotation__institution", "second_rotation__institution"
        ).order_by("position")
    )
    for choice in page.choices:
        own, theirs = choice.first_rotation, choice.second_rotation
        choice.mine, choice.theirs = (own, theirs) if page.i_am_first else (theirs, own)
    page.own_rotations = _listed(mine)
    page.partner_rotations = _listed(page.partner)
    return page


@dataclass(frozen=True)
class RunNotes:
    """What a run's page says beside its result: the couples that kept it from a stable
    result (each as its two lists), and the students left out with the words of why."""

    couples_involved: list[tuple[RankList, RankList]]
    left_out: list[tuple[RankList, str]]
    left_out_more: int  # left out beyond those listed


def run_notes(*, run: MatchRun, limit: int = 100) -> RunNotes:
    """Read only when the run has something to say (no query for a stable run that left
    nobody out); runs stored before couples and exclusions have neither."""
    involved: list[tuple[RankList, RankList]] = []
    if run.couples_involved:
        couples = Couple.objects.select_related("first__student", "second__student").in_bulk(
            run.couples_involved
        )
        involved = [(c.first, c.second) for pk in run.couples_involved if (c := couples.get(pk))]
    left_out: list[tuple[RankList, str]] = []
    more = 0
    if run.left_out:
        rows = (
            MatchRun.objects.filter(pk=run.pk).values_list("inputs__excluded", flat=True).get()
            or []
        )
        more = max(len(rows) - limit, 0)
        lists = RankList.objects.select_related("student").in_bulk([s for s, _ in rows[:limit]])
        left_out = [
            (lists[s], LeftOut(code).label if code in LeftOut.values else code)
            for s, code in rows[:limit]
            if s in lists
        ]
    return RunNotes(couples_involved=involved, left_out=left_out, left_out_more=more)
