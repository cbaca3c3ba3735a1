"""Demo people: one user per role, with verified email and, where the role needs it, TOTP."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.permissions import staff_group

DEMO_PASSWORD = "demo-portal-2026"
# A fixed secret so that the printed setup works on every run; never used outside the demo.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# role: (email, full name as the person writes it, name in Latin letters, form of address).
# Names from the communities the portal serves, in their own scripts.
DEMO_USERS = {
    "applicant": ("applicant@demo.test", "Amina Diallo", "", "ms"),
    "reviewer": ("reviewer@demo.test", "Kwame Mensah", "", "dr"),
    "chair": ("chair@demo.test", "ليلى حداد", "Layla Haddad", "prof"),
    "coordinator": ("coordinator@demo.test", "Wanjiru Kamau", "", "dr"),
    "mentor": ("mentor@demo.test", "Samuel Okafor", "", "dr"),
    "staff": ("staff@demo.test", "María José Fernández", "", "ms"),
    "editor": ("editor@demo.test", "Priya Raghavan", "", ""),
}
MFA_ROLES = {"reviewer", "chair", "coordinator", "staff", "editor"}


def demo_user(role: str):
    return get_user_model().objects.get(email=DEMO_USERS[role][0])


def demo_person(email: str, full_name: str, latin_name: str = "", form_of_address: str = ""):
    """A demo person with their name (kept as it is if they exist already); returns (user,
    created)."""
    user, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "latin_name": latin_name,
            "form_of_address": form_of_address,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user, created


def seed(out) -> None:
    for role, (email, name, latin_name, form_of_address) in DEMO_USERS.items():
        user, _created = demo_person(email, name, latin_name, form_of_address)
        if role in ("staff", "editor"):
            user.is_staff = True
        user.save()
        if role == "staff":
            user.groups.add(staff_group())
        if role == "editor":
            user.groups.add(Group.objects.get(name="Editors"))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if (
            role in MFA_ROLES
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    out.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for role, (email, *_names) in DEMO_USERS.items():
        out.write(f"  {role:<12} {email}{'  (TOTP)' if role in MFA_ROLES else ''}")
    out.write(
        f"TOTP secret of the demo users marked (TOTP), for an authenticator app: {DEMO_TOTP_SECRET}"
    )
