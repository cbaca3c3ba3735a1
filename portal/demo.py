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

DEMO_USERS = {
    "applicant": ("applicant@demo.test", "Amina Diallo"),
    "reviewer": ("reviewer@demo.test", "Dr Kwame Mensah"),
    "chair": ("chair@demo.test", "Prof. Leila Haddad"),
    "coordinator": ("coordinator@demo.test", "Dr Ana Ribeiro"),
    "mentor": ("mentor@demo.test", "Dr Samuel Okafor"),
    "staff": ("staff@demo.test", "Grace Njeri"),
    "editor": ("editor@demo.test", "Omar Farouk"),
}
MFA_ROLES = {"reviewer", "chair", "coordinator", "staff", "editor"}


def demo_user(role: str):
    return get_user_model().objects.get(email=DEMO_USERS[role][0])


def seed(out) -> None:
    User = get_user_model()
    for role, (email, name) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
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
    for role, (email, _name) in DEMO_USERS.items():
        out.write(f"  {role:<12} {email}{'  (TOTP)' if role in MFA_ROLES else ''}")
    out.write(
        f"TOTP secret of the demo users marked (TOTP), for an authenticator app: {DEMO_TOTP_SECRET}"
    )
