"""Keeps the session's multi-factor flag in step with the user's authenticators."""

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver

from portal.middleware import MFA_SESSION_FLAG


@receiver(authenticator_added)
@receiver(authenticator_removed)
def forget_mfa_check(sender, request, user, **kwargs):
    request.session.pop(MFA_SESSION_FLAG, None)
