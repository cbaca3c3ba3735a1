"""Staff run the stable match on a cycle's rank lists, compare runs, and publish one."""

import time
from collections import Counter

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges import couples, placement
from exchanges.enums import PlacementSource, PlacementStatus, RotationStatus
from exchanges.models import (
    Coordinator,
    ExchangeCycle,
    MatchRun,
    Placement,
    RankList,
    Rotation,
)
from exchanges.selectors.matching import MatchInputs, match_inputs
from exchanges.services.common import lock_row
from exchanges.services.placements import task_placement_letters
from portal import jobs
from portal.emails import email_send
from portal.errors import Refused
from portal.operations import progress_none
from portal.tasks import task


def _figures(inputs: MatchInputs, result: dict) -> dict[str, int]:
    """A couple member's choice is the rank of the couple's pair: both members of a couple
    placed on its first pair are at their first choice."""
    placed = sum(rotation is not None for rotation in result.values())
    choice: dict[int, int] = {}
    for s, ranked in inputs.students.items():
        if result.get(s) is not None and result[s] in ranked:
            choice[s] = ranked.index(result[s]) + 1
    for a, b, pairs in inputs.couples.values():
        here = (result.get(a), result.get(b))
        if here in pairs:
            choice[a] = choice[b] = pairs.index(here) + 1
    first = sum(1 for number in choice.values() if number == 1)
    top_three = sum(1 for number in choice.values() if number <= 3)
    return {
        "students": len(result),
        "placed": placed,
        "unplaced": len(result) - placed,
        "rotations": len(inputs.capacities),
        "seats": sum(inputs.capacities.values()),
        "seats_filled": placed,
        "first_choice": first,
        "top_three": top_three,
        "couples": len(inputs.couples),
        "left_out": len(inputs.excluded),
    }


def match_run_check(cycle: ExchangeCycle, now=None) -> None:
    """Refused when the match may not run now: asked before a run is queued, and again by
    the run itself."""
    if cycle.match_may_run(now or timezone.now()):
        return
    if cycle.published_run_id:
        raise Refused(
            _("The match of %(cycle)s is already published.") % {"cycle": cycle.name},
            code="already_published",
        )
    raise Refused(
        _("The match runs once both deadlines of %(cycle)s have passed.") % {"cycle": cycle.name},
        code="deadlines_not_passed",
    )


def match_run(
    *, cycle: ExchangeCycle, by, note: str = "", now=None, progress=progress_none
) -> MatchRun:
    """Run the match on the cycle's current lists and keep everything needed to repeat,
    compare, publish and explain it. Running again never changes an earlier run.

    The lists are read and matched outside any transaction (the deadlines have passed, so
    they no longer change); the run is numbered and stored with the cycle's row locked, and
    the deadlines are checked again there."""
    now = now or timezone.now()
    match_run_check(cycle, now)
    progress("reading")
    inputs = match_inputs(cycle=cycle)
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
        match_run_check(cycle, now)
        number = (cycle.runs.aggregate(last=Max("number"))["last"] or 0) + 1
        return MatchRun.objects.create(
            cycle=cycle,
            number=number,
            created_by=by,
            note=note.strip(),
            algorithm_version=(
                couples.ALGORITHM_VERSION if inputs.couples else placement.ALGORITHM_VERSION
            ),
            inputs=inputs.as_json(),
            result=[[s, r] for s, r in result.items()],
            stable=outcome.stable,
            couples_involved=list(outcome.couples_involved),
            duration_ms=duration_ms,
            **_figures(inputs, result),
        )


#: Recipients per email task after a publication: each task renders and sends its batch in
#: the worker, so publishing a national match writes rows and queues two tasks, no more.
EMAIL_BATCH = 200


@transaction.atomic
def match_publish(*, run: MatchRun, now=None, progress=progress_none) -> ExchangeCycle:
    """Offer every placement of this run, tell every student and school, and queue the
    placement letters. Exactly one run of a cycle is ever published.

    The request writes the placements in bulk and, once the transaction commits, queues two
    tasks: the letters, and the emails, which the worker splits into tasks of `EMAIL_BATCH`
    recipients (`match_published_batches`); each of those renders its emails in their
    readers' languages and sends them (`match_published_emails`)."""
    now = now or timezone.now()
    cycle = lock_row(ExchangeCycle.objects.all(), run.cycle_id)
    if cycle.published_run_id == run.pk:
        return cycle  # published already (a second click): nothing more to do
    if cycle.published_run_id:
        raise Refused(
            _("A match of %(cycle)s is already published.") % {"cycle": cycle.name},
            code="already_published",
        )
    if not cycle.match_may_run(now):
        raise Refused(
            _("The match can be published once both deadlines have passed."),
            code="deadlines_not_passed",
        )
    placed = {s: r for s, r in run.result if r is not None}
    progress("publishing")
    Placement.objects.bulk_create(
        (
            Placement(
                cycle_id=cycle.pk,
                run_id=run.pk,
                rank_list_id=rank_list_id,
                rotation_id=rotation_id,
                source=PlacementSource.MATCH,
                status=PlacementStatus.OFFERED,
                respond_by=cycle.respond_by,
            )
            for rank_list_id, rotation_id in placed.items()
        ),
        batch_size=2000,
    )
    cycle.published_run = run
    cycle.published_at = now
    cycle.save(update_fields=["published_run", "published_at"])
    cycle_id = cycle.pk
    transaction.on_commit(lambda: task_match_published_batches.enqueue(cycle_id=cycle_id))
    transaction.on_commit(lambda: task_placement_letters.enqueue(cycle_id=cycle_id))
    return cycle


def match_published_batches(*, cycle_id: int) -> int:
    """After a publication, in the worker: queue its emails, one task per `EMAIL_BATCH`
    recipients (every student of the published run, then every coordinator of a school with
    a published rotation). Returns how many tasks were queued."""
    cycle = ExchangeCycle.objects.select_related("published_run").get(pk=cycle_id)
    students = [[s, r] for s, r in cycle.published_run.result]  # JSON, as task arguments
    placed = {s: r for s, r in students if r is not None}
    schools = _school_counts(cycle, placed)
    queued = 0
    for recipients, key in ((students, "students"), (schools, "schools")):
        for start in range(0, len(recipients), EMAIL_BATCH):
            batch = recipients[start : start + EMAIL_BATCH]
            task_match_published_emails.enqueue(cycle_id=cycle_id, **{key: batch})
            queued += 1
    return queued


@task()
def task_match_published_batches(*, cycle_id: int) -> int:
    return match_published_batches(cycle_id=cycle_id)


def _school_counts(cycle: ExchangeCycle, placed: dict[int, int]) -> list[list[int]]:
    """(coordinator link id, students placed at their school) for every coordinator of a
    school with a published rotation in the cycle."""
    institution_of = dict(
        Rotation.objects.filter(pk__in=set(placed.values())).values_list("pk", "institution_id")
    )
    counts = Counter(institution_of[rotation_id] for rotation_id in placed.values())
    institution_ids = Rotation.objects.filter(cycle=cycle, status=RotationStatus.PUBLISHED).values(
        "institution_id"
    )
    return [
        [link_id, counts.get(institution_id, 0)]
        for link_id, institution_id in Coordinator.objects.filter(
            institution_id__in=institution_ids
        )
        .order_by("pk")
        .values_list("pk", "institution_id")
    ]


def match_published_emails(*, cycle_id: int, students: list = (), schools: list = ()) -> int:
    """Tell one batch that the match is published: each student (`[rank list id, rotation id
    or None]`) their offer or that they were not placed, each coordinator (`[link id,
    students placed]`) their school's count; each email rendered in its reader's language.
    Safe to run twice: each recipient is told once (`jobs.once`). Returns how many were told.
    """
    cycle = ExchangeCycle.objects.get(pk=cycle_id)
    rank_lists = RankList.objects.select_related("student").in_bulk([s for s, _r in students])
    rotations = Rotation.objects.select_related("institution").in_bulk(
        {r for _s, r in students if r is not None}
    )
    links = Coordinator.objects.select_related("user", "institution").in_bulk(
        [link_id for link_id, _count in schools]
    )
    told = 0
    with transaction.atomic():
        for rank_list_id, rotation_id in students:
            rank_list = rank_lists.get(rank_list_id)
            if rank_list is None or not jobs.once(f"match-published:{cycle_id}:{rank_list_id}"):
                continue
            rotation = rotations.get(rotation_id)
            student = rank_list.student
            email_send(
                to=[student.email],
                template="exchanges_placement_offered" if rotation else "exchanges_match_unplaced",
                context={"name": student.get_short_name(), "cycle": cycle, "rotation": rotation},
                user=student,
            )
            told += 1
        for link_id, count in schools:
            link = links.get(link_id)
            if link is None or not jobs.once(f"match-published:{cycle_id}:school:{link_id}"):
                continue
            email_send(
                to=[link.user.email],
                template="exchanges_match_published_school",
                context={
                    "name": link.user.get_short_name(),
                    "cycle": cycle,
                    "institution": link.institution,
                    "placed": count,
                },
                user=link.user,
            )
            told += 1
    return told


@task()
def task_match_published_emails(
    *, cycle_id: int, students: list | None = None, schools: list | None = None
) -> int:
    return match_published_emails(cycle_id=cycle_id, students=students or [], schools=schools or [])
