"""Predicates of the plumbing roles; each app keeps its own in its `rules.py`."""

import rules


@rules.predicate
def is_programme_staff(user) -> bool:
    """Django staff who hold the portal permission (or superusers)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.has_perm("accounts.manage_programmes")


@rules.predicate
def is_verified_user(user) -> bool:
    return user.is_authenticated and user.is_active


rules.add_perm("portal.view_staff_dashboard", is_programme_staff)
