"""Reads of the second round: the seats left open, who may take part, both sides'
second-round lists, the second run's inputs, and the first-come claims a school decides."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from exchanges import rules
from exchanges.enums import RotationStatus
from exchanges.models import (
    ClaimStatus,
    ExchangeCycle,
    Placement,
    RankList,
    Rotation,
    SchoolRankEntry,
    SeatClaim,
    SecondRound,
    SecondRoundChoice,
    SecondRoundDecision,
    seat_holding,
)
from exchanges.selectors.exclusions import match_exclusions
from exchanges.selectors.matching import MatchInputs
from portal.content_languages import localized


def second_round_find(*, cycle: ExchangeCycle) -> SecondRound | None:
    return SecondRound.objects.filter(cycle=cycle).select_related("published_run").first()


def free_seats(*, cycle: ExchangeCycle, now=None, rotation_ids=None) -> dict[int, int]:
    """Rotation id -> seats not held by a placement at `now` (capacity less the confirmed
    placements and the offers still open), for the cycle's published rotations with at least
    one; one query."""
    now = now or timezone.now()
    rotations = Rotation.objects.filter(cycle=cycle, status=RotationStatus.PUBLISHED)
    if rotation_ids is not None:
        rotations = rotations.filter(pk__in=rotation_ids)
    counted = rotations.annotate(
        taken=Count("placements", filter=seat_holding(now, prefix="placements__"))
    ).values_list("pk", "capacity", "taken")
    return {pk: capacity - taken for pk, capacity, taken in counted if capacity > taken}


def open_rotations(*, cycle: ExchangeCycle, now=None) -> list[Rotation]:
    """The cycle's rotations with free seats, each with `free_seats`; two queries."""
    seats = free_seats(cycle=cycle, now=now)
    rotations = list(
        Rotation.objects.filter(pk__in=seats)
        .select_related("institution")
        .order_by("start_date", localized("title"), "pk")
    )
    for rotation in rotations:
        rotation.free_seats = seats[rotation.pk]
    return rotations


def eligible_lists(*, cycle: ExchangeCycle) -> QuerySet[RankList]:
    """Students who took part in the main match (a submitted list) and have no placement in
    the cycle: a declined or lapsed placement left the cycle (`Placement`), a seat held is a
    seat; less those the match still leaves out as a whole (`match_exclusions`)."""
    placed = Placement.objects.filter(rank_list=OuterRef("pk"))
    left_out = match_exclusions(cycle=cycle).students
    return (
        RankList.objects.filter(cycle=cycle, submitted_at__isnull=False)
        .exclude(Exists(placed))
        .exclude(pk__in=list(left_out))
    )


def is_eligible(*, rank_list: RankList) -> bool:
    return eligible_lists(cycle=rank_list.cycle).filter(pk=rank_list.pk).exists()


@dataclass
class StudentRound:
    """A student's second-round page: their choices (rotations, first first) and the open
    rotations they may still add."""

    choices: list[Rotation]
    addable: list[Rotation]


def student_round(*, rank_list: RankList, now=None) -> StudentRound:
    """Three queries: the free seats, the student's choices, the open rotations."""
    rotations = {r.pk: r for r in open_rotations(cycle=rank_list.cycle, now=now)}
    chosen_ids = list(
        SecondRoundChoice.objects.filter(rank_list=rank_list)
        .order_by("position")
        .values_list("rotation_id", flat=True)
    )
    chosen = [rotations[pk] for pk in chosen_ids if pk in rotations]
    return StudentRound(
        choices=chosen,
        addable=[r for pk, r in rotations.items() if pk not in set(chosen_ids)],
    )


@dataclass
class RoundApplicants:
    accepted: list[RankList]  # in the school's order
    to_review: list[RankList]
    not_acceptable: list[RankList]


def round_applicants(*, rotation: Rotation, user) -> RoundApplicants:
    """Eligible students who put this rotation on their second-round list, split by the
    school's second-round decision; without those whose dossier is closed to the user
    (their own list, a declared conflict). Two queries."""
    chose = SecondRoundChoice.objects.filter(rank_list=OuterRef("pk"), rotation=rotation)
    decision = SecondRoundDecision.objects.filter(rotation=rotation, rank_list=OuterRef("pk"))
    lists = list(
        eligible_lists(cycle=rotation.cycle)
        .filter(Exists(chose), pk__in=rules.dossiers_visible_to(user).values("pk"))
        .select_related("student")
        .annotate(
            decided=Exists(decision),
            round_position=Subquery(decision.values("position")[:1]),
        )
        .order_by("round_position", "student__full_name", "pk")
    )
    return RoundApplicants(
        accepted=[r for r in lists if r.round_position is not None],
        to_review=[r for r in lists if not r.decided],
        not_acceptable=[r for r in lists if r.decided and r.round_position is None],
    )


def second_round_inputs(*, cycle: ExchangeCycle, now=None) -> MatchInputs:
    """The second run's inputs, as `match_inputs` gives the main run's: eligible students'
    second-round lists against the open rotations' free seats, each rotation's order being
    the students its school accepted in the second round (an applicant it has not accepted is
    not placed there). A pair that the main match leaves out (a rejected or expiring
    document) is left out again. Couples take part as two students (kept simple)."""
    seats = free_seats(cycle=cycle, now=now)
    exclusions = match_exclusions(cycle=cycle)
    eligible = eligible_lists(cycle=cycle)
    students: dict[int, list[int]] = {
        pk: [] for pk in eligible.order_by("pk").values_list("pk", flat=True)
    }
    off_pairs = {key: code for key, code in exclusions.pairs.items() if key[0] in students}
    for rank_list_id, rotation_id in (
        SecondRoundChoice.objects.filter(rank_list__in=eligible, rotation_id__in=seats)
        .order_by("rank_list_id", "position")
        .values_list("rank_list_id", "rotation_id")
    ):
        if (rank_list_id, rotation_id) not in off_pairs:
            students[rank_list_id].append(rotation_id)
    prefs: dict[int, list[int]] = {pk: [] for pk in sorted(seats)}
    for rotation_id, rank_list_id in (
        SecondRoundDecision.objects.filter(
            rotation_id__in=seats, rank_list__in=eligible, position__isnull=False
        )
        .order_by("rotation_id", "position")
        .values_list("rotation_id", "rank_list_id")
    ):
        if rotation_id in students.get(rank_list_id, ()):
            prefs[rotation_id].append(rank_list_id)
    return MatchInputs(
        students=students,
        rotations=prefs,
        capacities={pk: seats[pk] for pk in sorted(seats)},
        excluded=[],
        excluded_pairs=sorted((s, r, code) for (s, r), code in off_pairs.items() if r in seats),
    )


def managed_round_rotations(*, user, now=None) -> list[Rotation]:
    """The user's rotations with free seats in cycles whose second round is open now, each
    with its applicants (`applicant_count`) and those still to review (`to_review_count`)."""
    now = now or timezone.now()
    rotations = list(
        rules.rotations_managed_by(user)
        .filter(
            status=RotationStatus.PUBLISHED,
            cycle__second_round__opens_at__lte=now,
            cycle__second_round__closes_at__gt=now,
        )
        .select_related("cycle__second_round", "institution")
        .annotate(
            applicant_count=Count("second_round_choices", distinct=True),
            decided_count=Count("second_round_decisions", distinct=True),
        )
        .order_by("cycle_id", localized("title"), "pk")
    )
    for rotation in rotations:
        rotation.to_review_count = max(rotation.applicant_count - rotation.decided_count, 0)
    return rotations


def claims_pending_for(*, user) -> list[SeatClaim]:
    """The first-come claims waiting for the user's schools (or every school, for programme
    staff), without those whose dossier is closed to the user; one query."""
    return list(
        SeatClaim.objects.filter(
            status=ClaimStatus.PENDING,
            rotation__in=rules.rotations_managed_by(user),
            rank_list__in=rules.dossiers_visible_to(user),
        )
        .select_related("rank_list__student", "rotation__institution", "rotation__cycle")
        .order_by("created_at", "pk")
    )


def claim_get_decidable(*, user, claim_id: int) -> SeatClaim:
    return get_object_or_404(
        SeatClaim.objects.filter(
            rotation__in=rules.rotations_managed_by(user),
            rank_list__in=rules.dossiers_visible_to(user),
        ).select_related("rank_list__student", "rotation__institution", "rotation__cycle"),
        pk=claim_id,
    )


def first_come_seats(*, cycle: ExchangeCycle, rank_list: RankList, now=None) -> list[Rotation]:
    """Open rotations at schools that take first-come claims, less those whose school said
    the student is not acceptable in either round."""
    refused = Q(
        Exists(
            SchoolRankEntry.objects.filter(
                rotation=OuterRef("pk"), rank_list=rank_list, position__isnull=True
            )
        )
    ) | Q(
        Exists(
            SecondRoundDecision.objects.filter(
                rotation=OuterRef("pk"), rank_list=rank_list, position__isnull=True
            )
        )
    )
    seats = free_seats(cycle=cycle, now=now)
    rotations = list(
        Rotation.objects.filter(pk__in=seats, institution__accepts_first_come=True)
        .exclude(refused)
        .select_related("institution")
        .order_by("start_date", localized("title"), "pk")
    )
    for rotation in rotations:
        rotation.free_seats = seats[rotation.pk]
    return rotations


def claims_of(*, rank_list: RankList) -> list[SeatClaim]:
    return list(
        SeatClaim.objects.filter(rank_list=rank_list)
        .select_related("rotation__institution")
        .order_by("-created_at", "-pk")
    )
