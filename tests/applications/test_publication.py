"""Publication of a call's decisions (states, dates, emails in each reader's language, award
letters) and offers to the waitlist when an award is freed."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application, Decision
from applications.services import awards as award_service
from applications.services import decisions as decision_service
from applications.services import publication as publication_service
from applications.services.letters import task_award_letters
from portal.models import Operation
from tests.factories.applications import audit_actions

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Nairobi (UTC+3)


def decisions_url(committee, suffix=""):
    return f"/applications/calls/{committee.call.pk}/decisions/{suffix}"


# --- Publishing -----------------------------------------------------------------------------


def pdf_text(key: str) -> str:
    with default_storage.open(key, "rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_publishing_sets_states_dates_emails_and_letters(
    drafted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = publication_service.decisions_publish(
            call=drafted.call, actor=drafted.chair, now=NOW
        )

    assert (published.awarded, published.waitlisted, published.declined) == (1, 1, 1)
    states = dict(Application.objects.values_list("applicant__full_name", "state"))
    assert states == {
        "Awa Ndiaye": "awarded",
        "Bilal Haddad": "waitlisted",
        "Chen Li": "declined",
        "Dina Okafor": "under_review",
    }
    award = Decision.objects.get(outcome="award")
    # 22:30 UTC on 1 March is 2 March in Nairobi; the call gives 14 days.
    assert award.respond_by == date(2030, 3, 16)
    assert award.published_at == NOW
    assert Decision.objects.get(outcome="waitlist").respond_by is None
    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [  # each in the student's language: Awa reads French
        f"[Global Health Portal] Decision on your application: {drafted.call.title}",
        f"[Global Health Portal] Une bourse vous a été attribuée : {drafted.call.title}",
        f"[Global Health Portal] You are on the waitlist: {drafted.call.title}",
    ]
    award_mail = next(m for m in mailoutbox if "attribuée" in m.subject)
    assert award_mail.to == [drafted.people["Awa"].applicant.email]
    assert "16 mars 2030" in award_mail.body  # rendered in the student's language
    assert "1\u202f000,00\xa0USD" in award_mail.body  # French number format
    assert f"/fr/applications/{drafted.people['Awa'].pk}/decision/" in award_mail.body
    assert award.letter_key.startswith(f"letters/award/{drafted.call.pk}/")
    text = pdf_text(award.letter_key)
    assert "Awa Ndiaye" in text
    assert "16 mars 2030" in text
    assert audit_actions(drafted.call)[-3:] == ["decision.published"] * 3


def test_publishing_twice_publishes_nothing_more(
    drafted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=drafted.call, actor=drafted.chair, now=NOW)
        again = publication_service.decisions_publish(
            call=drafted.call, actor=drafted.chair, now=NOW
        )

    assert again.total == 0
    assert len(mailoutbox) == 3


def test_publish_page_confirms_then_publishes_once(chair, drafted, mailoutbox, started):
    page = chair.get(decisions_url(drafted, "publish/")).content.decode()
    assert "You are about to publish 1 awards, 1 places on the waitlist and 1 declines." in page
    assert "1 submitted application has no decision: it stays under review" in page

    first = started(chair, decisions_url(drafted, "publish/"))
    second = started(chair, decisions_url(drafted, "publish/"))

    assert "Published: 1 awarded, 1 waitlisted, 1 declined." in first.content.decode()
    assert "Award letters written: 1 of 1" in first.content.decode()
    assert "There was nothing left to publish." in second.content.decode()
    assert len(mailoutbox) == 3


def test_letters_are_queued_as_one_task_with_the_ids_and_the_task_can_run_twice(
    drafted, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    decision_service.decision_set(
        application=drafted.people["Dina"], actor=drafted.chair, outcome="award", amount=500
    )

    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=drafted.call, actor=drafted.chair)

    awards = sorted(Decision.objects.filter(outcome="award").values_list("pk", flat=True))
    letters = DBTaskResult.objects.get(task_path="applications.services.letters.task_award_letters")
    assert letters.args_kwargs == {"args": [], "kwargs": {"decision_ids": awards}}
    assert not Decision.objects.exclude(letter_key="").exists()  # no worker ran yet
    assert task_award_letters.call(decision_ids=awards) == 2
    assert task_award_letters.call(decision_ids=awards) == 0  # a retried task adds nothing
    keys = list(Decision.objects.filter(outcome="award").values_list("letter_key", flat=True))
    assert all(default_storage.exists(key) for key in keys)


# --- The waitlist ---------------------------------------------------------------------------


@pytest.fixture
def published(drafted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=drafted.call, actor=drafted.chair)
    return drafted


def test_chair_offers_a_freed_award_to_the_next_on_the_waitlist(
    chair, published, mailoutbox, django_capture_on_commit_callbacks
):
    awa, bilal = published.people["Awa"], published.people["Bilal"]
    published.call.budget = Decimal("1000")
    published.call.save()
    page = chair.get(decisions_url(published)).content.decode()
    assert "Does not fit the remaining budget." in page  # Awa's award still holds the 1,000
    award_service.award_answer(application=awa, accept=False)
    page = chair.get(decisions_url(published)).content.decode()
    assert f'action="/applications/calls/{published.call.pk}/decisions/{bilal.pk}/offer/"' in page
    assert "(next on the waitlist)" in page
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(decisions_url(published, f"{bilal.pk}/offer/"), follow=True)
        chair.post(decisions_url(published, f"{bilal.pk}/offer/"))  # a double click

    assert "Bilal Haddad is offered the award" in response.content.decode()
    bilal.refresh_from_db()
    assert bilal.state == ApplicationState.AWARDED
    decision = Decision.objects.get(application=bilal)
    assert (decision.outcome, decision.amount) == ("award", Decimal("1000.00"))
    assert decision.letter_key
    assert [m.to for m in mailoutbox] == [[bilal.applicant.email]]
    assert "You have been awarded a scholarship" in mailoutbox[0].subject
    assert audit_actions(published.call).count("decision.offered") == 1


def test_an_offer_that_does_not_fit_the_budget_is_refused(chair, published):
    bilal = published.people["Bilal"]
    published.call.budget = Decimal("1500")
    published.call.save()

    response = chair.post(decisions_url(published, f"{bilal.pk}/offer/"), follow=True)

    assert "does not fit the budget: 1,000.00 USD of 1,500.00 USD are committed" in (
        response.content.decode()
    )
    bilal.refresh_from_db()
    assert bilal.state == ApplicationState.WAITLISTED


def test_publishing_runs_in_the_worker_in_batches_and_its_page_counts_the_letters(
    chair, drafted, worker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(publication_service, "PUBLISH_BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(decisions_url(drafted, "publish/"))
    with django_capture_on_commit_callbacks(execute=True):
        worker()  # publishes; its commit queues the letter
    worker()  # writes the letter

    operation = Operation.objects.get()
    page = chair.get(response["Location"]).content.decode()
    assert (operation.stage, operation.done, operation.total) == ("publishing", 3, 3)
    assert "Published: 1 awarded, 1 waitlisted, 1 declined." in page
    assert "Award letters written: 1 of 1" in page
    assert not Decision.objects.filter(
        published_at__isnull=True, outcome__in=["award", "waitlist", "decline"]
    ).exists()
