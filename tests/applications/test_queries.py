"""The form page and the dashboard keep a constant number of queries as they grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.services.applications import application_start
from tests.factories.applications import (
    CallFactory,
    DocumentKindFactory,
    QuestionFactory,
    full_call,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _form_queries(client, applicant, questions: int) -> int:
    call = CallFactory(referees_required=1)
    DocumentKindFactory(call=call)
    for _ in range(questions):
        QuestionFactory(call=call, section="One section")
    application = application_start(call=call, applicant=applicant)
    return _count(client, f"/applications/{application.pk}/section/1/")


def test_form_page_queries_at_1_and_20_questions(student, applicant):
    one = _form_queries(student, applicant, 1)
    twenty = _form_queries(student, applicant, 20)

    assert one == twenty


def test_dashboard_queries_at_1_and_20_applications(student, applicant):
    application_start(call=full_call(), applicant=applicant)
    one = _count(student, "/applications/")
    for _ in range(19):
        application_start(call=full_call(), applicant=applicant)

    twenty = _count(student, "/applications/")

    assert one == twenty
