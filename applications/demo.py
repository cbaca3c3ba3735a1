"""Demo calls: one open, one closed, with questions, documents, referees, rubric and committee."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications.enums import AwardMode, FileType, QuestionKind
from applications.models import (
    Call,
    CommitteeMembership,
    Criterion,
    DocumentKind,
    EligibilityQuestion,
    Question,
)
from portal.demo import demo_user

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
        "Internal medicine\nPaediatrics\nSurgery\nObstetrics and gynaecology\nFamily medicine\nNot decided yet",
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
            section=section,
            label=label,
            kind=kind,
            word_limit=limit,
            choices=choices,
            identifying=identifying,
        )
    for order, (name, types, size, required, identifying) in enumerate(DOCUMENTS):
        DocumentKind.objects.create(
            call=call,
            sort_order=order,
            name=name,
            allowed_types=list(types),
            max_size_mb=size,
            required=required,
            identifying=identifying,
        )
    for order, (name, description, weight) in enumerate(CRITERIA):
        Criterion.objects.create(
            call=call, sort_order=order, name=name, description=description, weight=Decimal(weight)
        )
    EligibilityQuestion.objects.create(
        call=call,
        sort_order=0,
        text="Are you enrolled in a medical school in Africa or the Middle East?",
        reason="This call supports students enrolled in a medical school in Africa or the Middle East.",
    )
    EligibilityQuestion.objects.create(
        call=call,
        sort_order=1,
        text="Have you completed at least two years of medical school?",
        reason="This call is for students who have completed at least two years of medical school.",
    )


def seed(out) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    open_call, _ = Call.objects.update_or_create(
        slug="medical-student-scholarship-2027",
        defaults={
            "title": "Medical Student Scholarship 2027",
            "summary": "Tuition and living support for medical students in their clinical years.",
            "time_zone": "Africa/Nairobi",
            "opens_at": now - timedelta(days=14),
            "closes_at": now + timedelta(days=45),
            "currency": "USD",
            "budget": Decimal("60000"),
            "award_mode": AwardMode.REQUESTED,
            "award_amount": Decimal("5000"),
            "reviewers_per_application": 2,
            "referees_required": 1,
        },
    )
    closed_call, _ = Call.objects.update_or_create(
        slug="research-elective-grant-2026",
        defaults={
            "title": "Research Elective Grant 2026",
            "summary": "Travel grants for a research elective abroad.",
            "time_zone": "Africa/Lagos",
            "opens_at": now - timedelta(days=120),
            "closes_at": now - timedelta(days=30),
            "currency": "EUR",
            "budget": Decimal("20000"),
            "award_amount": Decimal("2000"),
            "reviewers_per_application": 2,
            "blind_review": True,
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
    out.write("Calls: 1 open, 1 closed, each with questions, documents, a rubric and a committee.")
