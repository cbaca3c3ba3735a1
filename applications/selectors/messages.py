"""Reads of the messages a call's managers send to its applicants: a message (authorised), the
list of a call's messages, what one application received, and a message filled in as one
recipient reads it (the preview and the send use the same filling)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from applications.models import Application, ApplicationMessage, Call, Message
from portal.content_languages import DEFAULT, text_and_language
from portal.emails import recipient_language
from portal.links import public_url
from portal.permissions import allowed
from portal.templatetags.formatting import date_text

#: The placeholders a message may use, filled in for each recipient.
PLACEHOLDERS = ("name", "call", "deadline", "link")


@dataclass(frozen=True)
class Filled:
    """A message as one recipient reads it, and the language its text is in."""

    language: str
    subject: str
    body: str
    link: str


def message_fill(message: Message, application: Application) -> Filled:
    """The recipient's language when the message was written in it, else English; the call's
    title and deadline in the recipient's language either way."""
    applicant, call = application.applicant, application.call
    reader = recipient_language(applicant)
    language = reader if message.subjects.get(reader) else DEFAULT
    with translation.override(reader):
        link = public_url(reverse("applications:detail", args=[application.pk]))
        values = {
            "name": applicant.display_name,
            "call": text_and_language(call, "title", reader)[0],
            "deadline": f"{date_text(call.closes_at, 'DATETIME_FORMAT', call.time_zone)} "
            f"({call.time_zone})",
            "link": link,
        }
    # The texts were checked when written (services.messages): only known names, no format
    # specs, so format_map cannot reach anything but these four strings.
    return Filled(
        language=language,
        subject=message.subjects[language].format_map(values),
        body=message.bodies[language].format_map(values),
        link=link,
    )


def message_get_for_manager(*, user, call_id: int, message_id: int) -> Message:
    """A message of a call this person manages; else 404."""
    message = (
        Message.objects.select_related("call", "sent_by")
        .filter(pk=message_id, call_id=call_id)
        .first()
    )
    if message is None or not allowed(user, "applications.manage_call", message.call):
        raise Http404
    return message


def message_list_for_call(*, call: Call) -> QuerySet[Message]:
    return (
        Message.objects.filter(call=call)
        .select_related("sent_by")
        .annotate(delivered=Count("deliveries"))
        .order_by("-created_at", "-pk")
    )


def message_delivered_count(*, message: Message) -> int:
    return message.deliveries.count()


def message_preview(*, message: Message) -> tuple[Application, Filled] | None:
    """The first recipient and the message as they will read it (None when there is none)."""
    first = (
        Application.objects.filter(pk__in=message.recipients[:1])
        .select_related("applicant", "call")
        .first()
    )
    return (first, message_fill(message, first)) if first is not None else None


def application_get_for_messages(*, user, application_id: int) -> Application:
    application = (
        Application.objects.filter(pk=application_id).select_related("call", "applicant").first()
    )
    if application is None or not allowed(
        user, "applications.view_application_messages", application
    ):
        raise Http404
    return application


def messages_received(*, application: Application) -> QuerySet[ApplicationMessage]:
    return ApplicationMessage.objects.filter(application=application).select_related(
        "message__sent_by"
    )
