"""Demo calls: one open, one closed, with questions, documents, referees, rubric and committee.
Their texts are in English, French, Arabic and Spanish (applications/demo_texts.py), except the
closed call's title and summary, which show the English fallback."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.demo_texts import ANSWERS, SPECIALTY_CHOICES, in_every_language
from applications.enums import (
    ApplicationState,
    AwardMode,
    CallState,
    FileType,
    QuestionKind,
    ReviewState,
)
from applications.models import (
    Application,
    Assignment,
    Call,
    CommitteeMembership,
    Criterion,
    DocumentKind,
    EligibilityQuestion,
    Question,
    Review,
)
from applications.services.committee import reviewers_assign
from portal.demo import DEMO_PASSWORD, demo_person, demo_user

QUESTIONS = [
    (
        "Your studies",
        "Why do you want to work in global health?",
        QuestionKind.LONG_TEXT,
        300,
        "",
        False,
    ),
    (
        "Your studies",
        "Which clinical rotation has taught you the most, and why?",
        QuestionKind.LONG_TEXT,
        200,
        "",
        False,
    ),
    (
        "Your studies",
        "Your most recent grade average (out of 20)",
        QuestionKind.NUMBER,
        None,
        "",
        False,
    ),
    (
        "Your plans",
        "Which specialty do you intend to train in?",
        QuestionKind.CHOICE,
        None,
        "\n".join(SPECIALTY_CHOICES["en"]),
        False,
    ),
    (
        "Your plans",
        "Where do you plan to practise after graduating?",
        QuestionKind.SHORT_TEXT,
        None,
        "",
        True,
    ),
    (
        "Your plans",
        "Do you receive any other scholarship this year?",
        QuestionKind.YES_NO,
        None,
        "",
        False,
    ),
]
DOCUMENTS = [
    ("Academic transcript", [FileType.PDF], 5, True, False),
    ("Proof of enrolment", [FileType.PDF, FileType.JPEG, FileType.PNG], 5, True, True),
    ("CV", [FileType.PDF], 2, False, True),
]
CRITERIA = [
    ("Academic record", "Grades and progression, read against the school's standards.", "1.0"),
    ("Motivation", "A clear, specific commitment to serving under-resourced communities.", "1.5"),
    ("Financial need", "How much the award changes what the student can do.", "1.0"),
]


def _configure(call: Call) -> None:
    if call.questions.exists():
        return
    for order, (section, label, kind, limit, choices, identifying) in enumerate(QUESTIONS):
        Question.objects.create(
            call=call,
            sort_order=order,
            **in_every_language("section", section),
            **in_every_language("label", label),
            kind=kind,
            word_limit=limit,
            **_choices(choices),
            identifying=identifying,
        )
    for order, (name, types, size, required, identifying) in enumerate(DOCUMENTS):
        DocumentKind.objects.create(
            call=call,
            sort_order=order,
            **in_every_language("name", name),
            allowed_types=list(types),
            max_size_mb=size,
            required=required,
            identifying=identifying,
        )
    for order, (name, description, weight) in enumerate(CRITERIA):
        Criterion.objects.create(
            call=call,
            sort_order=order,
            **in_every_language("name", name),
            **in_every_language("description", description),
            weight=Decimal(weight),
        )
    EligibilityQuestion.objects.create(
        call=call,
        sort_order=0,
        **in_every_language(
            "text", "Are you enrolled in a medical school in Africa or the Middle East?"
        ),
        **in_every_language(
            "reason",
            "This call supports students enrolled in a medical school in Africa or the Middle East.",
        ),
    )
    EligibilityQuestion.objects.create(
        call=call,
        sort_order=1,
        **in_every_language("text", "Have you completed at least two years of medical school?"),
        **in_every_language(
            "reason",
            "This call is for students who have completed at least two years of medical school.",
        ),
    )


def _choices(choices: str) -> dict[str, str]:
    if choices == "\n".join(SPECIALTY_CHOICES["en"]):
        return {f"choices_{code}": "\n".join(lines) for code, lines in SPECIALTY_CHOICES.items()}
    return {"choices_en": choices}


def seed(out) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    open_call, _ = Call.objects.update_or_create(
        slug="medical-student-scholarship-2027",
        defaults={
            **in_every_language("title", "Medical Student Scholarship 2027"),
            **in_every_language(
                "summary",
                "Tuition and living support for medical students in their clinical years.",
            ),
            "time_zone": "Africa/Nairobi",
            "opens_at": now - timedelta(days=14),
            "closes_at": now + timedelta(days=45),
            "currency": "USD",
            "budget": Decimal("60000"),
            "award_mode": AwardMode.REQUESTED,
            "award_amount": Decimal("5000"),
            "reviewers_per_application": 2,
            "referees_required": 1,
            "state": CallState.PUBLISHED,
            "published_at": now - timedelta(days=14),
            "languages": ["en", "fr", "ar", "es"],
        },
    )
    closed_call, _ = Call.objects.update_or_create(
        slug="research-elective-grant-2026",
        defaults={
            "title_en": "Research Elective Grant 2026",
            "summary_en": "Travel grants for a research elective abroad.",
            "time_zone": "Africa/Lagos",
            "opens_at": now - timedelta(days=120),
            "closes_at": now - timedelta(days=30),
            "currency": "EUR",
            "budget": Decimal("20000"),
            "award_amount": Decimal("2000"),
            "reviewers_per_application": 2,
            "blind_review": True,
            "state": CallState.PUBLISHED,
            "published_at": now - timedelta(days=120),
        },
    )
    for call in (open_call, closed_call):
        _configure(call)
        CommitteeMembership.objects.update_or_create(
            call=call,
            user=demo_user("chair"),
            defaults={
                "is_chair": True,
                "expertise": ["surgery", "West Africa"],
                "languages": ["en", "fr", "ar"],
            },
        )
        CommitteeMembership.objects.update_or_create(
            call=call,
            user=demo_user("reviewer"),
            defaults={
                "is_chair": False,
                "expertise": ["pediatrics", "East Africa"],
                "languages": ["en", "sw"],
            },
        )
    _open_call_reviewers(open_call)
    _reviewed_applications(closed_call)
    out.write(
        "Calls: 1 open, 1 closed (6 applications, assigned and reviewed), each with questions, "
        "documents, a rubric and a committee."
    )


# More reviewers of the open call, so that its assignment (2 per application) can run: each
# with taxonomy tags (specialty and country codes) and a load cap left open.
OPEN_CALL_REVIEWERS = [
    ("reviewer2@demo.test", "Esther Achieng", "dr", ["pediatrics", "KE"], ["en", "sw"]),
    ("reviewer3@demo.test", "Yaw Mensah", "", ["surgery", "GH", "NG"], ["en", "fr"]),
]


def _open_call_reviewers(call: Call) -> None:
    for email, name, address, expertise, languages in OPEN_CALL_REVIEWERS:
        user, _created = demo_person(email, name, form_of_address=address)
        CommitteeMembership.objects.get_or_create(
            call=call, user=user, defaults={"expertise": expertise, "languages": languages}
        )


# (name as written, name in Latin letters if it is in another script, country, school)
STUDENTS = [
    ("Awa Ndiaye", "", "SN", "Université Cheikh Anta Diop"),
    ("Kofi Boateng", "", "GH", "University of Ghana Medical School"),
    ("نور السيد", "Nour El-Sayed", "EG", "Ain Shams University"),
    ("Grace Wanjiru", "", "KE", "University of Nairobi"),
    ("Tendai Moyo", "", "ZW", "University of Zimbabwe"),
    ("Amadou Traoré", "", "ML", "Université de Bamako"),
]


# The language some demo applicants write in (the others write in English).
WRITTEN_IN = {"SN": "fr", "ML": "fr", "EG": "ar"}


def _answers(call: Call, language: str, number: int) -> dict[str, object]:
    """Answers as an applicant gives them: text in their language, a choice as its English
    value (shown to each reader in theirs)."""
    answers: dict[str, object] = {}
    for question in call.questions.all():
        if question.kind in QuestionKind.with_choices():
            choice = question.choice_list[number % len(question.choice_list)]
            value: object = [choice] if question.kind == QuestionKind.MULTIPLE_CHOICE else choice
        elif question.kind == QuestionKind.YES_NO:
            value = "no" if number % 3 else "yes"
        elif question.kind == QuestionKind.NUMBER:
            value = str(12 + number)
        else:
            value = ANSWERS[language]
        answers[str(question.pk)] = value
    return answers


def _reviewed_applications(call: Call) -> None:
    """Submitted, assigned and scored applications in the closed call, for the chair's board."""
    if call.applications.exists():
        return
    User = get_user_model()
    second, created = User.objects.get_or_create(
        email="reviewer2@demo.test",
        defaults={"full_name": "Esther Achieng", "form_of_address": "dr"},
    )
    if created:
        second.set_password(DEMO_PASSWORD)
        second.save()
    CommitteeMembership.objects.get_or_create(
        call=call, user=second, defaults={"expertise": ["KE", "pediatrics"], "languages": ["en"]}
    )
    for number, (name, latin_name, country, school) in enumerate(STUDENTS):
        student, _ = User.objects.get_or_create(
            email=f"student{number + 1}@demo.test",
            defaults={"full_name": name, "latin_name": latin_name},
        )
        Application.objects.create(
            call=call,
            applicant=student,
            state=ApplicationState.SUBMITTED,
            questions=[q.snapshot() for q in call.questions.all()],
            answers=_answers(call, WRITTEN_IN.get(country, "en"), number),
            language=WRITTEN_IN.get(country, "en"),
            country=country,
            institution=school,
            year_of_study=4,
            submitted_at=call.closes_at - timedelta(days=2),
        )
    reviewers_assign(call=call, actor=demo_user("chair"))
    criteria = list(call.criteria.all())
    for index, assignment in enumerate(
        Assignment.objects.filter(application__call=call).order_by("pk")
    ):
        harsh = assignment.membership.user.email == "reviewer@demo.test"
        scores = {
            str(c.pk): max(0, min(c.scale_max, (index * 7 + c.pk) % 6 - (1 if harsh else 0)))
            for c in criteria
        }
        Review.objects.create(
            assignment=assignment,
            scores=scores,
            state=ReviewState.SUBMITTED,
            recommendation="award" if sum(scores.values()) > 8 else "waitlist",
            comment="A demo review.",
            submitted_at=call.closes_at + timedelta(days=3),
        )
