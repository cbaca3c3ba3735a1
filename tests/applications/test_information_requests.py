"""Staff or the call's chair ask an applicant for more information on a submitted application;
the applicant answers in the portal, once, and the application stays submitted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from applications.enums import ApplicationState, InformationItem
from applications.models import Application, InformationRequest
from applications.services.information import information_answer, information_request
from portal.errors import Refused
from portal.models import AuditEntry
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import (
    AssignmentFactory,
    CommitteeMembershipFactory,
    complete,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def submitted(application):
    application = complete(application)
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.UNDER_REVIEW, submitted_at=timezone.now()
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def staff_user(db):
    return StaffFactory(totp=True, full_name="Sara Staff")


@pytest.fixture
def staff(client, signed_in, staff_user):
    return signed_in(staff_user, client)


def _page(application):
    return f"/applications/{application.pk}/information/"


def _answer_page(request):
    return f"/applications/{request.application_id}/information/{request.pk}/answer/"


def _ask(application, actor, **kwargs):
    fields = {"item_kind": InformationItem.OTHER, "item_id": None, "message": "Your address?"}
    return information_request(application=application, actor=actor, **{**fields, **kwargs})


def test_staff_ask_about_a_question_and_the_applicant_is_emailed(
    staff, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    question = submitted.questions[1]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            _page(submitted),
            {"item": f"question:{question['id']}", "message": "Which scale is your grade on?"},
        )

    asked = InformationRequest.objects.get()
    assert response.status_code == 302
    assert (asked.item_kind, asked.question_id) == ("question", question["id"])
    assert Application.objects.get().state == ApplicationState.UNDER_REVIEW
    (message,) = mailoutbox
    assert message.to == [submitted.applicant.email]
    assert "Which scale is your grade on?" in message.body
    assert _answer_page(asked) in message.body
    assert AuditEntry.objects.filter(action="information.requested").count() == 1


def test_a_request_without_a_message_is_shown_again_as_typed(staff, submitted):
    response = staff.post(_page(submitted), {"item": "other", "message": ""})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert InformationRequest.objects.count() == 0


def test_a_request_about_a_document_of_another_call_is_refused(staff, submitted):
    response = staff.post(_page(submitted), {"item": "document:999999", "message": "Again?"})

    assert response.status_code == 400
    assert InformationRequest.objects.count() == 0


def test_the_applicant_answers_once_and_the_application_stays_as_it_was(
    student, submitted, staff_user
):
    asked = _ask(submitted, staff_user)

    first = student.post(_answer_page(asked), {"answer": "12 Rue de la Paix, Dakar"})
    second = student.post(_answer_page(asked), {"answer": "Something else"})

    asked.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert asked.answer == "12 Rue de la Paix, Dakar"
    assert asked.answered_by == submitted.applicant
    assert Application.objects.get().state == ApplicationState.UNDER_REVIEW
    assert AuditEntry.objects.filter(action="information.answered").count() == 1


def test_a_second_answer_is_refused_by_the_service(submitted, staff_user):
    asked = _ask(submitted, staff_user)
    information_answer(information_request=asked, actor=submitted.applicant, answer="Dakar")

    with pytest.raises(Refused, match="You have already answered this request") as refusal:
        information_answer(information_request=asked, actor=submitted.applicant, answer="Thiès")

    assert refusal.value.code == "already_answered"


def test_an_empty_answer_is_shown_again(student, submitted, staff_user):
    asked = _ask(submitted, staff_user)

    response = student.post(_answer_page(asked), {"answer": ""})

    assert response.status_code == 400
    assert InformationRequest.objects.get().answered_at is None


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (ApplicationState.WITHDRAWN, "withdrawn"),
        (ApplicationState.AWARDED, "not_under_consideration"),
        (ApplicationState.DRAFT, "not_under_consideration"),
    ],
)
def test_no_request_on_an_application_not_under_consideration(submitted, staff_user, state, code):
    Application.objects.filter(pk=submitted.pk).update(state=state)

    with pytest.raises(Refused, match="information can") as refusal:
        _ask(Application.objects.get(), staff_user)

    assert refusal.value.code == code


def test_no_answer_once_the_application_is_withdrawn(submitted, staff_user):
    asked = _ask(submitted, staff_user)
    Application.objects.filter(pk=submitted.pk).update(state=ApplicationState.WITHDRAWN)

    with pytest.raises(Refused, match="withdrawn") as refusal:
        information_answer(information_request=asked, actor=submitted.applicant, answer="Dakar")

    assert refusal.value.code == "withdrawn"


def test_managers_and_reviewers_read_the_answer(client, signed_in, submitted, staff, staff_user):
    asked = _ask(submitted, staff_user, message="Where do you live?")
    information_answer(information_request=asked, actor=submitted.applicant, answer="In Dakar")
    reviewer = AssignmentFactory(application=submitted, membership__user__totp=True)
    chair = CommitteeMembershipFactory(call=submitted.call, is_chair=True, user__totp=True)

    pages = [
        staff.get(_page(submitted)),
        staff.get(f"/applications/{submitted.pk}/reviews/"),
        signed_in(chair.user).get(_page(submitted)),
        signed_in(reviewer.membership.user).get(f"/applications/review/{reviewer.pk}/"),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "Where do you live?" in html
        assert "In Dakar" in html
        assert "Sara Staff" in html


def test_the_applicant_sees_the_request_on_their_application(student, submitted, staff_user):
    asked = _ask(submitted, staff_user, message="Where do you live?")

    html = student.get(f"/applications/{submitted.pk}/submit/").content.decode()

    assert "Where do you live?" in html
    assert f'href="{_answer_page(asked)}"' in html


def test_who_may_ask(client, signed_in, submitted):
    reviewer = AssignmentFactory(application=submitted, membership__user__totp=True)
    conflicted = CommitteeMembershipFactory(
        call=submitted.call, is_chair=True, user=submitted.applicant
    )

    assert signed_in(reviewer.membership.user).get(_page(submitted)).status_code == 404
    assert signed_in(UserFactory()).get(_page(submitted)).status_code == 404
    assert signed_in(conflicted.user).get(_page(submitted)).status_code == 404
    assert "/accounts/login/" in client.get(_page(submitted))["Location"]


def test_who_may_answer(signed_in, submitted, staff_user, staff):
    asked = _ask(submitted, staff_user)

    assert signed_in(UserFactory()).get(_answer_page(asked)).status_code == 404
    assert staff.get(_answer_page(asked)).status_code == 404
    assert "/accounts/login/" in Client().get(_answer_page(asked))["Location"]
    wrong = f"/applications/{submitted.pk + 1}/information/{asked.pk}/answer/"
    assert signed_in(submitted.applicant).get(wrong).status_code == 404


def test_the_list_of_requests_costs_the_same_whatever_their_number(
    staff, submitted, staff_user, count_queries
):
    _ask(submitted, staff_user)
    one = count_queries(staff, _page(submitted))
    _ask(submitted, staff_user)
    _ask(submitted, StaffFactory())

    assert count_queries(staff, _page(submitted)) == one


def _attach(client, asked, content=PDF, name="address.pdf"):
    return client.post(
        f"/applications/{asked.application_id}/information/{asked.pk}/file/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
        follow=True,
    )


def test_a_file_alone_answers_and_the_committee_downloads_it(
    signed_in, submitted, staff, staff_user
):
    student = signed_in(submitted.applicant)
    asked = _ask(submitted, staff_user)
    reviewer = AssignmentFactory(application=submitted, membership__user__totp=True)

    attached = _attach(student, asked)
    answered = student.post(_answer_page(asked), {"answer": ""})

    asked.refresh_from_db()
    download = f"/applications/{submitted.pk}/information/{asked.pk}/file/download/"
    assert "File received." in attached.content.decode()
    assert answered.status_code == 302
    assert (asked.file_name, asked.answered_at is not None) == ("address.pdf", True)
    assert f'href="{download}"' in staff.get(_page(submitted)).content.decode()
    served = staff.get(staff.get(download)["Location"])
    assert b"".join(served.streaming_content) == PDF
    assert signed_in(reviewer.membership.user).get(download).status_code == 302
    assert signed_in(UserFactory()).get(download).status_code == 404


def test_no_answer_without_text_or_file(student, submitted, staff_user):
    asked = _ask(submitted, staff_user)

    response = student.post(_answer_page(asked), {"answer": "  "})

    assert response.status_code == 400
    assert "Write your answer, or attach a file first." in response.content.decode()


def test_no_file_once_answered_nor_on_someone_elses_request(
    signed_in, student, submitted, staff_user
):
    asked = _ask(submitted, staff_user)
    information_answer(information_request=asked, actor=submitted.applicant, answer="Dakar")

    late = _attach(student, asked)

    asked.refresh_from_db()
    assert "You have already answered this request." in late.content.decode()
    assert asked.file_key == ""
    assert _attach(signed_in(UserFactory()), asked).status_code == 404


def test_the_answer_page_shows_the_message_and_both_ways_to_answer(student, submitted, staff_user):
    asked = _ask(submitted, staff_user, message="Where do you live?")

    html = student.get(_answer_page(asked)).content.decode()

    assert "Where do you live?" in html
    assert 'name="answer"' in html
    assert f'action="/applications/{submitted.pk}/information/{asked.pk}/file/"' in html
