"""Programme staff make someone a coordinator of a partner school, inviting them if new."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.db import transaction

from exchanges.models import Coordinator, Institution
from portal.emails import email_send


@transaction.atomic
def coordinator_invite(
    *, institution: Institution, email: str, full_name: str = "", language: str | None = None
) -> tuple[Coordinator, bool]:
    """Link the person with this address to the institution and tell them by email.

    Someone without an account gets one, with no password and the address marked verified
    (staff vouch for it, and only its owner can use the link), and a link to choose a password.
    Returns the link and whether the account is new. Inviting again sends the email again.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip())
        if language:
            user.preferred_language = language
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    coordinator, _linked = Coordinator.objects.get_or_create(institution=institution, user=user)
    context = {"name": user.get_short_name(), "institution": institution}
    if created:
        context["uidb36"] = user_pk_to_url_str(user)
        context["key"] = default_token_generator.make_token(user)
    email_send(
        to=[user.email],
        template="exchanges_coordinator_invited" if created else "exchanges_coordinator_added",
        context=context,
        user=user,
    )
    return coordinator, created
