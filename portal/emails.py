"""Email: render in the recipient's language now, send later through the task queue."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from portal import notifications
from portal.links import public_address
from portal.tasks import task_send_email


def email_send_message(message: EmailMessage) -> None:
    """Queue an already rendered message; it leaves once the current transaction commits."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((body for body, mime in message.alternatives if mime == "text/html"), None)
    kwargs = {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
        "reply_to": list(message.reply_to) or None,
        "headers": dict(message.extra_headers) or None,
    }
    transaction.on_commit(lambda: task_send_email.enqueue(**kwargs))


def recipient_language(user) -> str:
    """The language to write to someone in: theirs if the portal speaks it, else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    preferred = getattr(user, "preferred_language", "") or ""
    return preferred if preferred in codes else settings.LANGUAGE_CODE


def _reader(to: list[str], user, language: str | None):
    """The person a message is for: `user` if given; else, for a caller that named neither
    the reader nor a language, the account of its one address (one query)."""
    if user is not None or language is not None or len(to) != 1:
        return user
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=to[0]).first()


def recipient_time_zone(user) -> str:
    """The time zone to write dates in for someone: theirs if they set a valid one, else ""
    (the portal's, UTC)."""
    zone = getattr(user, "time_zone", "") or ""
    if not zone:
        return ""
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    return zone


def _render_text(name: str, context: dict) -> str:
    """Plain text is not HTML: an apostrophe in a name must not arrive as &#x27;."""
    return get_template(name).template.render(Context(context, autoescape=False))


def email_send(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    kind: str | None = None,
    user=None,
    time_zone: str | None = None,
) -> bool:
    """Render `templates/email/<template>_subject.txt` and `_message.txt` (and `.html` if it
    exists) in `language` and queue the message.

    Subject and body are rendered in the recipient's language and time zone. Callers writing to
    an account pass it as `user`, which gives both; `language` is for someone without an
    account (a referee), and with neither the account of the one address in `to` is read. Dates
    with no zone of their own show in it, and templates read it as `reader_time_zone` (the
    "your time" of `{% deadline %}` and `{% your_time %}` in `portal/templatetags/formatting.py`).

    An optional email (a reminder, a digest) names its `kind` and its recipient `user`: it is
    not sent to someone who turned that kind off, and carries a one-click link to turn it off.
    Returns whether the message was queued.
    """
    unsubscribe = None
    if kind is not None:
        if not notifications.wants(user, kind):
            return False
        unsubscribe = notifications.unsubscribe_url(user, kind)
    reader = _reader(to, user, language)
    if language is None and reader is not None:
        language = recipient_language(reader)
    zone = time_zone if time_zone is not None else recipient_time_zone(reader)
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zone or None),
    ):
        context = {"site_url": public_address(), "reader_time_zone": zone, **context}
        subject = _render_text(f"email/{template}_subject.txt", context)
        body = _render_text(f"email/{template}_message.txt", context)
        try:
            html = render_to_string(f"email/{template}_message.html", context)
        except TemplateDoesNotExist:  # an HTML part is optional
            html = None
        if unsubscribe:
            body = (
                body.rstrip()
                + "\n\n-- \n"
                + _render_text(
                    "email/unsubscribe_footer.txt",
                    {"url": unsubscribe, "kind": notifications.kind_get(kind).label},
                )
            )
    headers = None
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    if html:
        message.attach_alternative(html, "text/html")
    email_send_message(message)
    return True
