"""Demo calls: one open, one closed, with a committee."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import Call, CommitteeMembership
from portal.demo import demo_user


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
    out.write("Calls: 1 open, 1 closed, each with a chair and a reviewer.")
