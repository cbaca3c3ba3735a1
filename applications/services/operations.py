"""The scholarship work that runs in the worker with a progress page (`portal.operations`):
the reviewer assignment and the publication of decisions."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from applications.enums import DecisionOutcome
from applications.models import Call, Decision
from applications.services.committee import reviewers_assign
from applications.services.publication import decisions_publish
from portal import operations
from portal.permissions import allowed

ASSIGN = "applications.assign"
PUBLISH = "applications.publish"


def subject(call: Call) -> str:
    return f"call:{call.pk}"


def _manages(user, operation) -> bool:
    call = Call.objects.filter(pk=operation.params.get("call_id")).first()
    return call is not None and allowed(user, "applications.manage_call", call)


def _assign(operation, progress, *, call_id: int) -> dict:
    call = Call.objects.get(pk=call_id)
    result = reviewers_assign(call=call, actor=operation.started_by, progress=progress)
    return {
        "applications": len(result),
        "assignments": sum(len(reviewers) for reviewers in result.values()),
    }


def _assign_summary(result: dict) -> str:
    return ngettext(
        "%(count)s application has its reviewers (%(assignments)s assignments).",
        "%(count)s applications have their reviewers (%(assignments)s assignments).",
        result.get("applications", 0),
    ) % {"count": result.get("applications", 0), "assignments": result.get("assignments", 0)}


def _publish(operation, progress, *, call_id: int) -> dict:
    call = Call.objects.get(pk=call_id)
    published = decisions_publish(call=call, actor=operation.started_by, progress=progress)
    return {
        "awarded": published.awarded,
        "waitlisted": published.waitlisted,
        "declined": published.declined,
    }


def _publish_summary(result: dict) -> str:
    if not sum(result.values()):
        return _("There was nothing left to publish.")
    return _(
        "Published: %(awarded)d awarded, %(waitlisted)d waitlisted, %(declined)d declined. "
        "Each applicant is being emailed."
    ) % {key: result.get(key, 0) for key in ("awarded", "waitlisted", "declined")}


def _letters(operation) -> list:
    counts = Decision.objects.filter(
        application__call_id=operation.params["call_id"],
        outcome=DecisionOutcome.AWARD,
        published_at__isnull=False,
    ).aggregate(total=Count("pk"), written=Count("pk", filter=~Q(letter_key="")))
    if not counts["total"]:
        return []
    return [(_("Award letters written"), counts["written"], counts["total"])]


def register() -> None:
    operations.register(
        operations.Kind(
            name=ASSIGN,
            label=_lazy("Reviewer assignment"),
            run=_assign,
            allowed=_manages,
            done_url=lambda op: reverse("applications:assignment", args=[op.params["call_id"]]),
            summary=_assign_summary,
            stages={
                "reading": _lazy("Reading the applications, reviewers and conflicts"),
                "solving": _lazy("Finding the best balanced assignment"),
                "saving": _lazy("Saving the assignment"),
            },
        )
    )
    operations.register(
        operations.Kind(
            name=PUBLISH,
            label=_lazy("Publishing the decisions"),
            run=_publish,
            allowed=_manages,
            done_url=lambda op: reverse("applications:decisions", args=[op.params["call_id"]]),
            summary=_publish_summary,
            stages={"publishing": _lazy("Publishing the decisions and emailing each applicant")},
            followups=_letters,
        )
    )
