"""The scheduled lapse of offers nobody answered: the seat moves on to the next student on the
school's ranking, or stays open for the post-match round, and everyone concerned is told."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from exchanges.enums import PlacementSource, PlacementStatus, RotationStatus
from exchanges.models import ExchangeCycle, Placement, RankList, Rotation
from exchanges.selectors.schools import rotation_waitlist_next
from exchanges.services.common import atomic_with_retry, lock_row
from exchanges.services.placements import (
    open_seats,
    placement_tell_school,
    task_placement_letter,
)
from portal import jobs
from portal.emails import email_send

#: How long a student offered a seat from the waiting list has to answer (never past the end
#: of the post-match round): long enough to read the email, short enough for the seat to move
#: on again while the round is still open.
WAITLIST_ANSWER_TIME = timedelta(days=7)


def placements_lapse(*, now: datetime) -> dict[str, int]:
    """Store as lapsed each offer whose answer date has passed, and offer its seat on.

    Each placement in its own transaction, asked once (`jobs.once`), so that a second run, a
    second scheduler or a run by hand never lapses, offers or tells twice.
    """
    counts = {"lapsed": 0, "offered": 0}
    due = list(
        Placement.objects.filter(status=PlacementStatus.OFFERED, respond_by__lte=now)
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)
    )
    for placement_id in due:
        outcome = atomic_with_retry(lambda pk=placement_id: _lapse(pk, now))
        if outcome is not None:
            counts["lapsed"] += 1
            counts["offered"] += outcome
    return counts


def _lapse(placement_id: int, now: datetime) -> int | None:
    """Lapse one offer; None if it is no longer due, else how many seats went on (0 or 1)."""
    placement = lock_row(
        Placement.objects.select_related("cycle", "rotation__institution", "rank_list__student"),
        placement_id,
    )
    if placement.status != PlacementStatus.OFFERED or not placement.is_lapsed(now):
        return None  # answered meanwhile, or already lapsed by another run
    if not jobs.once(f"exchanges.lapse:placement:{placement.pk}"):
        return None
    placement.status = PlacementStatus.LAPSED
    placement.save(update_fields=["status"])
    successor = _offer_to_next(placement.cycle, placement.rotation_id, now)
    student = placement.rank_list.student
    email_send(
        to=[student.email],
        template="exchanges_placement_lapsed",
        context={
            "name": student.get_short_name(),
            "cycle": placement.cycle,
            "rotation": placement.rotation,
        },
        user=student,
    )
    placement_tell_school(
        placement,
        "exchanges_placement_lapsed_school",
        successor=successor.rank_list.student if successor else None,
    )
    return 1 if successor else 0


def _offer_to_next(cycle: ExchangeCycle, rotation_id: int, now: datetime) -> Placement | None:
    """Offer the free seat to the next student waiting on the school's ranking, while the
    post-match round is open; the rotation's row is locked and its seats counted, as for a
    claim, so a seat is never offered twice nor beyond capacity."""
    if not cycle.post_match_open(now):
        return None
    respond_by = now + WAITLIST_ANSWER_TIME
    if cycle.post_match_closes_at:
        respond_by = min(respond_by, cycle.post_match_closes_at)
    rotation = lock_row(Rotation.objects.select_related("institution"), rotation_id)
    if rotation.status != RotationStatus.PUBLISHED or open_seats(rotation, now) < 1:
        return None
    for _attempt in range(3):
        rank_list: RankList | None = rotation_waitlist_next(rotation)
        if rank_list is None:
            return None
        try:
            with transaction.atomic():
                placement = Placement.objects.create(
                    cycle=cycle,
                    rank_list=rank_list,
                    rotation=rotation,
                    source=PlacementSource.WAITLIST,
                    status=PlacementStatus.OFFERED,
                    respond_by=respond_by,
                )
        except IntegrityError:
            continue  # placed a moment ago by a claim of their own: ask for the next one
        student = rank_list.student
        email_send(
            to=[student.email],
            template="exchanges_waitlist_offered",
            context={
                "name": student.get_short_name(),
                "cycle": cycle,
                "rotation": rotation,
                "placement": placement,
            },
            user=student,
        )
        transaction.on_commit(
            lambda pk=placement.pk: task_placement_letter.enqueue(placement_id=pk)
        )
        return placement
    return None
