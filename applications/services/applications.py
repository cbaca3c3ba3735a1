"""Writes of an application's life: start, save a draft, submit, withdraw."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState
from applications.models import Application, Call
from applications.selectors.completeness import missing_items
from portal.emails import email_send
from portal.errors import Refused

PROFILE_FIELDS = ("country", "institution", "year_of_study", "requested_amount")


def eligibility_reasons(*, call: Call, answers: dict[int, bool]) -> list[str]:
    """The reasons shown to someone screened out; empty when eligible."""
    return [
        question.reason
        for question in call.eligibility_questions.all()
        if answers.get(question.pk) != question.required_answer
    ]


def application_start(
    *, call: Call, applicant, eligibility: dict[int, bool] | None = None, now=None
) -> Application:
    """The applicant's application to this call, created on the first start (one per call)."""
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    if not call.is_open_at(now):
        raise Refused(_("This call is not open for applications."), code="call_not_open")
    reasons = eligibility_reasons(call=call, answers=eligibility or {})
    if reasons:
        raise Refused(
            _("You are not eligible for this call."), code="not_eligible", details=reasons
        )
    with transaction.atomic():
        application, _created = Application.objects.get_or_create(
            call=call,
            applicant=applicant,
            defaults={"questions": [q.snapshot() for q in call.questions.all()]},
        )
        application_refresh_missing(application=application)
    return application


def application_save(
    *,
    application: Application,
    version: int,
    answers: dict[str, object] | None = None,
    profile: dict[str, object] | None = None,
    now=None,
) -> Application:
    """Save part of a draft. Refused if another tab saved since `version` was read."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        _check_editable(current, now)
        if current.version != version:
            raise stale_refusal()
        if answers:
            current.answers = {**current.answers, **_jsonable(answers)}
        for field, value in (profile or {}).items():
            if field not in PROFILE_FIELDS:
                raise ValueError(f"{field} is not a profile field")
            setattr(current, field, value)
        current.version += 1
        current.save()
        application_refresh_missing(application=current)
    return current


def application_submit(
    *, application: Application, declared_at=None, now=None
) -> tuple[Application, bool]:
    """Submit once. A second submit (a double click, a retry) returns `(application, False)`.

    `declared_at` is when the applicant ticked the declaration on the submit page (the form
    requires it there); it is kept with the application."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Application.objects.select_for_update()
            .select_related("call", "applicant")
            .get(pk=application.pk)
        )
        if current.state == ApplicationState.SUBMITTED:
            return current, False
        _check_editable(current, now)
        current = _with_relations(current.pk)
        missing = missing_items(current)
        if missing:
            raise Refused(
                _("Your application is not complete yet."),
                code="incomplete",
                details=[item.text for item in missing],
            )
        current.state = ApplicationState.SUBMITTED
        current.submitted_at = now
        current.declared_at = declared_at
        current.version += 1
        current.save(
            update_fields=["state", "submitted_at", "declared_at", "version", "updated_at"]
        )
        email_send(
            to=[current.applicant.email],
            template="application_submitted",
            context={
                "name": current.applicant.get_short_name(),
                "call": current.call,
                "application_id": current.pk,
            },
            user=current.applicant,
        )
    return current, True


def application_withdraw(*, application: Application, now=None) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.state not in ApplicationState.withdrawable():
            raise _not_editable()
        current.state = ApplicationState.WITHDRAWN
        current.withdrawn_at = now
        current.version += 1
        current.save(update_fields=["state", "withdrawn_at", "version", "updated_at"])
    return current


def application_refresh_missing(*, application: Application) -> int:
    count = len(missing_items(_with_relations(application.pk)))
    Application.objects.filter(pk=application.pk).update(missing_count=count)
    application.missing_count = count
    return count


def application_check_editable(*, application: Application, now=None) -> None:
    """Refused (`not_editable`, `deadline_passed`) unless the applicant may still change it."""
    _check_editable(application, now or timezone.now())


def stale_refusal() -> Refused:
    """Another tab or window saved since the page was read: nothing is saved over it."""
    return Refused(
        _(
            "This application was changed in another tab or window since you opened this page. "
            "Nothing on this page has been saved: copy what you typed, reload the page, and add "
            "it again."
        ),
        code="stale",
        status=409,
    )


def _not_editable() -> Refused:
    return Refused(_("This application can no longer be changed."), code="not_editable")


def _check_editable(application: Application, now) -> None:
    if application.state not in ApplicationState.editable():
        raise _not_editable()
    if now >= application.call.closes_at:
        raise Refused(_("The deadline for this call has passed."), code="deadline_passed")


def _with_relations(pk: int) -> Application:
    return (
        Application.objects.select_related("call")
        .prefetch_related("documents", "referees", "call__document_kinds")
        .get(pk=pk)
    )


def _jsonable(answers: dict[str, object]) -> dict[str, object]:
    """Dates and decimals as strings: answers live in a JSON column."""
    result = {}
    for key, value in answers.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        result[str(key)] = value
    return result
