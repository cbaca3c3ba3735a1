"""The second round after a published match: staff open its window, unplaced students rank
the rotations with free seats, schools accept or rank their new applicants, and once the
window has closed a second run of the same match places them (`exchanges.services.second_run`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import Direction
from exchanges.models import (
    Coordinator,
    ExchangeCycle,
    RankList,
    Rotation,
    SecondRound,
    SecondRoundChoice,
    SecondRoundDecision,
)
from exchanges.selectors.second_round import (
    eligible_lists,
    free_seats,
    is_eligible,
)
from exchanges.services.common import lock_row, order_move
from portal import jobs
from portal.emails import email_send
from portal.errors import Refused
from portal.tasks import task


def refuse_unless_published(cycle: ExchangeCycle, now) -> None:
    if not cycle.published_run_id:
        raise Refused(
            _("The second round opens after the main match of %(cycle)s is published.")
            % {"cycle": cycle.name},
            code="not_published",
        )
    if not cycle.post_match_open(now):
        raise Refused(
            _("The post-match round of %(cycle)s has ended.") % {"cycle": cycle.name},
            code="post_match_closed",
        )


@transaction.atomic
def second_round_open(*, cycle: ExchangeCycle, closes_at, by, now=None) -> SecondRound:
    """Open the cycle's second round now, until `closes_at`, and tell the eligible students
    and the coordinators of schools with free seats (in the worker). Opening it again (a
    double click) with the same closing time changes nothing."""
    now = now or timezone.now()
    cycle = lock_row(ExchangeCycle.objects.all(), cycle.pk)
    existing = SecondRound.objects.filter(cycle=cycle).first()
    if existing is not None:
        if existing.closes_at == closes_at:
            return existing
        raise Refused(
            _("The second round of %(cycle)s is already open.") % {"cycle": cycle.name},
            code="already_open",
        )
    refuse_unless_published(cycle, now)
    if closes_at <= now:
        raise Refused(
            _("The second round must close after it opens."),
            code="closes_too_soon",
            field="closes_at",
        )
    if cycle.post_match_closes_at and closes_at >= cycle.post_match_closes_at:
        raise Refused(
            _("The second round must close before the post-match round ends."),
            code="closes_too_late",
            field="closes_at",
        )
    second = SecondRound.objects.create(
        cycle=cycle, opens_at=now, closes_at=closes_at, opened_by=by
    )
    cycle_id = cycle.pk
    transaction.on_commit(lambda: task_second_round_opened_emails.enqueue(cycle_id=cycle_id))
    return second


def second_round_opened_emails(*, cycle_id: int) -> int:
    """Tell each eligible student and each coordinator of a school with free seats that the
    second round is open; each once (`jobs.once`), so a retried task tells nobody twice."""
    cycle = ExchangeCycle.objects.select_related("second_round").get(pk=cycle_id)
    second = cycle.second_round
    told = 0
    for rank_list in eligible_lists(cycle=cycle).select_related("student").order_by("pk"):
        with transaction.atomic():
            if not jobs.once(f"exchanges.second-round:{cycle_id}:student:{rank_list.pk}"):
                continue
            email_send(
                to=[rank_list.student.email],
                template="second_round_opened_student",
                context={
                    "name": rank_list.student.get_short_name(),
                    "cycle": cycle,
                    "second_round": second,
                },
                user=rank_list.student,
            )
            told += 1
    institutions = Rotation.objects.filter(pk__in=free_seats(cycle=cycle)).values("institution_id")
    for link in (
        Coordinator.objects.filter(institution_id__in=institutions)
        .select_related("user", "institution")
        .order_by("pk")
    ):
        with transaction.atomic():
            if not jobs.once(f"exchanges.second-round:{cycle_id}:school:{link.pk}"):
                continue
            email_send(
                to=[link.user.email],
                template="second_round_opened_school",
                context={
                    "name": link.user.get_short_name(),
                    "cycle": cycle,
                    "second_round": second,
                    "institution": link.institution,
                },
                user=link.user,
            )
            told += 1
    return told


@task()
def task_second_round_opened_emails(*, cycle_id: int) -> int:
    return second_round_opened_emails(cycle_id=cycle_id)


def _open_round(cycle: ExchangeCycle, now) -> SecondRound:
    second = SecondRound.objects.filter(cycle=cycle).first()
    if second is None or not second.is_open(now):
        raise Refused(
            _("The second round of %(cycle)s is not open.") % {"cycle": cycle.name},
            code="round_closed",
        )
    return second


# The student's second-round list -------------------------------------------------------


def _student_list(rank_list: RankList, now) -> RankList:
    locked = lock_row(RankList.objects.select_related("cycle"), rank_list.pk)
    _open_round(locked.cycle, now)
    if not is_eligible(rank_list=locked):
        raise Refused(
            _("The second round is for students who took part in the match and have no placement."),
            code="not_eligible",
        )
    return locked


def _choice_order(rank_list: RankList) -> list[int]:
    return list(
        SecondRoundChoice.objects.filter(rank_list=rank_list)
        .order_by("position")
        .values_list("rotation_id", flat=True)
    )


def _choice_write(rank_list: RankList, order: list[int]) -> None:
    SecondRoundChoice.objects.filter(rank_list=rank_list).delete()
    SecondRoundChoice.objects.bulk_create(
        SecondRoundChoice(rank_list=rank_list, rotation_id=rotation_id, position=position)
        for position, rotation_id in enumerate(order, start=1)
    )


@transaction.atomic
def second_round_choice_add(*, rank_list: RankList, rotation: Rotation, now=None) -> RankList:
    """Put an open rotation last on the student's second-round list; again is harmless."""
    now = now or timezone.now()
    locked = _student_list(rank_list, now)
    order = _choice_order(locked)
    if rotation.pk in order:
        return locked
    if rotation.pk not in free_seats(cycle=locked.cycle, now=now, rotation_ids=[rotation.pk]):
        raise Refused(
            _("%(rotation)s has no free seat in the second round.") % {"rotation": rotation.title},
            code="no_free_seat",
        )
    if len(order) >= locked.cycle.max_ranks:
        raise Refused(
            _("You may rank up to %(count)s rotations.") % {"count": locked.cycle.max_ranks},
            code="list_full",
        )
    SecondRoundChoice.objects.create(rank_list=locked, rotation=rotation, position=len(order) + 1)
    return locked


@transaction.atomic
def second_round_choice_remove(*, rank_list: RankList, rotation_id: int, now=None) -> RankList:
    now = now or timezone.now()
    locked = _student_list(rank_list, now)
    order = _choice_order(locked)
    if rotation_id in order:
        order.remove(rotation_id)
        _choice_write(locked, order)
    return locked


@transaction.atomic
def second_round_choice_move(
    *, rank_list: RankList, rotation_id: int, direction: Direction, now=None
) -> RankList:
    now = now or timezone.now()
    locked = _student_list(rank_list, now)
    order = _choice_order(locked)
    if rotation_id not in order:
        raise Refused(_("This rotation is not on your second-round list."), code="not_on_list")
    if order_move(order, rotation_id, up=direction == Direction.UP):
        _choice_write(locked, order)
    return locked


# The school's second-round decisions ---------------------------------------------------


def _school_rotation(rotation: Rotation, rank_list: RankList, now) -> Rotation:
    locked = lock_row(Rotation.objects.select_related("cycle"), rotation.pk)
    if locked.cycle is None:
        raise Refused(_("This rotation is not part of an exchange cycle."), code="not_in_cycle")
    _open_round(locked.cycle, now)
    applied = SecondRoundChoice.objects.filter(rotation=locked, rank_list=rank_list).exists()
    if not applied or not is_eligible(rank_list=rank_list):
        raise Refused(
            _("This student does not apply to this rotation in the second round."),
            code="not_applicant",
        )
    return locked


def _accepted_order(rotation: Rotation) -> list[int]:
    return list(
        SecondRoundDecision.objects.filter(rotation=rotation, position__isnull=False)
        .order_by("position")
        .values_list("rank_list_id", flat=True)
    )


def _accepted_write(rotation: Rotation, order: list[int]) -> None:
    """Rewrite the accepted order: clear the positions first, so that no two rows share one
    on the way (a unique constraint)."""
    SecondRoundDecision.objects.filter(rotation=rotation, rank_list_id__in=order).update(
        position=None
    )
    for position, rank_list_id in enumerate(order, start=1):
        SecondRoundDecision.objects.filter(rotation=rotation, rank_list_id=rank_list_id).update(
            position=position
        )


@transaction.atomic
def second_round_decide(
    *, rotation: Rotation, rank_list: RankList, accept: bool, now=None
) -> SecondRoundDecision:
    """The school accepts an applicant (last in its order) or finds them not acceptable.
    The same decision again changes nothing."""
    now = now or timezone.now()
    locked = _school_rotation(rotation, rank_list, now)
    decision = SecondRoundDecision.objects.filter(rotation=locked, rank_list=rank_list).first()
    if decision is not None and decision.acceptable == accept:
        return decision
    order = _accepted_order(locked)
    if rank_list.pk in order:
        order.remove(rank_list.pk)
    if decision is None:
        decision = SecondRoundDecision.objects.create(rotation=locked, rank_list=rank_list)
    else:
        decision.position = None
        decision.save(update_fields=["position", "decided_at"])
    _accepted_write(locked, order)  # closes the gap the student may have left
    if accept:
        decision.position = len(order) + 1
        decision.save(update_fields=["position", "decided_at"])
    return decision


@transaction.atomic
def second_round_decision_move(
    *, rotation: Rotation, rank_list: RankList, direction: Direction, now=None
) -> None:
    now = now or timezone.now()
    locked = _school_rotation(rotation, rank_list, now)
    order = _accepted_order(locked)
    if rank_list.pk not in order:
        raise Refused(_("Accept this student before you order them."), code="not_accepted")
    if order_move(order, rank_list.pk, up=direction == Direction.UP):
        _accepted_write(locked, order)
