"""Changes to people's accounts made by programme staff: resetting a lost second factor."""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit import audit_record
from portal.emails import email_send, recipient_language
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
            language=recipient_language(user),
        )
    return True
