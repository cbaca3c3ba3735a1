"""Two students of a cycle rank together: one asks the other by email address, the other
accepts or declines, either dissolves the couple; while linked they rank pairs of rotations,
and the match uses those pairs instead of their own lists. Everything changes only while
students rank (before `ExchangeCycle.students_close_at`)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import Direction, RotationStatus
from exchanges.models import (
    Couple,
    CoupleChoice,
    CoupleStatus,
    ExchangeCycle,
    RankList,
    RankListEntry,
    Rotation,
)
from exchanges.selectors.couples import couple_current
from exchanges.services.common import lock_row, order_move, ranking_closed
from portal.emails import email_send
from portal.errors import Refused


def _ranking_open(cycle: ExchangeCycle, now) -> None:
    if not cycle.students_may_rank(now):
        raise ranking_closed(
            cycle,
            now=now,
            closes_at=cycle.students_close_at,
            deadline_passed=_(
                "The deadline to rank in %(cycle)s has passed; your partner and your pairs "
                "can no longer change."
            )
            % {"cycle": cycle.name},
        )


def _lock_lists(*rank_list_ids: int) -> None:
    """Lock the lists in id order, so that two students asking each other wait in turn."""
    for pk in sorted(set(rank_list_ids)):
        lock_row(RankList.objects.all(), pk)


def _tell(rank_list: RankList, template: str, other: RankList, cycle: ExchangeCycle) -> None:
    student = rank_list.student
    email_send(
        to=[student.email],
        template=template,
        context={"name": student.get_short_name(), "partner": str(other.student), "cycle": cycle},
        user=student,
    )


@transaction.atomic
def couple_propose(*, rank_list: RankList, email: str, now=None) -> Couple | None:
    """Ask the student with this address to rank with `rank_list`'s student. Returns the
    couple, or None when nobody with that address has a list in the cycle or that student
    is already in a couple: the person asking is told the same either way ("we sent the
    request if they take part"), so the answer reveals no account."""
    now = now or timezone.now()
    cycle = rank_list.cycle
    _ranking_open(cycle, now)
    address = email.strip()
    if address.casefold() == rank_list.student.email.casefold():
        raise Refused(_("You cannot rank with yourself."), code="self", field="email")
    other = (
        RankList.objects.select_related("student")
        .filter(cycle=cycle, student__email__iexact=address)
        .first()
    )
    _lock_lists(rank_list.pk, *([other.pk] if other else []))
    mine = couple_current(rank_list=rank_list)
    if mine is not None:
        if mine.first_id == rank_list.pk and other is not None and mine.second_id == other.pk:
            return mine  # asked again (a double click): the request stands
        if mine.is_proposed and mine.second_id == rank_list.pk:
            raise Refused(
                _("Someone asked you to rank with them. Accept or decline their request first."),
                code="answer_first",
            )
        raise Refused(
            _("You already have a partner or a request in this cycle. Dissolve it first."),
            code="already_in_couple",
        )
    if other is None or couple_current(rank_list=other) is not None:
        return None
    couple = Couple.objects.create(cycle=cycle, first=rank_list, second=other)
    _tell(other, "exchanges_couple_proposed", rank_list, cycle)
    return couple


def _locked(couple: Couple, rank_list: RankList, now) -> Couple:
    """The couple, locked, if `rank_list` is one of its members and students still rank."""
    _lock_lists(*couple.member_ids())
    couple = Couple.objects.select_related("cycle", "first__student", "second__student").get(
        pk=couple.pk
    )
    if rank_list.pk not in couple.member_ids():
        raise Refused(_("This is not your request."), code="not_yours")
    _ranking_open(couple.cycle, now)
    return couple


@transaction.atomic
def couple_answer(*, couple: Couple, rank_list: RankList, accept: bool, now=None) -> Couple:
    """The student asked accepts (the couple is linked) or declines (it is dissolved)."""
    now = now or timezone.now()
    couple = _locked(couple, rank_list, now)
    wanted = CoupleStatus.LINKED if accept else CoupleStatus.DISSOLVED
    if couple.status == wanted:
        return couple  # answered already (a double click)
    if not couple.is_proposed or couple.second_id != rank_list.pk:
        raise Refused(_("There is no request waiting for your answer."), code="not_waiting")
    couple.status = wanted
    couple.linked_at = now if accept else None
    couple.save(update_fields=["status", "linked_at"])
    template = "exchanges_couple_accepted" if accept else "exchanges_couple_declined"
    _tell(couple.first, template, couple.second, couple.cycle)
    return couple


@transaction.atomic
def couple_dissolve(*, couple: Couple, rank_list: RankList, now=None) -> Couple:
    """Either member ends the couple (or takes back their request): from now on the match
    uses each student's own list again."""
    now = now or timezone.now()
    couple = _locked(couple, rank_list, now)
    if couple.status == CoupleStatus.DISSOLVED:
        return couple
    was_linked = couple.is_linked
    couple.status = CoupleStatus.DISSOLVED
    couple.save(update_fields=["status"])
    if was_linked:
        other = couple.partner_of(rank_list.pk)
        _tell(other, "exchanges_couple_dissolved", rank_list, couple.cycle)
    return couple


def _linked(couple: Couple, rank_list: RankList, now) -> Couple:
    couple = _locked(couple, rank_list, now)
    if couple.status == CoupleStatus.DISSOLVED:  # a page left open while it was dissolved
        raise Refused(
            _("You no longer rank together. The match uses your own list again."),
            code="dissolved",
        )
    if not couple.is_linked:
        raise Refused(_("Pairs are ranked once your partner has accepted."), code="not_linked")
    return couple


def _pair_refusal(first: Rotation, second: Rotation) -> Refused | None:
    """Why two rotations cannot be a pair, or None: together means in one city or at one
    school, at overlapping dates, and two seats for one rotation named twice."""
    names = {"first": first.title, "second": second.title}
    if first.pk == second.pk:
        if first.capacity < 2:
            return Refused(
                _("%(first)s has one seat: a pair names a rotation twice only when it has two.")
                % names,
                code="one_seat",
            )
        return None
    same_city = first.country == second.country and (
        first.city.strip().casefold() == second.city.strip().casefold()
    )
    if not same_city and first.institution_id != second.institution_id:
        return Refused(
            _("%(first)s and %(second)s are neither in the same city nor at the same school.")
            % names,
            code="apart",
        )
    if first.start_date > second.end_date or second.start_date > first.end_date:
        return Refused(
            _("%(first)s and %(second)s do not overlap in time: one ends before the other starts.")
            % names,
            code="dates_apart",
        )
    return None


@transaction.atomic
def couple_choice_add(
    *,
    couple: Couple,
    rank_list: RankList,
    own_rotation_id: int,
    partner_rotation_id: int,
    now=None,
) -> CoupleChoice:
    """Add a pair at the end: `own_rotation_id` for the student acting, the other for their
    partner. Each must be on that student's own list (schools rank the students who list
    their rotation), published in the cycle, and the two together (`_pair_refusal`)."""
    now = now or timezone.now()
    couple = _linked(couple, rank_list, now)
    i_am_first = couple.first_id == rank_list.pk
    ids = (own_rotation_id, partner_rotation_id)
    if not i_am_first:
        ids = ids[::-1]
    rotations = Rotation.objects.filter(
        pk__in=ids, cycle=couple.cycle, status=RotationStatus.PUBLISHED
    ).in_bulk()
    if any(pk not in rotations for pk in ids):
        raise Refused(_("This rotation cannot be ranked in this cycle."), code="not_rankable")
    first, second = rotations[ids[0]], rotations[ids[1]]
    for member, rotation, own in (
        (couple.first, first, i_am_first),
        (couple.second, second, not i_am_first),
    ):
        if not RankListEntry.objects.filter(rank_list=member, rotation=rotation).exists():
            words = (
                _("Add %(rotation)s to your own list first: schools rank the students who list it.")
                if own
                else _(
                    "%(rotation)s is not on your partner's list. They add it to their own list "
                    "first: schools rank the students who list it."
                )
            )
            raise Refused(words % {"rotation": rotation.title}, code="not_on_list")
    refusal = _pair_refusal(first, second)
    if refusal is not None:
        raise refusal
    pairs = list(couple.choices.values_list("first_rotation_id", "second_rotation_id"))
    if (first.pk, second.pk) in pairs:
        raise Refused(_("This pair is already on your list."), code="already_on_list")
    if len(pairs) >= couple.cycle.max_ranks:
        raise Refused(
            _("You may rank up to %(count)s pairs. Remove one to add another.")
            % {"count": couple.cycle.max_ranks},
            code="list_full",
        )
    return CoupleChoice.objects.create(
        couple=couple, position=len(pairs) + 1, first_rotation=first, second_rotation=second
    )


def _write_positions(couple: Couple, order: list[int]) -> None:
    """Renumber the pairs 1.. in `order` (choice ids); ids stay, so links stay valid."""
    couple.choices.update(position=F("position") + 1000)  # out of the way of the unique key
    for position, pk in enumerate(order, start=1):
        CoupleChoice.objects.filter(pk=pk).update(position=position)


def _order(couple: Couple) -> list[int]:
    return list(couple.choices.order_by("position").values_list("pk", flat=True))


@transaction.atomic
def couple_choice_remove(*, couple: Couple, rank_list: RankList, choice_id: int, now=None) -> None:
    couple = _linked(couple, rank_list, now or timezone.now())
    order = _order(couple)
    if choice_id in order:  # gone already (a double click): nothing to do
        CoupleChoice.objects.filter(pk=choice_id).delete()
        order.remove(choice_id)
        _write_positions(couple, order)


@transaction.atomic
def couple_choice_move(
    *, couple: Couple, rank_list: RankList, choice_id: int, direction: Direction, now=None
) -> None:
    couple = _linked(couple, rank_list, now or timezone.now())
    order = _order(couple)
    if choice_id not in order:
        raise Refused(_("This pair is not on your list."), code="not_on_list")
    if order_move(order, choice_id, up=direction == Direction.UP):
        _write_positions(couple, order)
