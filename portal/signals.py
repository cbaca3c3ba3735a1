"""Keeps the session's multi-factor flag in step with the user's authenticators, and the staff
group holding the permissions of models added after it was created."""

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from portal.middleware import MFA_SESSION_FLAG
from portal.permissions import STAFF_APPS, staff_group


@receiver(authenticator_added)
@receiver(authenticator_removed)
def forget_mfa_check(sender, request, user, **kwargs):
    request.session.pop(MFA_SESSION_FLAG, None)


@receiver(post_migrate)
def keep_staff_group_whole(sender, **kwargs):
    """A programme app's new model brings new permissions (created by the auth app on this
    same signal, just before): the staff group receives them."""
    if sender.label in STAFF_APPS:
        staff_group()
