"""The partner school's side: its rotations, the students who ranked them, its placements."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from exchanges import rules
from exchanges.enums import RotationStatus
from exchanges.models import (
    Institution,
    Placement,
    RankList,
    RankListEntry,
    Rotation,
    SchoolRankEntry,
)
from portal.content_languages import localized
from portal.pagination import paginate


def institution_list_for_coordinator(*, user) -> QuerySet[Institution]:
    return (
        Institution.objects.filter(coordinator_links__user=user)
        .annotate(
            rotation_count=Count("rotations", distinct=True),
            published_count=Count(
                "rotations", filter=Q(rotations__status=RotationStatus.PUBLISHED), distinct=True
            ),
        )
        .order_by("name", "pk")
    )


def institution_list_with_rotations(*, user) -> list[Institution]:
    """The coordinator's institutions, each with its rotations (`rotation_rows`)."""
    institutions = list(institution_list_for_coordinator(user=user))
    rotations = list(rotation_list_for_coordinator(user=user))
    for institution in institutions:
        institution.rotation_rows = [r for r in rotations if r.institution_id == institution.pk]
    return institutions


def institution_get_managed(*, user, institution_id: int) -> Institution:
    return get_object_or_404(rules.institutions_managed_by(user), pk=institution_id)


def _applicants(rotation_ref) -> Q:
    return Q(entries__rotation=rotation_ref, submitted_at__isnull=False)


def rotation_applicant_ids(rotation: Rotation) -> set[int]:
    """Rank lists that are submitted and rank this rotation: the only students a school sees."""
    return set(
        RankList.objects.filter(entries__rotation=rotation, submitted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def school_rank_to_review(rotation: Rotation) -> int:
    decided = set(
        SchoolRankEntry.objects.filter(rotation=rotation).values_list("rank_list_id", flat=True)
    )
    return len(rotation_applicant_ids(rotation) - decided)


def rotation_list_for_coordinator(*, user) -> QuerySet[Rotation]:
    """The coordinator's rotations with their counts of applicants, of students still to
    review, and of seats taken, in a constant number of queries."""
    submitted_applicant = RankListEntry.objects.filter(
        rotation=OuterRef("pk"), rank_list__submitted_at__isnull=False
    )
    applicants = (
        submitted_applicant.order_by().values("rotation").annotate(n=Count("pk")).values("n")
    )
    decided = SchoolRankEntry.objects.filter(
        rotation=OuterRef("rotation"), rank_list=OuterRef("rank_list")
    )
    to_review = (
        submitted_applicant.exclude(Exists(decided))
        .order_by()
        .values("rotation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        rules.rotations_managed_by(user)
        .filter(institution__coordinator_links__user=user)
        .select_related("institution", "cycle")
        .annotate(
            applicant_count=Coalesce(Subquery(applicants), 0),
            to_review_count=Coalesce(Subquery(to_review), 0),
        )
        .order_by("institution__name", "institution_id", "start_date", localized("title"), "pk")
    )


def rotation_get_managed(*, user, rotation_id: int) -> Rotation:
    return get_object_or_404(
        rules.rotations_managed_by(user).select_related("institution", "cycle"), pk=rotation_id
    )


@dataclass
class Applicants:
    ranked: list[RankList]
    to_review: list[RankList]
    not_acceptable: list[RankList]


def rotation_applicants(*, rotation: Rotation, user=None) -> Applicants:
    """The students who submitted a list that ranks this rotation, split by the school's
    decision; never anyone else. Given the coordinator (`user`), without the students whose
    dossier is closed to them (`rules.dossiers_visible_to`: their own list, a declared
    conflict)."""
    applicants = RankList.objects.filter(_applicants(rotation))
    if user is not None:
        applicants = applicants.filter(pk__in=rules.dossiers_visible_to(user).values("pk"))
    lists = list(
        applicants.select_related("student")
        .annotate(
            school_position=Subquery(
                SchoolRankEntry.objects.filter(rotation=rotation, rank_list=OuterRef("pk")).values(
                    "position"
                )[:1]
            ),
            decided=Exists(
                SchoolRankEntry.objects.filter(rotation=rotation, rank_list=OuterRef("pk"))
            ),
        )
        .order_by("student__full_name", "pk")
    )
    ranked = sorted(
        (r for r in lists if r.school_position is not None), key=lambda r: r.school_position
    )
    return Applicants(
        ranked=ranked,
        to_review=[r for r in lists if not r.decided],
        not_acceptable=[r for r in lists if r.decided and r.school_position is None],
    )


def dossier_visible(*, user, rank_list_id: int) -> bool:
    """Whether the person may read (and so rank) this student's dossier."""
    return rules.dossiers_visible_to(user).filter(pk=rank_list_id).exists()


def dossier_get(*, user, rotation: Rotation, rank_list_id: int) -> tuple[RankList, list]:
    """One applicant's dossier for a school: who they are, and the documents the school's own
    rotations require (each with a download link that checks permission again). 404 for a
    student whose dossier is closed to the coordinator (`rules.dossiers_visible_to`)."""
    rank_list = get_object_or_404(
        rules.dossiers_visible_to(user)
        .filter(
            Q(_applicants(rotation))
            | Q(placement__rotation=rotation)
            # Issue 17: its second-round applicants and first-come claimants.
            | Q(second_round_choices__rotation=rotation)
            | Q(seat_claims__rotation=rotation)
        )
        .distinct()
        .select_related("student", "cycle"),
        pk=rank_list_id,
    )
    kinds = rules.document_kinds_visible(user, rank_list)
    documents = rank_list.documents.all()
    if kinds is not None:
        documents = documents.filter(kind__in=kinds)
    return rank_list, list(documents)


def placement_list_for_institution(*, institution: Institution, page_number=None) -> Page:
    placements = (
        Placement.objects.filter(rotation__institution=institution)
        .select_related("rotation", "rank_list__student", "cycle")
        .order_by("rotation__start_date", localized("rotation__title"), "rotation_id", "pk")
    )
    return paginate(placements, page_number)


def rotation_waitlist_next(rotation: Rotation) -> RankList | None:
    """The first student on the school's submitted ranking of `rotation` still waiting for a
    seat: ranked acceptable, still ranking the rotation on a submitted list, and holding no
    placement of the cycle (a student who declined or let an offer lapse has left it)."""
    if rotation.ranking_submitted_at is None:
        return None
    entry = (
        SchoolRankEntry.objects.filter(
            rotation=rotation,
            position__isnull=False,
            rank_list__cycle_id=rotation.cycle_id,
            rank_list__submitted_at__isnull=False,
        )
        .filter(
            Exists(
                RankListEntry.objects.filter(rank_list=OuterRef("rank_list_id"), rotation=rotation)
            )
        )
        .exclude(Exists(Placement.objects.filter(rank_list=OuterRef("rank_list_id"))))
        .select_related("rank_list__student")
        .order_by("position")
        .first()
    )
    return entry.rank_list if entry else None
