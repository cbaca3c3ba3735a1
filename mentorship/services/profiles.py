"""Mentor profiles and mentee requests: sign-up, edits, approval, withdrawal."""

from typing import NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.enums import MentorStatus, RequestStatus
from mentorship.models import MenteeRequest, MentorProfile
from portal.emails import email_send
from portal.errors import Refused


class MentorDetails(TypedDict):
    """What a mentor tells about themselves: the fields of the mentor profile form."""

    specialties: list[str]
    languages: list[str]
    countries: list[str]
    time_zone: str
    capacity: int
    availability: NotRequired[str]
    bio: NotRequired[str]
    full_name: NotRequired[str]


class MenteeDetails(TypedDict):
    """What a mentee asks for: the fields of the mentee request form."""

    interests: list[str]
    languages: list[str]
    time_zone: str
    goals: str
    preferred_country: NotRequired[str]
    full_name: NotRequired[str]


def _set_name(user, full_name: str) -> None:
    """The name the other side will see; the sign-up form asks only for an email address."""
    full_name = " ".join(full_name.split())
    if full_name and full_name != user.full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])


def _mentor_assign(profile: MentorProfile, details: MentorDetails) -> None:
    profile.specialties = list(details["specialties"])
    profile.languages = list(details["languages"])
    profile.countries = list(details["countries"])
    profile.time_zone = details["time_zone"]
    profile.capacity = details["capacity"]
    profile.availability = details.get("availability", "")
    profile.bio = details.get("bio", "")


@transaction.atomic
def mentor_profile_create(*, user, **details: Unpack[MentorDetails]) -> MentorProfile:
    """A new mentor waits for staff approval before any round considers them."""
    if MentorProfile.objects.filter(user=user).exists():
        raise Refused(_("You already have a mentor profile."), code="exists")
    _set_name(user, details.get("full_name", ""))
    profile = MentorProfile(user=user, status=MentorStatus.PENDING)
    _mentor_assign(profile, details)
    profile.save()
    return profile


@transaction.atomic
def mentor_profile_update(
    *, profile: MentorProfile, **details: Unpack[MentorDetails]
) -> MentorProfile:
    """Edits keep the status: an approved mentor stays approved (staff see the change)."""
    _set_name(profile.user, details.get("full_name", ""))
    _mentor_assign(profile, details)
    profile.save()
    return profile


@transaction.atomic
def mentor_profile_set_status(*, profile: MentorProfile, status: str, by) -> MentorProfile:
    """Approve or pause a mentor; a newly approved mentor hears about it by email.

    Pausing stops new matches only: the mentor's current mentorships go on.
    """
    if status not in MentorStatus.values:
        raise Refused(_("Unknown status."), code="invalid", field="status")
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
            user=profile.user,
        )
    return profile


def _mentee_assign(request: MenteeRequest, details: MenteeDetails) -> None:
    if not details["languages"]:
        raise Refused(_("Choose at least one language."), code="no_language", field="languages")
    request.interests = list(details["interests"])
    request.languages = list(details["languages"])
    request.time_zone = details["time_zone"]
    request.preferred_country = details.get("preferred_country", "")
    request.goals = details["goals"]


@transaction.atomic
def mentee_request_create(*, user, **details: Unpack[MenteeDetails]) -> MenteeRequest:
    if MenteeRequest.objects.filter(user=user, status__in=RequestStatus.current()).exists():
        raise Refused(
            _("You already asked for a mentor. You can change that request instead."),
            code="exists",
        )
    request = MenteeRequest(user=user)
    _mentee_assign(request, details)
    _set_name(user, details.get("full_name", ""))
    request.save()
    return request


@transaction.atomic
def mentee_request_update(
    *, request: MenteeRequest, **details: Unpack[MenteeDetails]
) -> MenteeRequest:
    """Only a request still waiting can change: a match was made on what it said."""
    request = MenteeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise Refused(
            _("This request has been matched or closed; it can no longer change."),
            code="not_open",
        )
    _mentee_assign(request, details)
    request.save()
    _set_name(request.user, details.get("full_name", ""))
    return request


@transaction.atomic
def mentee_request_withdraw(*, request: MenteeRequest) -> MenteeRequest:
    request = MenteeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise Refused(
            _("Only a request still waiting for a mentor can be withdrawn."), code="not_open"
        )
    request.status = RequestStatus.WITHDRAWN
    request.needs_new_mentor_since = None
    request.save(update_fields=["status", "needs_new_mentor_since", "updated_at"])
    return request
