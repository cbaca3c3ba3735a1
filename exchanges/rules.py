"""Who may see and do what in the exchange programme: the one place these rules live.

Each rule is written once, as the queryset of what a user may see; the predicates ask that
queryset about one object and the selectors filter their lists with it, so a list never shows
what the detail view would refuse.
"""

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from exchanges.enums import RotationStatus
from exchanges.models import (
    Coordinator,
    Endorsement,
    Institution,
    Placement,
    RankList,
    RankListEntry,
    Rotation,
    SeatClaim,
    SecondRoundChoice,
    StudentDocument,
)
from exchanges.models.institutions import CoordinatorConflict
from portal.permissions import is_programme_staff


def institutions_managed_by(user) -> QuerySet[Institution]:
    if is_programme_staff(user):
        return Institution.objects.all()
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(
        Exists(Coordinator.objects.filter(institution=OuterRef("pk"), user=user))
    )


def rotations_managed_by(user) -> QuerySet[Rotation]:
    return Rotation.objects.filter(institution__in=institutions_managed_by(user))


def rotations_visible_to(user) -> QuerySet[Rotation]:
    """Published rotations for everyone; drafts and closed ones for their school and staff,
    and a rotation closed after a student ranked it for that student."""
    published = Q(status=RotationStatus.PUBLISHED)
    if not user.is_authenticated:
        return Rotation.objects.filter(published)
    ranked_by_user = Exists(
        RankListEntry.objects.filter(rotation=OuterRef("pk"), rank_list__student=user)
    )
    return Rotation.objects.filter(
        published
        | Q(institution__in=institutions_managed_by(user))
        | (Q(status=RotationStatus.CLOSED) & ranked_by_user)
    )


def _dossiers_q(user) -> Q:
    """For a school's coordinator: the submitted lists that rank one of its rotations and the
    students placed with it, less the coordinator's own list (a coordinator who is also a
    student of the cycle) and the students they declared a conflict with."""
    managed = rotations_managed_by(user)
    ranked_here = Exists(
        RankListEntry.objects.filter(rank_list=OuterRef("pk"), rotation__in=managed)
    )
    placed_here = Exists(Placement.objects.filter(rank_list=OuterRef("pk"), rotation__in=managed))
    # The second round (issue 17): a student who applies to, or claims a seat at, one of the
    # school's rotations after the main match.
    ranked_here = (
        ranked_here
        | Exists(SecondRoundChoice.objects.filter(rank_list=OuterRef("pk"), rotation__in=managed))
        | Exists(SeatClaim.objects.filter(rank_list=OuterRef("pk"), rotation__in=managed))
    )
    conflicted = Exists(
        CoordinatorConflict.objects.filter(coordinator=user, student=OuterRef("student"))
    )
    return ((ranked_here & Q(submitted_at__isnull=False)) | placed_here) & ~(
        Q(student=user) | conflicted
    )


def dossiers_visible_to(user) -> QuerySet[RankList]:
    """The lists a person reads as a school's dossiers (and ranks): see `_dossiers_q`;
    everything for programme staff."""
    if is_programme_staff(user):
        return RankList.objects.all()
    if not user.is_authenticated:
        return RankList.objects.none()
    return RankList.objects.filter(_dossiers_q(user))


def rank_lists_visible_to(user) -> QuerySet[RankList]:
    """A student's own lists, and the dossiers a school may read (`dossiers_visible_to`);
    everything for programme staff."""
    if is_programme_staff(user):
        return RankList.objects.all()
    if not user.is_authenticated:
        return RankList.objects.none()
    return RankList.objects.filter(Q(student=user) | _dossiers_q(user))


def document_kinds_visible(user, rank_list: RankList) -> set[str] | None:
    """Of a list the user may see, the kinds of documents they may read (None: all of them).

    A school reads only what its own rotations require, not what other schools asked for.
    """
    if is_programme_staff(user) or rank_list.student_id == user.pk:
        return None
    managed = rotations_managed_by(user)
    rotations = managed.filter(
        Q(rank_entries__rank_list=rank_list)
        | Q(placements__rank_list=rank_list)
        | Q(second_round_choices__rank_list=rank_list)
        | Q(seat_claims__rank_list=rank_list)
    )
    return {
        kind for kinds in rotations.values_list("required_documents", flat=True) for kind in kinds
    }


def placements_visible_to(user) -> QuerySet[Placement]:
    if is_programme_staff(user):
        return Placement.objects.all()
    if not user.is_authenticated:
        return Placement.objects.none()
    return Placement.objects.filter(
        Q(rank_list__student=user) | Q(rotation__in=rotations_managed_by(user))
    )


def endorsements_visible_to(user) -> QuerySet[Endorsement]:
    """The endorsement requests a person may decide: those naming a school they coordinate,
    less their own and those of students they declared a conflict with; every school's for
    programme staff (never their own)."""
    if not user.is_authenticated:
        return Endorsement.objects.none()
    mine = Q(rank_list__student=user)
    if is_programme_staff(user):
        return Endorsement.objects.exclude(mine)
    coordinates = Exists(Coordinator.objects.filter(institution=OuterRef("institution"), user=user))
    conflicted = Exists(
        CoordinatorConflict.objects.filter(coordinator=user, student=OuterRef("rank_list__student"))
    )
    return Endorsement.objects.filter(coordinates).exclude(mine | Q(conflicted))


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and user.coordinator_links.exists()


@rules.predicate
def coordinates_institution(user, institution) -> bool:
    return user.is_authenticated and institution.coordinator_links.filter(user=user).exists()


@rules.predicate
def manages_rotation(user, rotation) -> bool:
    return rotations_managed_by(user).filter(pk=rotation.pk).exists()


@rules.predicate
def sees_rank_list(user, rank_list) -> bool:
    return rank_lists_visible_to(user).filter(pk=rank_list.pk).exists()


@rules.predicate
def sees_dossier(user, rank_list) -> bool:
    return dossiers_visible_to(user).filter(pk=rank_list.pk).exists()


@rules.predicate
def owns_rank_list(user, rank_list) -> bool:
    return user.is_authenticated and rank_list.student_id == user.pk


@rules.predicate
def may_download_document(user, document: StudentDocument) -> bool:
    if not sees_rank_list(user, document.rank_list):
        return False
    kinds = document_kinds_visible(user, document.rank_list)
    return kinds is None or document.kind in kinds


@rules.predicate
def may_check_document(user, document: StudentDocument) -> bool:
    """A host school that reads the student's dossier (not conflicted, not their own list)
    and whose rotations ask for this kind, or programme staff; nobody checks their own."""
    if not user.is_authenticated or document.rank_list.student_id == user.pk:
        return False
    if not sees_dossier(user, document.rank_list):
        return False
    kinds = document_kinds_visible(user, document.rank_list)
    return kinds is None or document.kind in kinds


@rules.predicate
def sees_placement(user, placement) -> bool:
    return placements_visible_to(user).filter(pk=placement.pk).exists()


@rules.predicate
def owns_placement(user, placement) -> bool:
    return user.is_authenticated and placement.rank_list.student_id == user.pk


@rules.predicate
def confirms_for_school(user, placement) -> bool:
    return manages_rotation(user, placement.rotation)


@rules.predicate
def records_completion(user, placement) -> bool:
    """The host school's coordinators, except one who is the student or declared a conflict
    with them (`_dossiers_q`), and programme staff."""
    return manages_rotation(user, placement.rotation) and sees_dossier(user, placement.rank_list)


rules.add_perm("exchanges.view_coordinator_dashboard", is_coordinator)
rules.add_perm("exchanges.manage_institution", coordinates_institution | is_programme_staff)
rules.add_perm("exchanges.manage_rotation", manages_rotation)
rules.add_perm("exchanges.view_dossier", sees_dossier)
rules.add_perm("exchanges.declare_student_conflict", coordinates_institution)
rules.add_perm("exchanges.edit_rank_list", owns_rank_list)
rules.add_perm("exchanges.download_document", may_download_document)
rules.add_perm("exchanges.check_document", may_check_document)
rules.add_perm("exchanges.view_placement", sees_placement)
rules.add_perm("exchanges.answer_placement", owns_placement)
rules.add_perm("exchanges.confirm_placement_for_school", confirms_for_school)
rules.add_perm("exchanges.run_match", is_programme_staff)
rules.add_perm("exchanges.invite_coordinator", is_programme_staff)
# Visa letters and certificates of completion (exchanges/services/letters.py, completion.py).
rules.add_perm("exchanges.edit_travel_details", owns_placement)
rules.add_perm("exchanges.download_placement_letters", owns_placement | is_programme_staff)
rules.add_perm("exchanges.record_completion", records_completion)


@rules.predicate
def decides_endorsement(user, endorsement) -> bool:
    return endorsements_visible_to(user).filter(pk=endorsement.pk).exists()


# Home-school endorsements (exchanges/services/endorsements.py).
rules.add_perm("exchanges.view_endorsement_requests", is_coordinator | is_programme_staff)
rules.add_perm("exchanges.decide_endorsement", decides_endorsement)


# The second round and first-come claims (exchanges/services/second_round.py, claims.py).
rules.add_perm("exchanges.view_second_round_school", is_coordinator | is_programme_staff)
