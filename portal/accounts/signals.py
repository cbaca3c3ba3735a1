"""After a person confirms their email, tell them what they can do next, in their language."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from portal.emails import email_send


@receiver(email_confirmed)
def send_welcome(sender, request, email_address, **kwargs):
    user = email_address.user
    email_send(
        to=[email_address.email],
        template="welcome",
        context={"name": user.get_short_name()},
        user=user,
    )
