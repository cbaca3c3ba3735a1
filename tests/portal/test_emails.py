"""Email leaves through the task queue, rendered in the recipient's language."""

import pytest

from portal.emails import email_send

pytestmark = pytest.mark.django_db


def test_email_is_rendered_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["awa@example.org"], template="welcome", context={"name": "Awa"}, language="fr"
        )

    (message,) = mailoutbox
    assert message.subject == "[Global Health Portal] Bienvenue sur le Portail de santé mondiale"
    assert message.body.startswith("Bonjour Awa,")
    assert "http://127.0.0.1:8000/fr/dashboard/" in message.body


def test_email_in_arabic(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["a@example.org"], template="welcome", context={"name": "ليلى"}, language="ar"
        )

    assert mailoutbox[0].body.startswith("مرحبًا ليلى،")


def test_email_waits_for_the_transaction_to_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_send(to=["a@example.org"], template="welcome", context={"name": "A"})

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_email_task_is_queued_on_the_database_backend(settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@example.org"], template="welcome", context={"name": "A"})

    result = DBTaskResult.objects.get()
    assert result.task_path == "portal.tasks.task_send_email"
    assert result.args_kwargs["kwargs"]["to"] == ["a@example.org"]


def test_plain_text_email_is_not_html_escaped(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@example.org"], template="welcome", context={"name": "N'Golo <Kanté>"})

    assert mailoutbox[0].body.startswith("Hello N'Golo <Kanté>,")
