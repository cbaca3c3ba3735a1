"""The form page and the dashboard keep a constant number of queries as they grow."""

import pytest

from applications.services.applications import application_start
from tests.factories.applications import (
    CallFactory,
    DocumentKindFactory,
    QuestionFactory,
    full_call,
)

pytestmark = pytest.mark.django_db


def _form_queries(client, applicant, questions: int, count_queries) -> int:
    call = CallFactory(referees_required=1)
    DocumentKindFactory(call=call)
    for _ in range(questions):
        QuestionFactory(call=call, section="One section")
    application = application_start(call=call, applicant=applicant)
    return count_queries(client, f"/applications/{application.pk}/section/1/")


def test_form_page_queries_at_1_and_20_questions(student, applicant, count_queries):
    one = _form_queries(student, applicant, 1, count_queries)
    twenty = _form_queries(student, applicant, 20, count_queries)

    assert one == twenty


def test_dashboard_queries_at_1_and_20_applications(student, applicant, count_queries):
    application_start(call=full_call(), applicant=applicant)
    one = count_queries(student, "/applications/")
    for _ in range(19):
        application_start(call=full_call(), applicant=applicant)

    twenty = count_queries(student, "/applications/")

    assert one == twenty
