"""A partner school orders the students who ranked one of its rotations, or marks them not
acceptable, and submits the ranking before the cycle's deadline for schools."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import Direction
from exchanges.models import Rotation, SchoolRankEntry
from exchanges.selectors.schools import rotation_applicant_ids, school_rank_to_review
from exchanges.services.common import lock_row, order_move, ranking_closed
from portal.errors import Refused


def _open_for_changes(rotation: Rotation, now) -> Rotation:
    locked = lock_row(Rotation.objects.select_related("cycle"), rotation.pk)
    cycle = locked.cycle
    if cycle is None:
        raise Refused(_("This rotation is not part of an exchange cycle."), code="not_in_cycle")
    if not cycle.schools_may_rank(now):
        raise ranking_closed(
            cycle,
            now=now,
            closes_at=cycle.schools_close_at,
            deadline_passed=_("The deadline for schools to rank students in %(cycle)s has passed.")
            % {"cycle": cycle.name},
        )
    return locked


def _ranked_order(rotation: Rotation) -> list[int]:
    return list(
        SchoolRankEntry.objects.filter(rotation=rotation, position__isnull=False)
        .order_by("position")
        .values_list("rank_list_id", flat=True)
    )


def _write_order(rotation: Rotation, rank_list_ids: Sequence[int]) -> None:
    SchoolRankEntry.objects.filter(rotation=rotation, rank_list_id__in=rank_list_ids).delete()
    SchoolRankEntry.objects.filter(rotation=rotation, position__isnull=False).delete()
    SchoolRankEntry.objects.bulk_create(
        SchoolRankEntry(rotation=rotation, rank_list_id=rank_list_id, position=position)
        for position, rank_list_id in enumerate(rank_list_ids, start=1)
    )


@transaction.atomic
def school_rank_decide(
    *, rotation: Rotation, rank_list_id: int, acceptable: bool, now=None
) -> None:
    """Put a student at the end of the rotation's order, or mark them not acceptable."""
    rotation = _open_for_changes(rotation, now or timezone.now())
    if rank_list_id not in rotation_applicant_ids(rotation):
        raise Refused(_("This student has not ranked this rotation."), code="not_an_applicant")
    order = _ranked_order(rotation)
    if acceptable:
        if rank_list_id not in order:
            order.append(rank_list_id)
        _write_order(rotation, order)
        return
    if rank_list_id in order:
        order.remove(rank_list_id)
    _write_order(rotation, order)
    SchoolRankEntry.objects.update_or_create(
        rotation=rotation, rank_list_id=rank_list_id, defaults={"position": None}
    )


@transaction.atomic
def school_rank_move(
    *, rotation: Rotation, rank_list_id: int, direction: Direction, now=None
) -> None:
    rotation = _open_for_changes(rotation, now or timezone.now())
    order = _ranked_order(rotation)
    if rank_list_id not in order:
        raise Refused(_("This student is not in the ranking."), code="not_in_ranking")
    if order_move(order, rank_list_id, up=direction == Direction.UP):
        _write_order(rotation, order)


@transaction.atomic
def school_rank_reorder(*, rotation: Rotation, rank_list_ids: Sequence[int], now=None) -> None:
    rotation = _open_for_changes(rotation, now or timezone.now())
    wanted = list(dict.fromkeys(rank_list_ids))
    if sorted(wanted) != sorted(_ranked_order(rotation)):
        raise Refused(
            _("The ranking changed in another window. Here it is as saved."),
            code="stale",
            status=409,
        )
    _write_order(rotation, wanted)


@transaction.atomic
def school_rank_submit(*, rotation: Rotation, now=None) -> Rotation:
    now = now or timezone.now()
    rotation = _open_for_changes(rotation, now)
    if rotation.ranking_submitted_at is not None:
        return rotation  # submitted already (a second click): the first time stands
    waiting = school_rank_to_review(rotation)
    if waiting:
        raise Refused(
            _(
                "Rank each student or mark them not acceptable before you submit: "
                "%(count)s still to review."
            )
            % {"count": waiting},
            code="students_to_review",
        )
    rotation.ranking_submitted_at = now
    rotation.save(update_fields=["ranking_submitted_at"])
    return rotation
