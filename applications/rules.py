"""Who may do what with calls and their committees: the one place these rules live."""

import rules

from portal.rules import is_programme_staff


@rules.predicate
def is_reviewer(user) -> bool:
    """A member of any call's committee."""
    return user.is_authenticated and user.committee_memberships.exists()


@rules.predicate
def is_chair(user) -> bool:
    return user.is_authenticated and user.committee_memberships.filter(is_chair=True).exists()


@rules.predicate
def chairs_call(user, call) -> bool:
    return user.is_authenticated and call.memberships.filter(user=user, is_chair=True).exists()


rules.add_perm("applications.view_reviewer_dashboard", is_reviewer)
rules.add_perm("applications.view_chair_dashboard", is_chair)
rules.add_perm("applications.manage_call", is_programme_staff | chairs_call)
