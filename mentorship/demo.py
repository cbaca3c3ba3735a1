"""Demo mentors (diaspora clinicians and alumni) and one student waiting for a mentor."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.models import MatchingWeights, MenteeRequest, MentorProfile
from portal.demo import DEMO_PASSWORD, demo_user

MENTORS = [
    (
        "mentor2@demo.test",
        {
            "full_name": "فاطمة الزهراء بناني",
            "latin_name": "Fatima Zahra Bennani",
            "form_of_address": "dr",
        },
        ["obstetrics_gynecology"],
        ["ar", "fr", "en"],
        ["MA", "FR"],
        "Europe/Paris",
        2,
    ),
    (
        "mentor3@demo.test",
        {"full_name": "Daniel Tesfaye", "form_of_address": "dr"},
        ["internal_medicine", "global_health"],
        ["en", "am"],
        ["ET", "US"],
        "America/New_York",
        3,
    ),
]


def seed(out) -> None:
    MentorProfile.objects.update_or_create(
        user=demo_user("mentor"),
        defaults={
            "bio": "Paediatric cardiologist in London; trained in Lagos.",
            "specialties": ["cardiology", "pediatrics"],
            "languages": ["en", "yo"],
            "countries": ["NG", "GB"],
            "time_zone": "Europe/London",
            "capacity": 2,
            "availability": "One video call a month, weekday evenings (London time).",
            "status": MentorStatus.APPROVED,
        },
    )
    User = get_user_model()
    for email, names, specialties, languages, countries, zone, capacity in MENTORS:
        user, created = User.objects.get_or_create(email=email, defaults=names)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        MentorProfile.objects.update_or_create(
            user=user,
            defaults={
                "specialties": specialties,
                "languages": languages,
                "countries": countries,
                "time_zone": zone,
                "capacity": capacity,
                "status": MentorStatus.APPROVED,
            },
        )
    MatchingWeights.load()
    applicant = demo_user("applicant")
    if not MenteeRequest.objects.filter(user=applicant).exists():
        MenteeRequest.objects.create(
            user=applicant,
            interests=["cardiology", "pediatrics"],
            languages=["fr", "en"],
            time_zone="Africa/Dakar",
            preferred_country="SN",
            goals="Choosing between paediatrics and cardiology, and preparing a residency application.",
            status=RequestStatus.OPEN,
        )
    out.write(
        f"Mentors: {1 + len(MENTORS)} approved; {applicant.email} waits for a mentor "
        "(staff: prepare a round at /mentorship/staff/rounds/)."
    )
