"""People: users with a verified address, optionally TOTP; programme staff by group."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from portal.accounts.models import User
from portal.permissions import staff_group

PASSWORD = "a-long-test-password-42"

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.save()

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(user, TOTP_SECRET)


class StaffFactory(UserFactory):
    """Programme staff: a member of the staff group, not a superuser."""

    is_staff = True

    @factory.post_generation
    def staff_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(staff_group())


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
