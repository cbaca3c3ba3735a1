"""Mentor profiles, mentee requests, mentorships and check-ins."""

import factory
from django.utils import timezone

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.models import CheckIn, MenteeRequest, MentorProfile, Mentorship
from tests.factories.accounts import UserFactory


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    specialties = ["cardiology"]
    languages = ["en", "fr"]
    countries = ["SN"]
    time_zone = "Europe/Paris"
    capacity = 2


class ApprovedMentorFactory(MentorProfileFactory):
    status = MentorStatus.APPROVED


class MenteeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeRequest

    user = factory.SubFactory(UserFactory)
    interests = ["cardiology"]
    languages = ["fr"]
    time_zone = "Africa/Dakar"
    preferred_country = "SN"
    goals = "Prepare a residency application in cardiology."
    status = RequestStatus.OPEN


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    request = factory.SubFactory(MenteeRequestFactory, status=RequestStatus.MATCHED)
    mentee = factory.LazyAttribute(lambda o: o.request.user)
    mentor = factory.SubFactory(ApprovedMentorFactory)
    score = 75.0
    reasons = [
        {"code": "language", "values": ["fr"], "points": 0},
        {"code": "specialty", "values": ["cardiology"], "points": 36.36},
    ]
    goals = factory.LazyAttribute(lambda o: o.request.goals)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    mentorship = factory.SubFactory(MentorshipFactory)
    author = factory.LazyAttribute(lambda o: o.mentorship.mentee)
    held_on = factory.LazyFunction(lambda: timezone.now().date())
    notes = "Talked about choosing a specialty."
    next_step = "Read two residency programme pages."
