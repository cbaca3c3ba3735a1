"""The registry of roles: each app registers its own, the portal routes and guards by them.

Roles are memberships, not kinds of user: one person may apply, review and mentor at once and
reaches each role's work from its own dashboard. The portal itself knows none of the apps.
"""

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
