"""Who may do what in mentoring: the one place these rules live.

Each object rule has a queryset twin here (``*_q``), so that a list never shows what the
detail view would refuse; tests check that the two agree for every role.
"""

import rules
from django.db.models import Q

from mentorship.enums import MentorshipStatus, RequestStatus
from portal.permissions import is_programme_staff


@rules.predicate
def is_mentor(user) -> bool:
    """Anyone with a mentor profile, approved or not: a pending mentor sees their status."""
    return user.is_authenticated and hasattr(user, "mentor_profile")


@rules.predicate
def is_mentee(user) -> bool:
    """Anyone who ever asked for a mentor: they follow their request and mentorships."""
    return user.is_authenticated and user.mentee_requests.exists()


@rules.predicate
def is_mentee_of(user, mentorship) -> bool:
    return user.is_authenticated and mentorship.mentee_id == user.pk


@rules.predicate
def is_mentor_of(user, mentorship) -> bool:
    return user.is_authenticated and mentorship.mentor.user_id == user.pk


@rules.predicate
def is_active_mentorship(user, mentorship) -> bool:
    return mentorship.status == MentorshipStatus.ACTIVE


@rules.predicate
def owns_request(user, request) -> bool:
    return user.is_authenticated and request.user_id == user.pk


@rules.predicate
def is_open_request(user, request) -> bool:
    return request.status == RequestStatus.OPEN


is_party = is_mentee_of | is_mentor_of


def mentorship_q(user) -> Q:
    """The mentorships ``view_mentorship`` allows, as a filter."""
    if is_programme_staff(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(mentee=user) | Q(mentor__user=user)


rules.add_perm("mentorship.view_mentor_dashboard", is_mentor)
rules.add_perm("mentorship.view_mentee_dashboard", is_mentee)
rules.add_perm("mentorship.view_mentorship", is_party | is_programme_staff)
rules.add_perm("mentorship.log_check_in", is_party & is_active_mentorship)
rules.add_perm("mentorship.change_goals", is_party & is_active_mentorship)
rules.add_perm("mentorship.end_mentorship", (is_party | is_programme_staff) & is_active_mentorship)
rules.add_perm("mentorship.change_mentee_request", owns_request & is_open_request)
# Approving mentors, tuning weights, pinning pairs, running rounds, pairing by hand.
rules.add_perm("mentorship.run_mentoring", is_programme_staff)
