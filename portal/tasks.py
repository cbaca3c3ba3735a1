"""Background tasks of the plumbing, and the one import of the tasks API for the whole project.

Django 6 ships the tasks framework as `django.tasks`; until then the `django-tasks` backport
provides it. Apps import `task` from here so that the move is this one line.
"""

from django.core.mail import EmailMultiAlternatives, get_connection

try:  # pragma: no cover - depends on the Django version
    from django.tasks import task
except ImportError:
    from django_tasks import task

__all__ = ["task", "task_send_email"]


@task()
def task_send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        reply_to=reply_to,
        headers=headers,
        connection=get_connection(),
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
