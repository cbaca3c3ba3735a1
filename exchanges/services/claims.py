"""First-come claims of the seats still free after the second run: a student claims a seat at
a school that takes such claims, and nothing is placed until that school confirms the claim.
The school can confirm only as many claims as it has free seats."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import PlacementSource, PlacementStatus, RotationStatus
from exchanges.models import (
    ClaimStatus,
    Coordinator,
    Placement,
    RankList,
    Rotation,
    SchoolRankEntry,
    SeatClaim,
    SecondRound,
    SecondRoundDecision,
)
from exchanges.selectors.second_round import is_eligible
from exchanges.services.common import atomic_with_retry, lock_row
from exchanges.services.placements import open_seats, task_placement_letter
from portal.emails import email_send
from portal.errors import Refused


def _claims_open(rotation: Rotation, rank_list: RankList, now) -> None:
    cycle = rotation.cycle
    second = SecondRound.objects.filter(cycle_id=rotation.cycle_id).first()
    if (
        cycle is None
        or cycle.pk != rank_list.cycle_id
        or second is None
        or not second.is_published
        or not cycle.post_match_open(now)
    ):
        raise Refused(
            _("Free seats can be claimed after the second round's run, while the round lasts."),
            code="claims_closed",
        )


def _tell_school(claim: SeatClaim, template: str) -> None:
    for link in Coordinator.objects.filter(
        institution_id=claim.rotation.institution_id
    ).select_related("user"):
        email_send(
            to=[link.user.email],
            template=template,
            context={
                "name": link.user.get_short_name(),
                "student": claim.rank_list.student,
                "rotation": claim.rotation,
                "claim": claim,
            },
            user=link.user,
        )


def _tell_student(claim: SeatClaim, template: str) -> None:
    student = claim.rank_list.student
    email_send(
        to=[student.email],
        template=template,
        context={
            "name": student.get_short_name(),
            "rotation": claim.rotation,
            "cycle": claim.rotation.cycle,
            "claim": claim,
        },
        user=student,
    )


def seat_claim(*, rank_list: RankList, rotation: Rotation, now=None) -> SeatClaim:
    """A student asks a school for one of its free seats. The claim waits for the school:
    no seat is taken until the school confirms it (`seat_claim_decide`). The same claim again
    (a double click, a retry) returns the claim already made."""
    now = now or timezone.now()

    def claim() -> SeatClaim:
        locked = lock_row(Rotation.objects.select_related("cycle", "institution"), rotation.pk)
        existing = SeatClaim.objects.filter(rank_list=rank_list, rotation=locked).first()
        if existing is not None and existing.status != ClaimStatus.DECLINED:
            return existing
        _claims_open(locked, rank_list, now)
        if not locked.institution.accepts_first_come:
            raise Refused(
                _(
                    "%(school)s does not take first-come claims. Its free seats may open "
                    "again in a later round."
                )
                % {"school": locked.institution.name},
                code="not_first_come",
            )
        if existing is not None:
            raise Refused(
                _("The school declined your claim for this rotation."), code="claim_declined"
            )
        if Placement.objects.filter(rank_list=rank_list).exists():
            raise Refused(_("You already have a placement in this cycle."), code="already_placed")
        if not is_eligible(rank_list=rank_list):
            raise Refused(
                _("Only students who took part in the match and were not placed can claim a seat."),
                code="not_eligible",
            )
        if locked.status != RotationStatus.PUBLISHED:
            raise Refused(_("This rotation is closed."), code="rotation_closed")
        refused = (
            SchoolRankEntry.objects.filter(
                rotation=locked, rank_list=rank_list, position__isnull=True
            ).exists()
            or SecondRoundDecision.objects.filter(
                rotation=locked, rank_list=rank_list, position__isnull=True
            ).exists()
        )
        if refused:
            raise Refused(
                _("The school did not accept you for this rotation."), code="not_acceptable"
            )
        if open_seats(locked, now) < 1:
            raise Refused(
                _("%(rotation)s has no free seat left.") % {"rotation": locked.title},
                code="no_seat_left",
                status=409,
            )
        pending = SeatClaim.objects.filter(rank_list=rank_list, status=ClaimStatus.PENDING)
        if pending.exists():
            raise Refused(
                _("You already have a claim waiting for a school's answer."),
                code="claim_pending",
            )
        try:
            with transaction.atomic():
                made = SeatClaim.objects.create(rank_list=rank_list, rotation=locked)
        except IntegrityError:
            raise Refused(
                _("You already have a claim waiting for a school's answer."),
                code="claim_pending",
            ) from None
        made.rotation = locked
        _tell_school(made, "second_round_claim_made")
        return made

    return atomic_with_retry(claim)


def seat_claim_decide(*, claim: SeatClaim, confirm: bool, by, now=None) -> SeatClaim:
    """The host school confirms a claim (the student is placed, confirmed on both sides) or
    declines it; the student is told. The rotation's row is locked and its seats counted, so
    two confirmations for the last seat give one placement and one refusal. The same decision
    again changes nothing."""
    now = now or timezone.now()

    def decide() -> SeatClaim:
        rotation = lock_row(
            Rotation.objects.select_related("cycle", "institution"), claim.rotation_id
        )
        locked = lock_row(SeatClaim.objects.select_related("rank_list__student"), claim.pk)
        locked.rotation = rotation
        wanted = ClaimStatus.CONFIRMED if confirm else ClaimStatus.DECLINED
        if locked.status == wanted:
            return locked
        if locked.status != ClaimStatus.PENDING:
            raise Refused(_("This claim is already decided."), code="already_decided")
        if confirm:
            if not rotation.cycle.post_match_open(now):
                raise Refused(_("The post-match round has ended."), code="post_match_closed")
            if Placement.objects.filter(rank_list=locked.rank_list).exists():
                raise Refused(
                    _("This student has a placement already; decline the claim."),
                    code="already_placed",
                )
            if open_seats(rotation, now) < 1:
                raise Refused(
                    _("%(rotation)s has no free seat left; decline the claim.")
                    % {"rotation": rotation.title},
                    code="no_seat_left",
                    status=409,
                )
            placement = Placement.objects.create(
                cycle=rotation.cycle,
                rank_list=locked.rank_list,
                rotation=rotation,
                source=PlacementSource.POST_MATCH,
                status=PlacementStatus.CONFIRMED,
                responded_at=locked.created_at,
                school_confirmed_at=now,
            )
            transaction.on_commit(lambda: task_placement_letter.enqueue(placement_id=placement.pk))
        locked.status = wanted
        locked.decided_at = now
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        _tell_student(
            locked, "second_round_claim_confirmed" if confirm else "second_round_claim_declined"
        )
        return locked

    return atomic_with_retry(decide)


@transaction.atomic
def institution_first_come_set(*, institution, accepts: bool):
    """The school (or programme staff) says whether it takes first-come claims."""
    type(institution).objects.filter(pk=institution.pk).update(accepts_first_come=accepts)
    institution.accepts_first_come = accepts
    return institution
