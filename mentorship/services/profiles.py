"""Mentor profiles and mentee requests: sign-up, edits, approval, withdrawal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.models import MenteeRequest, MentorProfile
from mentorship.services.common import user_language
from portal.emails import email_send


def _set_name(user, full_name: str) -> None:
    """The name the other side will see; the sign-up form asks only for an email address."""
    full_name = " ".join(full_name.split())
    if full_name and full_name != user.full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])


@transaction.atomic
def mentor_profile_create(
    *,
    user,
    specialties: list[str],
    languages: list[str],
    countries: list[str],
    time_zone: str,
    capacity: int,
    availability: str = "",
    bio: str = "",
    full_name: str = "",
) -> MentorProfile:
    """A new mentor waits for staff approval before any round considers them."""
    if MentorProfile.objects.filter(user=user).exists():
        raise ValidationError(_("You already have a mentor profile."), code="exists")
    _set_name(user, full_name)
    return MentorProfile.objects.create(
        user=user,
        specialties=list(specialties),
        languages=list(languages),
        countries=list(countries),
        time_zone=time_zone,
        capacity=capacity,
        availability=availability,
        bio=bio,
        status=MentorStatus.PENDING,
    )


@transaction.atomic
def mentor_profile_update(
    *,
    profile: MentorProfile,
    specialties: list[str],
    languages: list[str],
    countries: list[str],
    time_zone: str,
    capacity: int,
    availability: str = "",
    bio: str = "",
    full_name: str = "",
) -> MentorProfile:
    """Edits keep the status: an approved mentor stays approved (staff see the change)."""
    _set_name(profile.user, full_name)
    profile.specialties = list(specialties)
    profile.languages = list(languages)
    profile.countries = list(countries)
    profile.time_zone = time_zone
    profile.capacity = capacity
    profile.availability = availability
    profile.bio = bio
    profile.save()
    return profile


@transaction.atomic
def mentor_profile_set_status(*, profile: MentorProfile, status: str, by) -> MentorProfile:
    """Approve or pause a mentor; a newly approved mentor hears about it by email.

    Pausing stops new matches only: the mentor's current mentorships go on.
    """
    if status not in MentorStatus.values:
        raise ValidationError(_("Unknown status."), code="invalid")
    was = profile.status
    if was == status:
        return profile
    profile.status = status
    profile.status_changed_at = timezone.now()
    profile.save(update_fields=["status", "status_changed_at", "updated_at"])
    if status == MentorStatus.APPROVED and was == MentorStatus.PENDING:
        email_send(
            to=[profile.user.email],
            template="mentorship_mentor_approved",
            context={"name": profile.user.get_short_name(), "capacity": profile.capacity},
            language=user_language(profile.user),
        )
    return profile


@transaction.atomic
def mentee_request_create(
    *,
    user,
    interests: list[str],
    languages: list[str],
    time_zone: str,
    goals: str,
    preferred_country: str = "",
    full_name: str = "",
) -> MenteeRequest:
    if MenteeRequest.objects.filter(user=user, status__in=RequestStatus.current()).exists():
        raise ValidationError(
            _("You already asked for a mentor. You can change that request instead."),
            code="exists",
        )
    if not languages:
        raise ValidationError({"languages": _("Choose at least one language.")})
    _set_name(user, full_name)
    return MenteeRequest.objects.create(
        user=user,
        interests=list(interests),
        languages=list(languages),
        time_zone=time_zone,
        preferred_country=preferred_country,
        goals=goals,
    )


@transaction.atomic
def mentee_request_update(
    *,
    request: MenteeRequest,
    interests: list[str],
    languages: list[str],
    time_zone: str,
    goals: str,
    preferred_country: str = "",
    full_name: str = "",
) -> MenteeRequest:
    """Only a request still waiting can change: a match was made on what it said."""
    request = MenteeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(
            _("This request has been matched or closed; it can no longer change."),
            code="not_open",
        )
    if not languages:
        raise ValidationError({"languages": _("Choose at least one language.")})
    request.interests = list(interests)
    request.languages = list(languages)
    request.time_zone = time_zone
    request.preferred_country = preferred_country
    request.goals = goals
    request.save()
    _set_name(request.user, full_name)
    return request


@transaction.atomic
def mentee_request_withdraw(*, request: MenteeRequest) -> MenteeRequest:
    request = MenteeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(
            _("Only a request still waiting for a mentor can be withdrawn."), code="not_open"
        )
    request.status = RequestStatus.WITHDRAWN
    request.needs_new_mentor_since = None
    request.save(update_fields=["status", "needs_new_mentor_since", "updated_at"])
    return request
