"""Writing to a filtered set of a call's applicants: checking the texts and saving the message
with the recipients the preview counted, then sending it in the worker (an operation of kind
`applications.message_send`), each applicant once, in their language, logged on their
application."""

import string
from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from applications.filters import ApplicationFilter
from applications.models import Application, ApplicationMessage, Call, Message
from applications.selectors.applications import application_list_for_call
from applications.selectors.messages import PLACEHOLDERS, message_fill
from portal import operations
from portal.content_languages import LANGUAGES
from portal.emails import email_send
from portal.errors import Refused
from portal.permissions import allowed

SEND = "applications.message_send"
#: Recipients written to in one transaction: their log rows and emails commit together.
BATCH = 100


def subject_of(message: Message) -> str:
    return f"message:{message.pk}"


def _check_text(text: str, *, field: str) -> None:
    """Only the known placeholders, written plainly: `{name}`, never `{name!r}` or `{0}`."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise Refused(
            _lazy("A brace { or } has no pair. Write {{ or }} for a brace itself."),
            code="unpaired_brace",
            field=field,
        ) from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            raise Refused(
                _lazy(
                    "Unknown placeholder %(placeholder)s. Use {name}, {call}, {deadline} or {link}."
                )
                % {"placeholder": written},
                code="unknown_placeholder",
                field=field,
            )


def _described(filterset: ApplicationFilter) -> str:
    """The filters in words ("State: Waitlisted; Country: Kenya"), labels not codes."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", []) or [])
        parts.append(f"{field.label}: {choices.get(value, value)}")
    return "; ".join(parts) or str(_lazy("Every applicant of the call"))


def message_create(
    *,
    call: Call,
    actor,
    subjects: Mapping[str, str],
    bodies: Mapping[str, str],
    filters: Mapping[str, str],
) -> Message:
    """Check the texts and freeze the recipients the filters match now; nothing is sent yet."""
    subjects = {code: (subjects.get(code) or "").strip() for code in LANGUAGES}
    bodies = {code: (bodies.get(code) or "").strip() for code in LANGUAGES}
    for code in LANGUAGES:
        _check_text(subjects[code], field=f"subject_{code}")
        _check_text(bodies[code], field=f"body_{code}")
    filterset = ApplicationFilter(dict(filters), queryset=application_list_for_call(call=call))
    if not filterset.is_valid():
        raise Refused(_lazy("These filters are not valid."), code="bad_filters")
    recipients = list(filterset.qs.order_by("pk").values_list("pk", flat=True))
    if not recipients:
        raise Refused(_lazy("No applicant matches these filters."), code="no_recipients")
    return Message.objects.create(
        call=call,
        subjects={code: text for code, text in subjects.items() if text},
        bodies={code: text for code, text in bodies.items() if subjects[code]},
        filters={name: value for name, value in filters.items() if value},
        filter_description=_described(filterset)[:500],
        recipients=recipients,
        recipient_count=len(recipients),
        sent_by=actor,
    )


def message_send(*, message: Message, progress=operations.progress_none, now=None) -> dict:
    """Write to each recipient not yet written to: a retry or a second run sends nobody twice."""
    now = now or timezone.now()
    Message.objects.filter(pk=message.pk, confirmed_at__isnull=True).update(confirmed_at=now)
    already = set(message.deliveries.values_list("application_id", flat=True))
    todo = [pk for pk in message.recipients if pk not in already]
    total, done = len(message.recipients), len(already)
    progress("sending", done, total)
    for start in range(0, len(todo), BATCH):
        batch = (
            Application.objects.filter(pk__in=todo[start : start + BATCH])
            .select_related("applicant", "call")
            .order_by("pk")
        )
        with transaction.atomic():
            for application in batch:
                _deliver(message, application, now=now)
                done += 1
        progress("sending", done, total)
    return {"sent": len(todo), "before": len(already), "total": total}


def _deliver(message: Message, application: Application, *, now) -> None:
    filled = message_fill(message, application)
    ApplicationMessage.objects.create(
        message=message,
        application=application,
        language=filled.language,
        subject=filled.subject[:300],
        body=filled.body,
        sent_at=now,
    )
    applicant = application.applicant
    email_send(
        to=[applicant.email],
        template="applicant_message",
        context={"subject": filled.subject, "body": filled.body, "link": filled.link},
        user=applicant,
    )


def _run(operation, progress, *, message_id: int, call_id: int) -> dict:
    message = Message.objects.get(pk=message_id, call_id=call_id)
    return message_send(message=message, progress=progress)


def _summary(result: dict) -> str:
    sent = result.get("sent", 0)
    return ngettext("%(count)s applicant written to.", "%(count)s applicants written to.", sent) % {
        "count": sent
    }


def _manages(user, operation) -> bool:
    call = Call.objects.filter(pk=operation.params.get("call_id")).first()
    return call is not None and allowed(user, "applications.manage_call", call)


def register() -> None:
    operations.register(
        operations.Kind(
            name=SEND,
            label=_lazy("Sending a message to applicants"),
            run=_run,
            allowed=_manages,
            done_url=lambda op: reverse("applications:call_messages", args=[op.params["call_id"]]),
            summary=_summary,
            stages={"sending": _lazy("Sending the message")},
        )
    )
