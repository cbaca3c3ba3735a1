"""The scholarship side of a person's data rights: the export of their applications, and an
erasure that deletes drafts, documents and letters but keeps a decided award, anonymous, in the
call's figures."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from applications.enums import ApplicationState, DecisionOutcome, InformationItem
from applications.models import (
    Application,
    ApplicationMessage,
    Decision,
    Document,
    InformationRequest,
    Message,
    RefereeRequest,
    Review,
)
from applications.selectors import board_get
from applications.services.decisions import budget_committed
from applications.services.privacy import (
    applications_documents,
    applications_erase,
    applications_export,
)
from portal import privacy, storage
from tests.factories.accounts import StaffFactory
from tests.factories.applications import (
    PDF,
    ApplicationFactory,
    complete,
    full_call,
    make_committee,
    published,
    score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(media):
    """An applicant whose award is decided and published, who reviewed for another call, and
    who also has a draft with its documents and referees' letters in another call."""
    committee = make_committee()
    application = published(committee.call, "Amina Diallo")
    amina = application.applicant
    Decision.objects.filter(application=application).update(
        letter_key=storage.object_save("letters/award-1.pdf", ContentFile(PDF))
    )
    other = make_committee(slug="other-call")
    other.reviewers[0].user = amina
    other.reviewers[0].save()
    score(other, 0, ApplicationFactory(call=other.call), 70)
    draft = complete(ApplicationFactory(call=full_call(), applicant=amina))
    for referee in draft.referees.all():
        storage.object_save(referee.letter_key, ContentFile(PDF))
    return committee, application, draft


def test_the_export_holds_answers_and_the_published_decision_and_documents(awarded):
    committee, application, draft = awarded
    data = applications_export(application.applicant)
    by_call = {item["call"]: item for item in data["applications"]}
    assert by_call[committee.call.title]["decision"]["outcome"] == "Award"
    assert by_call[committee.call.title]["state"] == "Awarded"
    assert by_call[draft.call.title]["answers"] == draft.answers
    assert by_call[draft.call.title]["decision"] is None
    assert len(data["reviews_written"]) == 1
    keys = {key for _name, key in applications_documents(application.applicant)}
    assert "letters/award-1.pdf" in keys
    assert set(draft.documents.values_list("key", flat=True)) <= keys
    # Referees' letters are confidential to the committee.
    assert not keys & set(draft.referees.values_list("letter_key", flat=True))


def test_erase_deletes_drafts_documents_and_letters_and_keeps_the_award_in_the_figures(
    awarded, django_capture_on_commit_callbacks
):
    committee, application, draft = awarded
    amina = application.applicant
    budget_before = budget_committed(call=committee.call)
    assert budget_before == Decimal("1000")
    keys = [*draft.documents.values_list("key", flat=True), "letters/award-1.pdf"]
    keys += list(draft.referees.values_list("letter_key", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erase(user=amina, now=timezone.now())

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Document.objects.filter(application__applicant=amina).exists()
    assert not RefereeRequest.objects.filter(application__applicant=amina).exists()
    assert not any(default_storage.exists(key) for key in keys)
    kept = Application.objects.get(pk=application.pk)
    assert kept.state == ApplicationState.AWARDED
    assert kept.answers == {}
    assert kept.decision.letter_key == ""
    assert Review.objects.filter(assignment__membership__user=amina).count() == 1

    assert budget_committed(call=committee.call) == budget_before
    board = board_get(call=committee.call)
    assert [row.name for row in board.ranked] == [f"Erased person #{amina.pk}"]
    assert board.budget.committed == budget_before
    assert "Amina" not in str([(row.name, row.email) for row in board.ranked])


def test_erase_of_an_application_under_review_removes_it(media):
    committee = make_committee()
    application = published(committee.call, "Kofi Mensah", outcome=DecisionOutcome.DECLINE)
    pending = ApplicationFactory(
        call=make_committee(slug="second").call,
        applicant=application.applicant,
        state=ApplicationState.UNDER_REVIEW,
    )
    applications_erase(application.applicant, timezone.now())
    assert not Application.objects.filter(pk=pending.pk).exists()
    assert Application.objects.filter(pk=application.pk).exists()


def test_information_requests_and_messages_are_exported_then_erased(
    awarded, django_capture_on_commit_callbacks
):
    committee, application, _draft = awarded
    amina = application.applicant
    staff = StaffFactory()
    key = storage.object_save("information/answer.pdf", ContentFile(PDF))
    asked = InformationRequest.objects.create(
        application=application,
        item_kind=InformationItem.OTHER,
        message="Your enrolment proof?",
        requested_by=staff,
        requested_at=timezone.now(),
        answer="Attached",
        answered_at=timezone.now(),
        answered_by=amina,
        file_key=key,
        file_name="proof.pdf",
    )
    message = Message.objects.create(call=committee.call, sent_by=staff)
    ApplicationMessage.objects.create(
        message=message,
        application=application,
        language="en",
        subject="Dear Amina",
        body="Welcome",
        sent_at=timezone.now(),
    )

    exported = applications_export(amina)["applications"][0]

    assert exported["information_requests"][0]["answer"] == "Attached"
    assert exported["information_requests"][0]["about"] == "Something else"
    assert exported["messages_received"][0]["subject"] == "Dear Amina"
    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erase(user=amina, now=timezone.now())
    asked.refresh_from_db()
    assert (asked.answer, asked.file_key, asked.message) == ("", "", "Your enrolment proof?")
    assert not default_storage.exists(key)
    assert not ApplicationMessage.objects.filter(application=application).exists()
