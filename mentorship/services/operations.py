"""The mentoring work that runs in the worker with a progress page (`portal.operations`): the
preparation of a round's preview."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mentorship.services.rounds import round_prepare
from portal import operations
from portal.permissions import allowed

PREPARE = "mentorship.round_prepare"
#: One preview at a time for the whole programme.
SUBJECT = "rounds"


def _runs_mentoring(user, operation) -> bool:
    return allowed(user, "mentorship.run_mentoring")


def _prepare(operation, progress) -> dict:
    progress("scoring")
    match_round = round_prepare(by=operation.started_by)
    return {"round_id": match_round.pk}


def _done_url(operation) -> str:
    if "round_id" in operation.result:
        return reverse("mentorship:staff_round_detail", args=[operation.result["round_id"]])
    return reverse("mentorship:staff_round_list")


def register() -> None:
    operations.register(
        operations.Kind(
            name=PREPARE,
            label=_lazy("Preparing a mentoring round"),
            run=_prepare,
            allowed=_runs_mentoring,
            done_url=_done_url,
            summary=lambda result: _("Preview ready. Check it, adjust it, then publish it."),
            stages={"scoring": _lazy("Scoring every eligible pair and finding the best one")},
        )
    )
