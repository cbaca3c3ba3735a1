"""Starting an application and saving its sections as drafts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from tests.factories.applications import EligibilityQuestionFactory, full_call

pytestmark = pytest.mark.django_db


def test_apply_starts_one_application_per_call(student, call, applicant):
    first = student.post(f"/applications/calls/{call.slug}/apply/")
    second = student.post(f"/applications/calls/{call.slug}/apply/")

    application = Application.objects.get()
    assert first["Location"] == f"/applications/{application.pk}/"
    assert second["Location"] == f"/applications/{application.pk}/"
    assert application.applicant == applicant
    assert application.state == ApplicationState.DRAFT
    assert [q["label"] for q in application.questions] == [
        "Motivation",
        "Grade",
        "Plans",
        "Optional",
    ]


def test_apply_needs_a_login(client, call):
    response = client.get(f"/applications/calls/{call.slug}/apply/")

    assert response["Location"] == f"/accounts/login/?next=/applications/calls/{call.slug}/apply/"


def test_eligibility_screens_out_with_the_reason(student, call):
    question = EligibilityQuestionFactory(call=call, reason="Only for students in Africa.")

    response = student.post(f"/applications/calls/{call.slug}/apply/", {f"q{question.pk}": "no"})

    assert response.status_code == 200
    assert "Only for students in Africa." in response.content.decode()
    assert not Application.objects.exists()


def test_eligible_answers_start_the_application(student, call):
    question = EligibilityQuestionFactory(call=call)

    response = student.post(f"/applications/calls/{call.slug}/apply/", {f"q{question.pk}": "yes"})

    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_a_closed_call_cannot_be_started(student):
    call = full_call(closes_at=timezone.now() - timedelta(minutes=1))

    response = student.post(f"/applications/calls/{call.slug}/apply/")

    assert "This call is not open for applications." in response.content.decode()
    assert not Application.objects.exists()


def test_detail_opens_the_first_step_with_something_missing(student, application):
    assert student.get(f"/applications/{application.pk}/")["Location"] == (
        f"/applications/{application.pk}/about/"
    )


def _section(application, number):
    return f"/applications/{application.pk}/section/{number}/"


def test_a_section_saves_as_a_draft_with_gaps(student, application):
    motivation, grade, _plans, _optional = (q["id"] for q in application.questions)

    response = student.post(
        _section(application, 1), {"version": 1, f"q{motivation}": "I want to serve."}
    )

    application.refresh_from_db()
    assert response["Location"] == _section(application, 1)
    assert application.answers == {str(motivation): "I want to serve.", str(grade): None}
    assert application.version == 2


def test_save_and_continue_moves_to_the_next_step(student, application):
    response = student.post(
        _section(application, 1), {"version": 1, "go": _section(application, 2)}
    )

    assert response["Location"] == _section(application, 2)


def test_an_invalid_answer_keeps_what_was_typed_and_saves_the_rest(student, application):
    motivation, grade, _plans, _optional = (q["id"] for q in application.questions)

    response = student.post(
        _section(application, 1),
        {"version": 1, f"q{motivation}": "one two three four five six", f"q{grade}": "16.5"},
    )

    html = response.content.decode()
    application.refresh_from_db()
    assert response.status_code == 200
    assert "one two three four five six</textarea>" in html
    assert "Keep this to 5 words; it has 6." in html
    assert (
        f'aria-invalid="true" aria-describedby="id_q{motivation}_helptext id_q{motivation}_error"'
        in html
    )
    assert application.answers == {str(grade): "16.5"}
    assert f'name="version" value="{application.version}"' in html


def test_a_second_tab_cannot_overwrite_silently(student, application):
    motivation = application.questions[0]["id"]
    student.post(_section(application, 1), {"version": 1, f"q{motivation}": "From tab one."})

    response = student.post(
        _section(application, 1), {"version": 1, f"q{motivation}": "From tab two."}
    )

    application.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed in another tab or window" in html
    assert "From tab two.</textarea>" in html
    assert application.answers[str(motivation)] == "From tab one."


def test_autosave_answers_json_and_refuses_a_stale_version(student, application):
    motivation = application.questions[0]["id"]
    url = _section(application, 1)

    saved = student.post(
        url, {"version": 1, f"q{motivation}": "Draft"}, headers={"X-Autosave": "1"}
    )
    stale = student.post(url, {"version": 1, f"q{motivation}": "Old"}, headers={"X-Autosave": "1"})

    assert saved.json()["version"] == 2
    assert stale.status_code == 409
    assert "another tab" in stale.json()["error"]


def test_about_you_saves_profile_columns(student, application):
    response = student.post(
        f"/applications/{application.pk}/about/",
        {
            "version": 1,
            "country": "KE",
            "institution": "University of Nairobi",
            "year_of_study": "4",
        },
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.country.code, application.institution, application.year_of_study) == (
        "KE",
        "University of Nairobi",
        4,
    )


def test_editing_a_live_call_does_not_change_started_applications(student, application, call):
    call.questions.update(label="Renamed")

    html = student.get(_section(application, 1)).content.decode()

    assert "Motivation (required)" in html
    assert "Renamed" not in html


def test_after_the_deadline_a_draft_is_kept_but_not_changed(student, application):
    motivation = application.questions[0]["id"]
    Application.objects.filter(pk=application.pk).update(answers={str(motivation): "Kept"})
    application.call.closes_at = timezone.now() - timedelta(seconds=1)
    application.call.save()

    response = student.post(_section(application, 1), {"version": 1, f"q{motivation}": "Late"})

    application.refresh_from_db()
    assert response["Location"] == f"/applications/{application.pk}/submit/"
    assert application.answers == {str(motivation): "Kept"}
