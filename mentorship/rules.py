"""Who may do what in mentoring: the one place these rules live."""

import rules


@rules.predicate
def is_mentor(user) -> bool:
    """Anyone with a mentor profile, approved or not: a pending mentor sees their status."""
    return user.is_authenticated and hasattr(user, "mentor_profile")


rules.add_perm("mentorship.view_mentor_dashboard", is_mentor)
