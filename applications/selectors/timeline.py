"""An application's progress after submission, as the applicant follows it (the status
timeline), and the requests for more information made on it."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application, InformationRequest
from applications.selectors.applications import with_relations
from applications.selectors.stages import application_shortlisted_at, stage_of
from portal.permissions import allowed


@dataclass(frozen=True)
class Step:
    """One step of the timeline: `at` is None for a step not reached yet; `current` marks the
    step the application is at. A request for more information says when it was answered, or
    that it waits (`waiting`); the decision says its outcome (`outcome`)."""

    slug: str
    title: str
    at: datetime | None
    current: bool = False
    answered_at: datetime | None = None
    waiting: bool = False
    outcome: str = ""


def _shortlisting(application: Application) -> tuple[bool, datetime | None]:
    """Whether the call has a second stage (so the timeline shows a shortlisting step) and when
    the application was shortlisted for it (`applications.selectors.stages`, the hook that
    stage keeps for this timeline)."""
    shortlisted = application_shortlisted_at(application)
    return shortlisted is not None or stage_of(application.call) is not None, shortlisted


def application_timeline(application: Application) -> list[Step]:
    """The steps from submission to the published decision, with their dates; empty for a
    draft. A step not reached yet has no date; the last one reached is the current one."""
    if application.submitted_at is None:
        return []
    first_assignment = application.assignments.aggregate(at=Min("created_at"))["at"]
    steps = [
        Step("submitted", _("Submitted"), application.submitted_at),
        Step("under_review", _("Under review"), first_assignment),
    ]
    requests = list(application.information_requests.all())
    if requests:
        waiting = any(not r.is_answered for r in requests)
        answered = [r.answered_at for r in requests if r.is_answered]
        steps.append(
            Step(
                "information",
                _("More information requested"),
                requests[0].requested_at,
                answered_at=None if waiting or not answered else max(answered),
                waiting=waiting,
            )
        )
    has_stage, shortlisted = _shortlisting(application)
    if has_stage:
        steps.append(Step("shortlisted", _("Shortlisted"), shortlisted))
    decision = getattr(application, "decision", None)
    published = decision.published_at if decision is not None else None
    outcome = application.get_state_display() if published else ""
    steps.append(Step("decided", _("Decided"), published, outcome=outcome))
    if application.state == ApplicationState.WITHDRAWN:
        steps.append(Step("withdrawn", _("Withdrawn"), application.withdrawn_at))
    reached = [index for index, step in enumerate(steps) if step.at is not None]
    current = reached[-1] if reached else 0
    return [replace(step, current=index == current) for index, step in enumerate(steps)]


def information_requests_of(*, application: Application) -> QuerySet[InformationRequest]:
    return application.information_requests.select_related("requested_by", "answered_by")


def information_request_get_own(*, user, application_id: int, request_id: int):
    """The applicant's own request for more information, with its application; else 404."""
    request = (
        InformationRequest.objects.select_related("application__call", "application__applicant")
        .filter(pk=request_id, application_id=application_id)
        .first()
    )
    if request is None or not allowed(user, "applications.answer_information", request.application):
        raise Http404
    return request


def application_get_for_information(*, user, application_id: int) -> Application:
    """An application whose applicant this person may ask for more information (the call's
    staff or chair, not in conflict with it); else 404."""
    application = with_relations(Application.objects.filter(pk=application_id)).first()
    if application is None or not allowed(user, "applications.request_information", application):
        raise Http404
    return application


def information_request_get_for_reader(*, user, application_id: int, request_id: int):
    """A request and its answer for its applicant, the call's managers and the application's
    reviewers (none in conflict with it); else 404."""
    request = (
        InformationRequest.objects.select_related("application__call")
        .filter(pk=request_id, application_id=application_id)
        .first()
    )
    if request is None or not any(
        allowed(user, perm, request.application)
        for perm in (
            "applications.answer_information",
            "applications.request_information",
            "applications.read_for_review",
        )
    ):
        raise Http404
    return request
