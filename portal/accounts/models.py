"""The portal's user: one person, identified by email, who may hold several roles at once."""

import unicodedata

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


NAME_NOT_GIVEN = _("Name not given")


def clean_name(value: str) -> str:
    """A name as typed, tidied: composed Unicode (NFC), no space at either end or doubled."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def display_name_of(full_name: str) -> str:
    """What the portal shows for a person: their name, or a neutral placeholder; never their
    email address, which is contact information and not a name. For rows read with
    values_list, where there is no User at hand."""
    return full_name or str(NAME_NOT_GIVEN)


class FormOfAddress(models.TextChoices):
    """How a person wishes to be addressed. A choice rather than free text: each label is
    translated, so a letter in French says "Pr" where one in English says "Prof."; blank for
    none."""

    DR = "dr", _("Dr")
    PROF = "prof", _("Prof.")
    MS = "ms", _("Ms")
    MR = "mr", _("Mr")
    MX = "mx", _("Mx")


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    # One name field, as the person writes it, in any script: many of our users' names do not
    # split into first and last, and some are a single word (docs/domain.md, "Names"). Required
    # at sign-up and on the profile page; blank only for accounts made before that, or by an
    # invitation, whose owners the dashboard asks for it.
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # For passports, visas and letters to embassies, which want Latin letters.
    latin_name = models.CharField(
        _("name in Latin letters"),
        max_length=200,
        blank=True,
        help_text=_("As in your passport, if your name is written in another script."),
    )
    form_of_address = models.CharField(
        _("form of address"), max_length=10, choices=FormOfAddress.choices, blank=True
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Kinds of optional email (reminders, digests) this person has turned off; see
    # portal.notifications. Emails that carry a decision are always sent.
    email_opt_outs = models.JSONField(_("emails turned off"), default=list, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = ["full_name"]  # createsuperuser asks for it

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("manage_programmes", "Can run programmes (programme staff)")]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.full_name = clean_name(self.full_name)
        self.latin_name = clean_name(self.latin_name)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The person's name, or "Name not given" (translated); never the email address."""
        return display_name_of(self.full_name)

    @property
    def salutation(self) -> str:
        """Form of address and name, for "Dear …" lines ("Dr Layla Haddad"), in the current
        language; empty without a name, so a greeting can fall back to a plain "Hello,".

        Lazy: an email's context is built before its text is rendered in the reader's
        language, and "Dr" must come out as "د." in an Arabic one."""
        if not self.full_name:
            return ""
        if not self.form_of_address:
            return self.full_name
        return format_lazy("{} {}", FormOfAddress(self.form_of_address).label, self.full_name)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        # Which word of a name is the given name differs from one culture to another (and a
        # name may be one word), so a greeting uses the whole name with the form of address.
        return self.salutation
