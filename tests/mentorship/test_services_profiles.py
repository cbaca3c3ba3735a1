"""Tests for mentorship.services.profiles: mentor sign-up and approval, mentee requests."""

import pytest

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.services import profiles
from portal.errors import Refused
from tests.factories.accounts import UserFactory
from tests.factories.mentorship import MenteeRequestFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "specialties": ["cardiology"],
    "languages": ["fr", "en"],
    "countries": ["SN", "FR"],
    "time_zone": "Europe/Paris",
    "capacity": 2,
    "availability": "Evenings",
    "bio": "Cardiologist in Lyon.",
}
REQUEST = {
    "interests": ["cardiology"],
    "languages": ["fr"],
    "time_zone": "Africa/Dakar",
    "preferred_country": "SN",
    "goals": "Residency abroad.",
}


def test_mentor_profile_create_waits_for_approval():
    user = UserFactory()

    profile = profiles.mentor_profile_create(user=user, **PROFILE)

    assert profile.status == MentorStatus.PENDING
    assert profile.languages == ["fr", "en"]
    assert profile.countries == ["SN", "FR"]


def test_mentor_profile_create_refuses_a_second_profile():
    profile = MentorProfileFactory()

    with pytest.raises(Refused, match="already have a mentor profile") as refusal:
        profiles.mentor_profile_create(user=profile.user, **PROFILE)
    assert refusal.value.code == "exists"


def test_mentor_profile_update_keeps_the_status():
    profile = MentorProfileFactory(status=MentorStatus.APPROVED)

    profiles.mentor_profile_update(profile=profile, **{**PROFILE, "capacity": 0})

    profile.refresh_from_db()
    assert (profile.status, profile.capacity) == (MentorStatus.APPROVED, 0)


def test_mentor_approval_emails_the_mentor_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    profile = MentorProfileFactory(user__preferred_language="fr", capacity=3)

    with django_capture_on_commit_callbacks(execute=True):
        profiles.mentor_profile_set_status(
            profile=profile, status=MentorStatus.APPROVED, by=UserFactory()
        )

    profile.refresh_from_db()
    assert profile.status == MentorStatus.APPROVED
    assert profile.status_changed_at is not None
    (message,) = mailoutbox
    assert message.to == [profile.user.email]
    assert "Vous serez présenté à 3 étudiants au maximum" in message.body  # in French
    assert "http://127.0.0.1:8000/fr/mentorship/mentoring/profile/" in message.body


def test_mentor_pause_and_approval_again_send_no_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    profile = MentorProfileFactory(status=MentorStatus.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        profiles.mentor_profile_set_status(profile=profile, status=MentorStatus.PAUSED, by=None)
        profiles.mentor_profile_set_status(profile=profile, status=MentorStatus.APPROVED, by=None)

    assert mailoutbox == []


def test_mentor_status_refuses_an_unknown_status():
    with pytest.raises(Refused, match="Unknown status") as refusal:
        profiles.mentor_profile_set_status(
            profile=MentorProfileFactory(), status="retired", by=None
        )
    assert refusal.value.code == "invalid"


def test_mentee_request_create_then_a_second_is_refused():
    user = UserFactory()

    request = profiles.mentee_request_create(user=user, **REQUEST)

    assert (request.status, request.preferred_country.code) == (RequestStatus.OPEN, "SN")
    with pytest.raises(Refused, match="already asked for a mentor") as refusal:
        profiles.mentee_request_create(user=user, **REQUEST)
    assert refusal.value.code == "exists"


def test_mentee_request_create_refuses_no_language():
    with pytest.raises(Refused, match="Choose at least one language") as refusal:
        profiles.mentee_request_create(user=UserFactory(), **{**REQUEST, "languages": []})

    assert (refusal.value.code, refusal.value.field) == ("no_language", "languages")


def test_mentee_request_after_a_withdrawal_is_a_new_request():
    old = MenteeRequestFactory(status=RequestStatus.WITHDRAWN)

    new = profiles.mentee_request_create(user=old.user, **REQUEST)

    assert new.pk != old.pk


def test_mentee_request_update_refused_once_matched():
    request = MenteeRequestFactory(status=RequestStatus.MATCHED)

    with pytest.raises(Refused, match="can no longer change") as refusal:
        profiles.mentee_request_update(request=request, **REQUEST)
    assert refusal.value.code == "not_open"


def test_mentee_request_update_changes_a_waiting_request():
    request = MenteeRequestFactory(languages=["en"])

    profiles.mentee_request_update(request=request, **{**REQUEST, "languages": ["fr", "ar"]})

    request.refresh_from_db()
    assert request.languages == ["fr", "ar"]


def test_mentee_request_withdraw_only_while_waiting():
    waiting = MenteeRequestFactory()

    profiles.mentee_request_withdraw(request=waiting)

    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.WITHDRAWN
    with pytest.raises(Refused, match="Only a request still waiting") as refusal:
        profiles.mentee_request_withdraw(request=waiting)
    assert refusal.value.code == "not_open"
