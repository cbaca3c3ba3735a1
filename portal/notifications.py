"""Optional emails a person may turn off: reminders and digests, never a decision.

Each app registers the kinds it sends (`register(Kind(...))` in `AppConfig.ready()`); the
service that sends one passes `kind=` to `portal.emails.email_send`, which leaves it unsent for
someone who turned that kind off and otherwise adds a one-click link to turn it off
(`List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058, and a line at the end of the text).
"""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.functional import Promise

from portal.links import public_url

_SALT = "portal.notifications.unsubscribe"


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str | Promise  # "Reminders before a deadline of my application"


_registry: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _registry[kind.slug] = kind


def kind_list() -> list[Kind]:
    return list(_registry.values())


def kind_get(slug: str) -> Kind:
    return _registry[slug]


def wants(user, slug: str) -> bool:
    return slug not in (user.email_opt_outs or [])


def preferences_set(*, user, receive: set[str]) -> None:
    """Keep exactly the registered kinds not in `receive` turned off."""
    user.email_opt_outs = sorted(kind.slug for kind in kind_list() if kind.slug not in receive)
    user.save(update_fields=["email_opt_outs"])


def turn_off(*, user, slug: str) -> None:
    if slug in _registry and wants(user, slug):
        user.email_opt_outs = sorted({*(user.email_opt_outs or []), slug})
        user.save(update_fields=["email_opt_outs"])


def unsubscribe_token(user, slug: str) -> str:
    return signing.dumps({"u": user.pk, "k": slug}, salt=_SALT)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """The user id and kind of a link; raises `signing.BadSignature` for a forged one."""
    data = signing.loads(token, salt=_SALT)
    return data["u"], data["k"]


def unsubscribe_url(user, slug: str) -> str:
    return public_url(reverse("email_unsubscribe", args=[unsubscribe_token(user, slug)]))
