"""Bounds on answers: numbers between a smallest and a largest, dates between an earliest and a
latest, text up to a number of characters; kept in the application's snapshot, said in the
reader's language."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.enums import QuestionKind
from applications.models import Application
from applications.services.applications import application_start
from tests.factories.applications import CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounded(applicant):
    call = CallFactory()
    QuestionFactory(
        call=call,
        section="Numbers",
        label="Grade",
        kind=QuestionKind.NUMBER,
        min_value=Decimal("1"),
        max_value=Decimal("10"),
    )
    QuestionFactory(
        call=call,
        section="Numbers",
        label="Start",
        kind=QuestionKind.DATE,
        earliest=date(2027, 1, 1),
    )
    QuestionFactory(
        call=call, section="Numbers", label="Nickname", kind=QuestionKind.SHORT_TEXT, max_length=5
    )
    return application_start(call=call, applicant=applicant)


def _post(client, application, language="", **answers):
    questions = {q["label"]: q["id"] for q in application.questions}
    data = {"version": application.version}
    data.update({f"q{questions[label]}": value for label, value in answers.items()})
    return client.post(f"{language}/applications/{application.pk}/section/1/", data)


def test_the_snapshot_keeps_the_bounds(bounded):
    grade, start, nickname = bounded.questions

    assert (grade["min_value"], grade["max_value"]) == ("1.0000", "10.0000")
    assert (start["earliest"], start["latest"]) == ("2027-01-01", None)
    assert nickname["max_length"] == 5


def test_a_number_out_of_bounds_is_refused_with_the_reason(student, bounded):
    response = _post(student, bounded, Grade="11", Start="2027-02-01", Nickname="Ami")

    html = response.content.decode()
    assert "Give a number between 1 and 10." in html
    saved = Application.objects.get(pk=bounded.pk).answers
    assert str(bounded.questions[0]["id"]) not in saved
    assert saved[str(bounded.questions[1]["id"])] == "2027-02-01"


def test_a_number_within_bounds_is_kept(student, bounded):
    _post(student, bounded, Grade="10")

    assert Application.objects.get(pk=bounded.pk).answers[str(bounded.questions[0]["id"])] == "10"


def test_a_date_too_early_is_refused_in_the_readers_language(student, bounded):
    english = _post(student, bounded, Start="2026-12-31").content.decode()
    bounded.refresh_from_db()
    french = _post(student, bounded, "/fr", Start="2026-12-31").content.decode()

    assert "Give a date on or after 1 January 2027." in english
    assert "1 janvier 2027" in french
    assert 'min="2027-01-01"' in english


def test_text_over_its_character_limit_is_refused(student, bounded):
    html = _post(student, bounded, Nickname="Aminata").content.decode()

    assert "Ensure this value has at most 5 characters (it has 7)." in html
    assert "At most 5 characters." in html


def test_a_question_whose_smallest_number_is_above_its_largest_is_refused(applicant):
    question = QuestionFactory.build(
        call=CallFactory(),
        kind=QuestionKind.NUMBER,
        min_value=Decimal("10"),
        max_value=Decimal("1"),
    )

    with pytest.raises(ValidationError, match="The largest number must not be below"):
        question.clean()


def test_a_question_whose_earliest_date_is_after_its_latest_is_refused(applicant):
    question = QuestionFactory.build(
        call=CallFactory(),
        kind=QuestionKind.DATE,
        earliest=date(2028, 1, 1),
        latest=date(2027, 1, 1),
    )

    with pytest.raises(ValidationError, match="The latest date must not be before"):
        question.clean()
