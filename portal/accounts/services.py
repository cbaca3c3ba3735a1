"""Changes to people's accounts: a person's own profile (name, language, time zone), and
programme staff resetting someone's lost second factor."""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User, clean_name
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused


def mfa_reset_check(*, actor: User, user: User) -> None:
    """Refuse a reset of one's own factor: a person who still signs in with it changes it on
    their own account page, and one who lost it asks a colleague, so two people see it."""
    if actor.pk == user.pk:
        raise Refused(
            _("You cannot reset your own second factor. Ask another member of staff."),
            code="own_second_factor",
        )


def user_mfa_reset(*, actor: User, user: User) -> bool:
    """Delete every authenticator of `user` (authenticator app, recovery codes) so that they
    set up a new one at their next sign-in; audited, and the person is told by email.

    Returns whether anything was reset: a second click finds nothing left and does nothing.
    """
    mfa_reset_check(actor=actor, user=user)
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(user=user)
        before = sorted(authenticators.values_list("type", flat=True))
        if not before:
            return False
        # Deleted here rather than through allauth's flows: those send their signals with the
        # request of the person acting, and would clear the staff member's own MFA check.
        authenticators.delete()
        audit_record(
            actor=actor,
            action="mfa.reset",
            obj=user,
            scope="accounts",
            before={"authenticators": before},
            after={"authenticators": []},
        )
        email_send(
            to=[user.email],
            template="mfa_reset",
            context={"name": user.get_short_name()},
            user=user,
        )
    return True


PROFILE_FIELDS = ("full_name", "latin_name", "form_of_address", "preferred_language", "time_zone")


def user_profile_update(
    *,
    user: User,
    full_name: str,
    latin_name: str = "",
    form_of_address: str = "",
    preferred_language: str = "",
    time_zone: str = "",
) -> bool:
    """Save what the person says about themselves; returns whether anything changed.

    The form has checked each value; the name is tidied again here (NFC, single spaces) so
    that no other caller stores it untidy. A blank name is refused: the portal shows a name,
    never an email address, in its place."""
    full_name = clean_name(full_name)
    if not full_name:
        raise Refused(_("Please give your name."), code="name_required", field="full_name")
    values = {
        "full_name": full_name,
        "latin_name": clean_name(latin_name),
        "form_of_address": form_of_address,
        "preferred_language": preferred_language,
        "time_zone": time_zone,
    }
    changed = [field for field in PROFILE_FIELDS if getattr(user, field) != values[field]]
    if not changed:
        return False
    for field in changed:
        setattr(user, field, values[field])
    user.save(update_fields=changed)
    return True
