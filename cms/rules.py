"""Who counts as an editor of the public site: whoever Wagtail lets into its admin."""

import rules

from portal.permissions import held_permissions


@rules.predicate
def is_editor(user) -> bool:
    """Active and holding Wagtail's `access_admin` through a group ("Editors", "Moderators",
    the staff group) or directly, or a superuser. The admin lists people and programme
    records, so whoever enters it sees other people's data and signs in with a second factor;
    a superuser enters it too, so the flag counts here (and nowhere in the programmes' rules)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return ("wagtailadmin", "access_admin") in held_permissions(user)
