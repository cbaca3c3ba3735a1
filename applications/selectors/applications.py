"""Reads of calls, applications and committee memberships, for views, dashboards and the CMS.

The `*_get_*` readers fetch and authorise in one step: they return only what the person may
see, and raise Http404 otherwise, so a view never holds an object its user may not see.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState, CallState, DocumentStatus, RefereeStatus
from applications.models import Application, Call, CommitteeMembership, Document, RefereeRequest
from portal.permissions import allowed


def call_list_open(*, now=None) -> QuerySet[Call]:
    """Calls taking applications now: published (a draft is for staff only), between dates."""
    now = now or timezone.now()
    return Call.objects.filter(
        state=CallState.PUBLISHED, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at", "pk")


def call_get_for_manager(*, user, call_id: int) -> Call:
    """The call, if this person manages it (its chair or programme staff: the applications,
    the assignment, the board, decisions, the audit trail); else 404."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not allowed(user, "applications.manage_call", call):
        raise Http404
    return call


def call_get_by_slug(*, slug: str) -> Call:
    """A call to apply to, with its eligibility questions; 404 if there is none."""
    call = Call.objects.prefetch_related("eligibility_questions").filter(slug=slug).first()
    if call is None:
        raise Http404
    return call


def with_relations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with what their pages and completeness need, in a fixed number of queries."""
    return queryset.select_related("call", "applicant").prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("pk")),
        Prefetch("referees", queryset=RefereeRequest.objects.order_by("invited_at", "pk")),
        "call__document_kinds",
    )


def application_list_for_applicant(*, user) -> QuerySet[Application]:
    return with_relations(Application.objects.filter(applicant=user)).order_by(
        "call__closes_at", "pk"
    )


def application_get_for_call(*, user, call: Call) -> Application | None:
    """The person's application to this call, if they have started one."""
    return call.applications.filter(applicant=user).first()


def application_get_own(*, user, application_id: int) -> Application:
    """The applicant's own application, with what the pages need; 404 for anyone else's."""
    application = with_relations(
        Application.objects.filter(pk=application_id, applicant_id=user.pk)
    ).first()
    if application is None:
        raise Http404
    return application


def application_get_for_viewer(*, user, application_id: int) -> Application:
    application = with_relations(Application.objects.filter(pk=application_id)).first()
    if application is None or not allowed(user, "applications.view_application", application):
        raise Http404
    return application


def application_list_for_call(*, call: Call) -> QuerySet[Application]:
    return (
        Application.objects.filter(call=call)
        .select_related("applicant")
        .annotate(
            documents_received=Count(
                "documents", filter=Q(documents__status=DocumentStatus.VERIFIED), distinct=True
            ),
            letters_received=Count(
                "referees", filter=Q(referees__status=RefereeStatus.RECEIVED), distinct=True
            ),
        )
        .order_by("-submitted_at", "pk")
    )


def application_state_counts(*, call: Call) -> dict[str, int]:
    rows = Application.objects.filter(call=call).values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows}
    return {state: counts.get(state, 0) for state in ApplicationState.values}


def membership_list_for_user(*, user, chair: bool | None = None) -> QuerySet[CommitteeMembership]:
    memberships = CommitteeMembership.objects.filter(user=user).select_related("call")
    if chair is not None:
        memberships = memberships.filter(is_chair=chair)
    return memberships.order_by("call__closes_at", "pk")


def staff_summary() -> list[tuple]:
    now = timezone.now()
    counts = Call.objects.aggregate(
        open=Count(
            "pk",
            filter=Q(state=CallState.PUBLISHED, opens_at__lte=now, closes_at__gt=now),
        ),
        total=Count("pk"),
    )
    submitted = Application.objects.filter(state=ApplicationState.SUBMITTED).count()
    return [
        (_("Open calls"), counts["open"], None),
        (_("All calls"), counts["total"], None),
        (_("Applications submitted"), submitted, None),
    ]


def scholarship_countries(user_ids) -> dict[int, list[str]]:
    """Countries of study of students holding an award: mentoring's programme context."""
    rows = Application.objects.filter(
        applicant_id__in=user_ids, state__in=ApplicationState.holding_award()
    ).exclude(country="")
    found: dict[int, list[str]] = {}
    for applicant_id, country in rows.values_list("applicant_id", "country"):
        found.setdefault(applicant_id, []).append(country)
    return found
