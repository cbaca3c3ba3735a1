"""A student builds, orders and submits their rank list of rotations in an open cycle."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import Direction, RotationStatus
from exchanges.models import ExchangeCycle, RankList, RankListEntry, Rotation
from exchanges.selectors.students import rank_list_missing
from exchanges.services.common import (
    full_clean_or_refuse,
    lock_row,
    order_move,
    ranking_closed,
)
from portal.errors import Refused


def rank_list_for(*, cycle: ExchangeCycle, student) -> RankList:
    """The student's list in this cycle, created on first use with the dossier of their
    previous cycle filled in (school, year of study and languages rarely change)."""
    rank_list = RankList.objects.filter(cycle=cycle, student=student).first()
    if rank_list is not None:
        return rank_list
    previous = RankList.objects.filter(student=student).order_by("-created_at").first()
    profile = (
        {
            "home_school": previous.home_school,
            "year_of_study": previous.year_of_study,
            "languages": previous.languages,
        }
        if previous
        else {}
    )
    rank_list, _created = RankList.objects.get_or_create(
        cycle=cycle, student=student, defaults=profile
    )
    return rank_list


def _open_for_changes(rank_list: RankList, now) -> RankList:
    """Lock the list, and refuse politely once the cycle's students' deadline has passed."""
    locked = lock_row(RankList.objects.select_related("cycle"), rank_list.pk)
    cycle = locked.cycle
    if not cycle.students_may_rank(now):
        raise ranking_closed(
            cycle,
            now=now,
            closes_at=cycle.students_close_at,
            deadline_passed=_(
                "The deadline to rank rotations in %(cycle)s has passed; "
                "your list can no longer change."
            )
            % {"cycle": cycle.name},
        )
    return locked


def _still_submitted(rank_list: RankList) -> None:
    """A change keeps a submitted list submitted only while it stays complete."""
    if rank_list.submitted_at and rank_list_missing(rank_list):
        rank_list.submitted_at = None
    rank_list.save(update_fields=["submitted_at", "updated_at"])


def _write_order(rank_list: RankList, rotation_ids: Sequence[int]) -> None:
    # Positions are unique per list: rewriting the few rows beats shuffling them in place.
    RankListEntry.objects.filter(rank_list=rank_list).delete()
    RankListEntry.objects.bulk_create(
        RankListEntry(rank_list=rank_list, rotation_id=rotation_id, position=position)
        for position, rotation_id in enumerate(rotation_ids, start=1)
    )


def _current_order(rank_list: RankList) -> list[int]:
    return list(rank_list.entries.order_by("position").values_list("rotation_id", flat=True))


@transaction.atomic
def rank_list_add(*, rank_list: RankList, rotation: Rotation, now=None) -> RankList:
    now = now or timezone.now()
    rank_list = _open_for_changes(rank_list, now)
    order = _current_order(rank_list)
    if rotation.pk in order:
        raise Refused(
            _("%(rotation)s is already on your list.") % {"rotation": rotation.title},
            code="already_on_list",
        )
    if rotation.cycle_id != rank_list.cycle_id or rotation.status != RotationStatus.PUBLISHED:
        raise Refused(_("This rotation cannot be ranked in this cycle."), code="not_rankable")
    if rotation.deadline and now >= rotation.deadline:
        raise Refused(
            _("The deadline to apply to %(rotation)s has passed.") % {"rotation": rotation.title},
            code="rotation_deadline_passed",
        )
    if len(order) >= rank_list.cycle.max_ranks:
        raise Refused(
            _("You may rank up to %(count)s rotations. Remove one to add another.")
            % {"count": rank_list.cycle.max_ranks},
            code="list_full",
        )
    RankListEntry.objects.create(rank_list=rank_list, rotation=rotation, position=len(order) + 1)
    _still_submitted(rank_list)
    return rank_list


@transaction.atomic
def rank_list_remove(*, rank_list: RankList, rotation_id: int, now=None) -> RankList:
    rank_list = _open_for_changes(rank_list, now or timezone.now())
    order = _current_order(rank_list)
    if rotation_id in order:
        order.remove(rotation_id)
        _write_order(rank_list, order)
    _still_submitted(rank_list)
    return rank_list


@transaction.atomic
def rank_list_move(
    *, rank_list: RankList, rotation_id: int, direction: Direction, now=None
) -> RankList:
    rank_list = _open_for_changes(rank_list, now or timezone.now())
    order = _current_order(rank_list)
    if rotation_id not in order:
        raise Refused(_("This rotation is not on your list."), code="not_on_list")
    if order_move(order, rotation_id, up=direction == Direction.UP):
        _write_order(rank_list, order)
        _still_submitted(rank_list)
    return rank_list


@transaction.atomic
def rank_list_reorder(*, rank_list: RankList, rotation_ids: Sequence[int], now=None) -> RankList:
    """The order sent by drag and drop: it must name exactly the rotations on the list."""
    rank_list = _open_for_changes(rank_list, now or timezone.now())
    order = _current_order(rank_list)
    wanted = list(dict.fromkeys(rotation_ids))
    if sorted(wanted) != sorted(order):
        raise Refused(
            _("Your list changed in another window. Here it is as saved."), code="stale", status=409
        )
    _write_order(rank_list, wanted)
    _still_submitted(rank_list)
    return rank_list


@transaction.atomic
def rank_list_update_profile(
    *,
    rank_list: RankList,
    home_school: str,
    year_of_study: int | None,
    languages: Sequence[str],
    now=None,
) -> RankList:
    rank_list = _open_for_changes(rank_list, now or timezone.now())
    rank_list.home_school = home_school.strip()
    rank_list.year_of_study = year_of_study
    rank_list.languages = list(dict.fromkeys(languages))
    full_clean_or_refuse(rank_list, exclude=["cycle", "student"])
    rank_list.save(update_fields=["home_school", "year_of_study", "languages", "updated_at"])
    _still_submitted(rank_list)
    return rank_list


@transaction.atomic
def rank_list_submit(*, rank_list: RankList, now=None) -> RankList:
    now = now or timezone.now()
    rank_list = _open_for_changes(rank_list, now)
    if rank_list.submitted_at is not None:
        # Submitted again (a double click, a retry): it is in the match already, as it was.
        return rank_list
    missing = rank_list_missing(rank_list)
    if missing:
        raise Refused(
            _("Your list is not submitted yet. It still needs:"), code="incomplete", details=missing
        )
    rank_list.submitted_at = now
    rank_list.save(update_fields=["submitted_at", "updated_at"])
    return rank_list


@transaction.atomic
def rank_list_withdraw(*, rank_list: RankList, now=None) -> RankList:
    """Take the list out of the match; it can be submitted again before the deadline."""
    rank_list = _open_for_changes(rank_list, now or timezone.now())
    rank_list.submitted_at = None
    rank_list.save(update_fields=["submitted_at", "updated_at"])
    return rank_list
