"""The second round's run, once its window has closed: the same stable match as the main run
over the free seats and both sides' second-round lists, and its publication, which offers its
placements as the main publication does."""

import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges import couples, placement
from exchanges.enums import PlacementSource, PlacementStatus
from exchanges.models import (
    ExchangeCycle,
    MatchRound,
    MatchRun,
    Placement,
    RankList,
    Rotation,
    SecondRound,
)
from exchanges.selectors.second_round import free_seats, second_round_inputs
from exchanges.services.common import lock_row
from exchanges.services.matching import _figures as run_figures
from exchanges.services.placements import task_placement_letters
from exchanges.services.second_round import refuse_unless_published
from portal import jobs
from portal.emails import email_send
from portal.errors import Refused
from portal.operations import progress_none
from portal.tasks import task

#: How long a student placed by the second run has to confirm or decline (never past the end
#: of the post-match round), as for a seat offered from a school's waiting list.
SECOND_ROUND_ANSWER_TIME = timedelta(days=7)


def second_round_run_check(cycle: ExchangeCycle, now=None) -> SecondRound:
    """Refused when the second run may not run now: asked before a run is queued, and again
    by the run itself."""
    now = now or timezone.now()
    second = SecondRound.objects.filter(cycle=cycle).first()
    if second is None:
        raise Refused(
            _("%(cycle)s has no second round.") % {"cycle": cycle.name}, code="no_second_round"
        )
    if second.published_run_id:
        raise Refused(
            _("The second run of %(cycle)s is already published.") % {"cycle": cycle.name},
            code="already_published",
        )
    if not second.has_closed(now):
        raise Refused(
            _("The second run runs once the second round's window has closed."),
            code="window_open",
        )
    refuse_unless_published(cycle, now)
    return second


def second_round_run(
    *, cycle: ExchangeCycle, by, note: str = "", now=None, progress=progress_none
) -> MatchRun:
    """The same stable match as the main run (`match_run`), over the free seats, eligible
    students, their second-round lists and the schools' second-round orders; kept as a run of
    the cycle marked for the second round."""
    now = now or timezone.now()
    second_round_run_check(cycle, now)
    progress("reading")
    inputs = second_round_inputs(cycle=cycle, now=now)
    progress("matching")
    started = time.perf_counter()
    outcome = couples.stable_match_with_couples(
        inputs.students, inputs.couples, inputs.rotations, inputs.capacities
    )
    result = outcome.placement
    duration_ms = round((time.perf_counter() - started) * 1000)
    progress("saving")
    with transaction.atomic():
        cycle = lock_row(ExchangeCycle.objects.all(), cycle.pk)
        second_round_run_check(cycle, now)
        number = (cycle.runs.aggregate(last=Max("number"))["last"] or 0) + 1
        return MatchRun.objects.create(
            cycle=cycle,
            number=number,
            created_by=by,
            note=note.strip(),
            algorithm_version=placement.ALGORITHM_VERSION,
            match_round=MatchRound.SECOND,
            inputs=inputs.as_json(),
            result=[[s, r] for s, r in result.items()],
            stable=outcome.stable,
            couples_involved=list(outcome.couples_involved),
            duration_ms=duration_ms,
            **run_figures(inputs, result),
        )


@transaction.atomic
def second_round_publish(*, run: MatchRun, now=None, progress=progress_none) -> SecondRound:
    """Offer every placement of this second run, as the main publication does (an offer to
    answer, a letter, an email each), and tell the students it did not place. A student
    placed meanwhile, or a seat taken meanwhile (a lapse's waiting list), is skipped: the
    rotations' rows are locked and their seats counted again here."""
    now = now or timezone.now()
    if run.match_round != MatchRound.SECOND:
        raise Refused(_("This run is not a second-round run."), code="not_second_round")
    cycle = lock_row(ExchangeCycle.objects.all(), run.cycle_id)
    second = lock_row(SecondRound.objects.all(), cycle.second_round.pk)
    if second.published_run_id == run.pk:
        return second  # published already (a second click)
    second_round_run_check(cycle, now)
    placed = {s: r for s, r in run.result if r is not None}
    progress("publishing")
    for rotation_id in sorted(set(placed.values())):
        lock_row(Rotation.objects.all(), rotation_id)
    seats = free_seats(cycle=cycle, now=now, rotation_ids=set(placed.values()))
    already = set(
        Placement.objects.filter(rank_list_id__in=placed).values_list("rank_list_id", flat=True)
    )
    respond_by = now + SECOND_ROUND_ANSWER_TIME
    if cycle.post_match_closes_at:
        respond_by = min(respond_by, cycle.post_match_closes_at)
    offers = []
    for rank_list_id, rotation_id in placed.items():
        if rank_list_id in already or seats.get(rotation_id, 0) < 1:
            continue
        seats[rotation_id] -= 1
        offers.append(
            Placement(
                cycle_id=cycle.pk,
                run_id=run.pk,
                rank_list_id=rank_list_id,
                rotation_id=rotation_id,
                source=PlacementSource.MATCH,
                status=PlacementStatus.OFFERED,
                respond_by=respond_by,
            )
        )
    Placement.objects.bulk_create(offers, batch_size=2000)
    second.published_run = run
    second.published_at = now
    second.save(update_fields=["published_run", "published_at"])
    cycle_id, run_id = cycle.pk, run.pk
    transaction.on_commit(
        lambda: task_second_round_published_emails.enqueue(cycle_id=cycle_id, run_id=run_id)
    )
    transaction.on_commit(lambda: task_placement_letters.enqueue(cycle_id=cycle_id))
    return second


def second_round_published_emails(*, cycle_id: int, run_id: int) -> int:
    """Tell each student of the second run their offer or that it did not place them, each
    once, in their own language."""
    cycle = ExchangeCycle.objects.get(pk=cycle_id)
    offers = {
        p.rank_list_id: p
        for p in Placement.objects.filter(run_id=run_id).select_related("rotation__institution")
    }
    run = MatchRun.objects.only("result").get(pk=run_id)
    lists = RankList.objects.select_related("student").in_bulk([s for s, _r in run.result])
    told = 0
    for rank_list_id, _rotation in run.result:
        rank_list = lists.get(rank_list_id)
        if rank_list is None:
            continue
        with transaction.atomic():
            if not jobs.once(f"exchanges.second-run:{run_id}:{rank_list_id}"):
                continue
            offer = offers.get(rank_list_id)
            student = rank_list.student
            email_send(
                to=[student.email],
                template="second_round_placed" if offer else "second_round_unplaced",
                context={
                    "name": student.get_short_name(),
                    "cycle": cycle,
                    "placement": offer,
                    "rotation": offer.rotation if offer else None,
                },
                user=student,
            )
            told += 1
    return told


@task()
def task_second_round_published_emails(*, cycle_id: int, run_id: int) -> int:
    return second_round_published_emails(cycle_id=cycle_id, run_id=run_id)
