"""The registry of roles: each app registers its own, the portal routes and guards by them.

Roles are memberships, not kinds of user: one person may apply, review and mentor at once and
reaches each role's work from its own dashboard. The portal itself knows none of the apps.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Role:
    slug: str
    label: str | Promise
    dashboard: str  # URL name of the role's dashboard
    predicate: Callable  # a `rules` predicate taking the user
    order: int  # lower comes first: the landing dashboard after login
    requires_mfa: bool = False


_registry: dict[str, Role] = {}


def register(role: Role) -> None:
    _registry[role.slug] = role


def _holds(user, role: Role) -> bool:
    """Each role is asked once per request: the middleware and the page header share answers."""
    answers = user.__dict__.setdefault("_portal_roles", {})
    if role.slug not in answers:
        answers[role.slug] = bool(role.predicate(user))
    return answers[role.slug]


def roles_for(user) -> list[Role]:
    """The roles this user holds, most demanding first."""
    if not user.is_authenticated:
        return []
    return [r for r in sorted(_registry.values(), key=lambda r: r.order) if _holds(user, r)]


def requires_mfa(user) -> bool:
    return user.is_authenticated and any(
        _holds(user, role) for role in _registry.values() if role.requires_mfa
    )


# The roles a page shows (the dashboards' tabs) are kept in the session for a few minutes, so
# that a page does not ask every role's question again. Only what a page shows is kept: every
# view still asks its own rule, the multi-factor middleware asks afresh, and the dashboard's
# redirect uses `roles_for`.
SHOWN_ROLES_KEY = "portal_roles"
SHOWN_ROLES_FOR = 300  # seconds


def roles_shown(request) -> list[Role]:
    """The roles the page header shows: `roles_for`, kept in the session for `SHOWN_ROLES_FOR`
    seconds. A role granted or withdrawn by someone else shows within that time; one the person
    changes themselves shows at once, since every POST forgets the kept answer
    (`roles_forget`)."""
    user = request.user
    if not user.is_authenticated:
        return []
    kept = request.session.get(SHOWN_ROLES_KEY)
    now = int(time.time())
    if (
        isinstance(kept, dict)
        and kept.get("user") == user.pk
        and 0 <= now - kept.get("at", 0) < SHOWN_ROLES_FOR
    ):
        return [_registry[slug] for slug in kept.get("slugs", ()) if slug in _registry]
    held = roles_for(user)
    request.session[SHOWN_ROLES_KEY] = {"user": user.pk, "at": now, "slugs": [r.slug for r in held]}
    return held


def roles_forget(request) -> None:
    """Forget the roles kept for the header (a request that may have changed them)."""
    if hasattr(request, "session"):
        request.session.pop(SHOWN_ROLES_KEY, None)


@dataclass(frozen=True)
class StaffPanel:
    """A summary on the staff dashboard: `build()` returns rows of (label, count, url)."""

    title: str | Promise
    build: Callable[[], list[tuple]]
    order: int = 50


_panels: list[StaffPanel] = []


def register_staff_panel(panel: StaffPanel) -> None:
    _panels.append(panel)


def staff_panels() -> list[StaffPanel]:
    return sorted(_panels, key=lambda p: p.order)
