"""Staff run the stable match on a cycle's rank lists, compare runs, and publish one."""

import time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges import placement
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
from portal.emails import email_send, recipient_language
from portal.errors import Refused


def _figures(inputs: MatchInputs, result: dict) -> dict[str, int]:
    placed = sum(rotation is not None for rotation in result.values())
    first = sum(1 for s, r in result.items() if r is not None and inputs.students[s][:1] == [r])
    top_three = sum(1 for s, r in result.items() if r is not None and r in inputs.students[s][:3])
    return {
        "students": len(result),
        "placed": placed,
        "unplaced": len(result) - placed,
        "rotations": len(inputs.capacities),
        "seats": sum(inputs.capacities.values()),
        "seats_filled": placed,
        "first_choice": first,
        "top_three": top_three,
    }


@transaction.atomic
def match_run(*, cycle: ExchangeCycle, by, note: str = "", now=None) -> MatchRun:
    """Run the match on the cycle's current lists and keep everything needed to repeat,
    compare, publish and explain it. Running again never changes an earlier run."""
    cycle = lock_row(ExchangeCycle.objects.all(), cycle.pk)
    if not cycle.match_may_run(now or timezone.now()):
        if cycle.published_run_id:
            raise Refused(
                _("The match of %(cycle)s is already published.") % {"cycle": cycle.name},
                code="already_published",
            )
        raise Refused(
            _("The match runs once both deadlines of %(cycle)s have passed.")
            % {"cycle": cycle.name},
            code="deadlines_not_passed",
        )
    inputs = match_inputs(cycle=cycle)
    started = time.perf_counter()
    result = placement.stable_match(inputs.students, inputs.rotations, inputs.capacities)
    duration_ms = round((time.perf_counter() - started) * 1000)
    number = (cycle.runs.aggregate(last=Max("number"))["last"] or 0) + 1
    return MatchRun.objects.create(
        cycle=cycle,
        number=number,
        created_by=by,
        note=note.strip(),
        algorithm_version=placement.ALGORITHM_VERSION,
        inputs=inputs.as_json(),
        result=[[s, r] for s, r in result.items()],
        duration_ms=duration_ms,
        **_figures(inputs, result),
    )


@transaction.atomic
def match_publish(*, run: MatchRun, now=None) -> ExchangeCycle:
    """Offer every placement of this run, tell every student and school, and queue the
    placement letters. Exactly one run of a cycle is ever published."""
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
    Placement.objects.bulk_create(
        Placement(
            cycle=cycle,
            run=run,
            rank_list_id=rank_list_id,
            rotation_id=rotation_id,
            source=PlacementSource.MATCH,
            status=PlacementStatus.OFFERED,
            respond_by=cycle.respond_by,
        )
        for rank_list_id, rotation_id in placed.items()
    )
    cycle.published_run = run
    cycle.published_at = now
    cycle.save(update_fields=["published_run", "published_at"])
    _notify_publication(cycle, run, placed)
    transaction.on_commit(lambda: task_placement_letters.enqueue(cycle_id=cycle.pk))
    return cycle


def _notify_publication(cycle: ExchangeCycle, run: MatchRun, placed: dict[int, int]) -> None:
    rank_lists = RankList.objects.filter(pk__in=[s for s, _r in run.result]).select_related(
        "student"
    )
    rotations = Rotation.objects.select_related("institution").in_bulk(set(placed.values()))
    for rank_list in rank_lists:
        student = rank_list.student
        rotation = rotations.get(placed.get(rank_list.pk))
        email_send(
            to=[student.email],
            template="exchanges_placement_offered" if rotation else "exchanges_match_unplaced",
            context={"name": student.get_short_name(), "cycle": cycle, "rotation": rotation},
            language=recipient_language(student),
        )
    counts: dict[int, int] = {}
    for rotation_id in placed.values():
        institution_id = rotations[rotation_id].institution_id
        counts[institution_id] = counts.get(institution_id, 0) + 1
    institution_ids = set(
        Rotation.objects.filter(cycle=cycle, status=RotationStatus.PUBLISHED).values_list(
            "institution_id", flat=True
        )
    )
    for link in Coordinator.objects.filter(institution_id__in=institution_ids).select_related(
        "user", "institution"
    ):
        email_send(
            to=[link.user.email],
            template="exchanges_match_published_school",
            context={
                "name": link.user.get_short_name(),
                "cycle": cycle,
                "institution": link.institution,
                "placed": counts.get(link.institution_id, 0),
            },
            language=recipient_language(link.user),
        )
