"""A call's texts in every language: the questions in the reader's language, the English
fallback marked, choice answers that do not depend on the language they were given in, the
language an application is written in, the data step. (The admin's fields per language:
test_content_admin.py.)"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from applications.enums import ApplicationState, QuestionKind
from applications.models import Application, Call, Question
from applications.services.applications import application_start
from tests.factories.accounts import UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CommitteeMembershipFactory,
    CriterionFactory,
    EligibilityQuestionFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic_call(db):
    """A call entered in English and Arabic (and French in part); one question has no
    translation at all."""
    call = CallFactory(
        title="Rural Health Scholarship",
        title_ar="منحة الصحة الريفية",
        summary="Support for students from rural areas.",
        summary_ar="دعم للطلاب القادمين من المناطق الريفية.",
    )
    QuestionFactory(
        call=call,
        section="Your studies",
        section_ar="دراستك",
        label="Why do you want to study medicine?",
        label_ar="لماذا تريد دراسة الطب؟",
        help_text="A few sentences.",
        help_text_ar="بضع جمل.",
        kind=QuestionKind.LONG_TEXT,
    )
    QuestionFactory(
        call=call,
        section="Your studies",
        label="Your grade average",
        kind=QuestionKind.NUMBER,
        required=False,
    )
    QuestionFactory(
        call=call,
        section="Your plans",
        section_fr="Vos projets",
        section_ar="خططك",
        label="Which specialty?",
        label_fr="Quelle spécialité ?",
        label_ar="ما التخصص؟",
        kind=QuestionKind.CHOICE,
        choices="Surgery\nPaediatrics",
        choices_fr="Chirurgie\nPédiatrie",
        choices_ar="الجراحة\nطب الأطفال",
    )
    return call


def _question(call, label: str) -> Question:
    return call.questions.get(label_en=label)


def test_a_call_entered_in_arabic_shows_its_questions_in_arabic(arabic_call, client, signed_in):
    student = signed_in(UserFactory(), client)

    started = student.post(f"/ar/applications/calls/{arabic_call.slug}/apply/")
    application = Application.objects.get()
    html = student.get(f"/ar/applications/{application.pk}/section/1/").content.decode()

    assert started.status_code == 302
    assert "<h1><bdi>منحة الصحة الريفية</bdi></h1>" in html
    assert "<h2>دراستك</h2>" in html
    assert "لماذا تريد دراسة الطب؟" in html and "بضع جمل." in html
    assert "Why do you want to study medicine?" not in html


def test_a_text_missing_in_the_readers_language_is_shown_in_english_marked(
    arabic_call, client, signed_in
):
    student = signed_in(UserFactory(), client)
    student.post(f"/ar/applications/calls/{arabic_call.slug}/apply/")
    application = Application.objects.get()

    arabic = student.get(f"/ar/applications/{application.pk}/section/1/").content.decode()
    french = student.get(f"/fr/applications/{application.pk}/section/1/").content.decode()

    assert '<span lang="en" dir="ltr">Your grade average</span>' in arabic
    assert '<span lang="en">Your grade average</span>' in french
    assert '<span lang="en">Why do you want to study medicine?</span>' in french


def test_the_call_page_marks_an_english_title_for_readers_of_another_language(
    arabic_call, client, signed_in
):
    student = signed_in(UserFactory(), client)

    french = student.get(f"/fr/applications/calls/{arabic_call.slug}/apply/").content.decode()
    arabic = student.get(f"/ar/applications/calls/{arabic_call.slug}/apply/").content.decode()
    english = student.get(f"/applications/calls/{arabic_call.slug}/apply/").content.decode()

    assert '<h1><bdi><span lang="en">Rural Health Scholarship</span></bdi> <span class="meta">' in (
        french
    )
    assert '<span lang="en">Support for students from rural areas.</span>' in french
    assert "<h1><bdi>منحة الصحة الريفية</bdi></h1>" in arabic
    assert "<h1><bdi>Rural Health Scholarship</bdi></h1>" in english


def test_an_eligibility_reason_is_given_in_the_readers_language(client, signed_in):
    call = CallFactory()
    question = EligibilityQuestionFactory(
        call=call,
        text="Are you a medical student?",
        text_es="¿Eres estudiante de medicina?",
        reason="This call is for medical students.",
        reason_es="Esta convocatoria es para estudiantes de medicina.",
    )
    student = signed_in(UserFactory(), client)

    html = student.post(
        f"/es/applications/calls/{call.slug}/apply/", {f"q{question.pk}": "no"}
    ).content.decode()

    assert "¿Eres estudiante de medicina?" in html
    assert "<li>Esta convocatoria es para estudiantes de medicina.</li>" in html
    assert not Application.objects.exists()


def test_an_application_keeps_the_language_it_is_started_in(arabic_call, client, signed_in):
    student = signed_in(UserFactory(), client)

    student.post(f"/ar/applications/calls/{arabic_call.slug}/apply/")

    assert Application.objects.get().language == "ar"
    translation.activate("es")
    assert application_start(call=CallFactory(), applicant=UserFactory()).language == "es"


def test_a_choice_answered_in_french_reads_in_english_for_a_reviewer(
    arabic_call, client, signed_in
):
    with translation.override("fr"):
        application = application_start(call=arabic_call, applicant=UserFactory())
    specialty = _question(arabic_call, "Which specialty?")
    student = signed_in(application.applicant)
    form = student.get(f"/fr/applications/{application.pk}/section/2/").content.decode()

    saved = student.post(
        f"/fr/applications/{application.pk}/section/2/",
        {"version": application.version, f"q{specialty.pk}": "Paediatrics"},
    )
    application.refresh_from_db()
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.UNDER_REVIEW)
    assignment = AssignmentFactory(
        application=application, membership=CommitteeMembershipFactory(call=arabic_call)
    )
    reviewer = signed_in(assignment.membership.user)
    english = reviewer.get(f"/applications/review/{assignment.pk}/").content.decode()
    arabic = reviewer.get(f"/ar/applications/review/{assignment.pk}/").content.decode()

    assert 'value="Paediatrics"' in form and "Pédiatrie" in form
    assert saved.status_code == 302
    assert application.language == "fr"
    assert application.answers[str(specialty.pk)] == "Paediatrics"
    assert "<dt>Which specialty?</dt>\n        <dd>Paediatrics</dd>" in english
    assert "<dt>ما التخصص؟</dt>\n        <dd>طب الأطفال</dd>" in arabic
    assert "Written in French" in english


def test_the_reviewer_reads_the_questions_in_their_language_and_the_answers_as_written(
    arabic_call, client, signed_in
):
    with translation.override("ar"):
        application = application_start(call=arabic_call, applicant=UserFactory())
    motivation = _question(arabic_call, "Why do you want to study medicine?")
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.UNDER_REVIEW, answers={str(motivation.pk): "لأنني أريد أن أخدم."}
    )
    criterion = CriterionFactory(call=arabic_call, name="Motivation", name_fr="Motivation forte")
    assignment = AssignmentFactory(
        application=application, membership=CommitteeMembershipFactory(call=arabic_call)
    )
    reviewer = signed_in(assignment.membership.user, client)

    html = reviewer.get(f"/fr/applications/review/{assignment.pk}/").content.decode()

    assert '<span lang="en">Why do you want to study medicine?</span>' in html
    assert '<dd><div lang="ar" dir="auto">لأنني أريد أن أخدم.</div></dd>' in html
    assert "Motivation forte" in html and criterion.name_en == "Motivation"


def test_an_answer_given_before_the_translations_stays_readable(client, signed_in):
    call = CallFactory()
    question = QuestionFactory(
        call=call, label="Specialty", kind=QuestionKind.CHOICE, choices="Surgery\nPaediatrics"
    )
    old_snapshot = {k: v for k, v in question.snapshot().items() if k != "translations"}
    application = ApplicationFactory(
        call=call,
        questions=[old_snapshot],
        answers={str(question.pk): "Surgery"},
        state=ApplicationState.UNDER_REVIEW,
    )
    assignment = AssignmentFactory(
        application=application, membership=CommitteeMembershipFactory(call=call)
    )
    reviewer = signed_in(assignment.membership.user, client)

    html = reviewer.get(f"/fr/applications/review/{assignment.pk}/").content.decode()

    assert '<dt><span lang="en">Specialty</span></dt>' in html
    assert '<dd><span lang="en">Surgery</span></dd>' in html


def test_translated_choices_must_match_the_english_ones(db):
    question = QuestionFactory.build(
        call=CallFactory(),
        kind=QuestionKind.CHOICE,
        choices="Surgery\nPaediatrics",
        choices_es="Cirugía",
    )

    with pytest.raises(ValidationError, match="same choices as in English") as refusal:
        question.clean()

    assert list(refusal.value.message_dict) == ["choices_es"]


def test_english_queries_keep_working_and_other_languages_fall_back(db):
    first = CallFactory(title="Beta grant", title_fr="Bourse Alpha")
    second = CallFactory(title="Alpha grant")

    english = list(Call.objects.filter(title="Beta grant"))
    english_order = list(Call.objects.order_by("title").values_list("title", flat=True))
    with translation.override("fr"):
        french_titles = dict(Call.objects.values_list("pk", "title"))

    assert english == [first]
    assert english_order == ["Alpha grant", "Beta grant"]
    assert french_titles == {first.pk: "Bourse Alpha", second.pk: "Alpha grant"}
    assert Call.objects.filter(pk=first.pk).values_list("title", flat=True).get() == "Beta grant"


def test_saving_in_another_language_keeps_english_in_the_original_column(db):
    call = CallFactory(title="Grant")

    with translation.override("fr"):
        call.title = "Bourse"
        call.save()

    with connection.cursor() as cursor:
        cursor.execute("SELECT title, title_en, title_fr FROM applications_call")
        assert cursor.fetchall() == [("Grant", "Grant", "Bourse")]


# --- The data step ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_copies_existing_texts_into_english():
    before = [("applications", "0005_conflict_person")]
    after = [("applications", "0006_call_texts_in_every_language")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    call = old.get_model("applications", "Call").objects.create(
        title="Old grant",
        slug="old-grant",
        summary="Typed before translations.",
        time_zone="UTC",
        opens_at="2026-01-01T00:00:00Z",
        closes_at="2026-02-01T00:00:00Z",
    )
    old.get_model("applications", "Question").objects.create(
        call_id=call.pk, sort_order=0, section="Studies", label="Why?", kind="short_text"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    migrated = new.get_model("applications", "Call").objects.get(pk=call.pk)
    question = new.get_model("applications", "Question").objects.get(call_id=call.pk)

    assert (migrated.title_en, migrated.summary_en, migrated.title_fr) == (
        "Old grant",
        "Typed before translations.",
        None,
    )
    assert (question.section_en, question.label_en, question.section_fr) == (
        "Studies",
        "Why?",
        None,
    )
