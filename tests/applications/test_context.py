import pytest

from applications.enums import ApplicationState
from applications.models import Application
from portal.programme_context import context_countries

pytestmark = pytest.mark.django_db


def test_an_awarded_student_brings_the_country_of_study_to_mentoring(application, applicant):
    Application.objects.filter(pk=application.pk).update(
        country="KE", state=ApplicationState.ACCEPTED
    )

    assert context_countries([applicant.pk]) == {applicant.pk: ["KE"]}


def test_a_draft_brings_no_context(application, applicant):
    Application.objects.filter(pk=application.pk).update(country="KE")

    assert context_countries([applicant.pk]) == {}
