"""What the portal keeps as codes is shown as words in the reader's language: yes and no,
countries, states, choices, dates and numbers, on the PDF, in the CSV and on the pages."""

import csv
import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from applications.enums import ApplicationState, QuestionKind
from applications.models import Application
from applications.services.applications import application_save, application_start
from tests.factories.accounts import StaffFactory
from tests.factories.applications import (
    AssignmentFactory,
    CallFactory,
    QuestionFactory,
    complete,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(applicant):
    """A submitted application whose answers are all codes: no, a choice, a date, a number."""
    call = CallFactory()
    questions = {
        "Ready": QuestionFactory(call=call, label="Ready?", kind=QuestionKind.YES_NO),
        "Field": QuestionFactory(
            call=call,
            label="Field",
            kind=QuestionKind.CHOICE,
            choices="Surgery\nPaediatrics",
            choices_fr="Chirurgie\nPédiatrie",
        ),
        "Start": QuestionFactory(call=call, label="Start", kind=QuestionKind.DATE),
        "Grade": QuestionFactory(call=call, label="Grade", kind=QuestionKind.NUMBER),
    }
    application = complete(application_start(call=call, applicant=applicant))
    answers = {"Ready": "no", "Field": "Paediatrics", "Start": "2027-01-05", "Grade": "15000.5"}
    application = application_save(
        application=application,
        version=application.version,
        answers={str(questions[k].pk): v for k, v in answers.items()},
        profile={"country": "SN", "institution": "UCAD", "year_of_study": 4},
    )
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.UNDER_REVIEW, submitted_at=application.updated_at
    )
    return Application.objects.get(pk=application.pk)


def _pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_pdf_in_french_shows_words_not_codes(student, answered):
    text = _pdf_text(student.get(f"/fr/applications/{answered.pk}/application.pdf"))

    for words in ("Non", "Pédiatrie", "5 janvier 2027", "15\u202f000,5", "Sénégal"):
        assert words in text
    for code in ("\nno\n", "Paediatrics", "2027-01-05", "SN"):
        assert code not in text


def test_the_pdf_in_english(student, answered):
    text = _pdf_text(student.get(f"/applications/{answered.pk}/application.pdf"))

    for words in ("No", "Paediatrics", "5 January 2027", "15,000.5", "Senegal"):
        assert words in text


def test_the_csv_in_french_names_states_and_countries(client, signed_in, answered):
    staff = signed_in(StaffFactory(totp=True), client)

    response = staff.get(f"/fr/applications/calls/{answered.call_id}/applications/?format=csv")

    header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = dict(zip(header, row, strict=True))
    assert row[3] == "En cours d'évaluation"
    assert row[4] == "Sénégal"
    assert row[-1] == "SN"
    assert "under_review" not in cells.values()


def test_the_review_page_in_french_shows_words_not_codes(client, signed_in, answered):
    assignment = AssignmentFactory(application=answered, membership__user__totp=True)
    reviewer = signed_in(assignment.membership.user, client)

    html = reviewer.get(f"/fr/applications/review/{assignment.pk}/").content.decode()

    for words in ("<dd>Non</dd>", "<dd>Pédiatrie</dd>", "<dd>5 janvier 2027</dd>", "Sénégal"):
        assert words in html


def test_the_summary_before_submission_in_french(student, applicant):
    call = CallFactory()
    QuestionFactory(call=call, label="Ready?", kind=QuestionKind.YES_NO)
    application = application_start(call=call, applicant=applicant)
    application_save(
        application=application,
        version=application.version,
        answers={str(application.questions[0]["id"]): "yes"},
        profile={"country": "ML"},
    )

    html = student.get(f"/fr/applications/{application.pk}/submit/").content.decode()

    assert "<dd>Oui</dd>" in html
    with translation.override("fr"):
        assert "<dd>Mali</dd>" in html
