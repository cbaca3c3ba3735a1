"""Rules of the portal's own pages; each programme app keeps its own in its `rules.py`."""

import rules

from portal.permissions import is_programme_staff


@rules.predicate
def is_verified_user(user) -> bool:
    return user.is_authenticated and user.is_active


rules.add_perm("portal.view_staff_dashboard", is_programme_staff)
rules.add_perm("portal.run_jobs", is_programme_staff)
rules.add_perm("portal.view_audit", is_programme_staff)
