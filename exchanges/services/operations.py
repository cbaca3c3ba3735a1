"""The exchange work that runs in the worker with a progress page (`portal.operations`): a
match run and the publication of a run."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from exchanges.models import ExchangeCycle, MatchRound, MatchRun, Placement
from exchanges.services.matching import match_publish, match_run
from exchanges.services.second_run import second_round_publish, second_round_run
from portal import operations
from portal.permissions import allowed

RUN = "exchanges.match_run"
PUBLISH = "exchanges.match_publish"


def subject(cycle_id: int) -> str:
    return f"cycle:{cycle_id}"


def _runs_matches(user, operation) -> bool:
    return allowed(user, "exchanges.run_match")


def _cycle_url(operation) -> str:
    return reverse("exchanges:staff_cycle", args=[operation.params["cycle_id"]])


def _run(
    operation, progress, *, cycle_id: int, note: str = "", match_round: str = MatchRound.MAIN
) -> dict:
    """The main match, or the second round's run (issue 17) when `match_round` says so."""
    cycle = ExchangeCycle.objects.get(pk=cycle_id)
    run_for = second_round_run if match_round == MatchRound.SECOND else match_run
    run = run_for(cycle=cycle, by=operation.started_by, note=note, progress=progress)
    return {"run_id": run.pk, "number": run.number, "placed": run.placed, "students": run.students}


def _run_summary(result: dict) -> str:
    return _("Run %(number)s placed %(placed)s of %(students)s students.") % result


def _run_url(operation) -> str:
    if "run_id" in operation.result:
        return reverse("exchanges:staff_run", args=[operation.result["run_id"]])
    return _cycle_url(operation)


def _publish(operation, progress, *, cycle_id: int, run_id: int) -> dict:
    run = MatchRun.objects.get(pk=run_id, cycle_id=cycle_id)
    publish = second_round_publish if run.match_round == MatchRound.SECOND else match_publish
    publish(run=run, progress=progress)
    return {"number": run.number, "placed": run.placed}


def _publish_summary(result: dict) -> str:
    return _(
        "Run %(number)s is published. Students and schools are being emailed, and the "
        "placement letters are being written."
    ) % {"number": result.get("number")}


def _letters(operation) -> list:
    counts = Placement.objects.filter(
        cycle_id=operation.params["cycle_id"], run_id=operation.params["run_id"]
    ).aggregate(total=Count("pk"), written=Count("pk", filter=~Q(letter_key="")))
    if not counts["total"]:
        return []
    return [(_("Placement letters written"), counts["written"], counts["total"])]


def register() -> None:
    operations.register(
        operations.Kind(
            name=RUN,
            label=_lazy("Match run"),
            run=_run,
            allowed=_runs_matches,
            done_url=_run_url,
            summary=_run_summary,
            stages={
                "reading": _lazy("Reading the rank lists and seats"),
                "matching": _lazy("Finding the stable match"),
                "saving": _lazy("Saving the run"),
            },
        )
    )
    operations.register(
        operations.Kind(
            name=PUBLISH,
            label=_lazy("Publishing the match"),
            run=_publish,
            allowed=_runs_matches,
            done_url=_cycle_url,
            summary=_publish_summary,
            stages={"publishing": _lazy("Offering the placements")},
            followups=_letters,
        )
    )
