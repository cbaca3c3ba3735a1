"""The two sides of mentoring: mentors who offer their time and students who ask for a mentor."""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel

from mentorship.compatibility import MenteeTraits, MentorTraits, utc_offset_hours
from mentorship.enums import MentorStatus, RequestStatus
from portal.taxonomy import TIME_ZONE_CHOICES

MAX_CAPACITY = 10


def time_zone_choices() -> list[tuple[str, str]]:
    # A callable, so that migrations name it instead of copying this machine's tz database.
    return TIME_ZONE_CHOICES


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    countries = models.JSONField(_("countries known"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="UTC"
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at a time"),
        default=2,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text=_("0 means you take no new mentee for now."),
    )
    availability = models.CharField(
        _("availability"),
        max_length=300,
        blank=True,
        help_text=_("For example: one video call a month, weekday evenings."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MentorStatus.choices, default=MentorStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("bio"),
        FieldPanel("specialties"),
        FieldPanel("languages"),
        FieldPanel("countries"),
        FieldPanel("time_zone"),
        FieldPanel("capacity"),
        FieldPanel("availability"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status"], name="mentor_profile_status")]
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)

    def traits(self, *, at: datetime) -> MentorTraits:
        return MentorTraits(
            languages=frozenset(self.languages),
            specialties=frozenset(self.specialties),
            utc_offset=utc_offset_hours(self.time_zone, at),
            countries=frozenset(self.countries),
        )


class MenteeRequest(models.Model):
    """A student's request for a mentor; it waits for a round (or staff) to pair it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_requests"
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="UTC"
    )
    preferred_country = CountryField(_("preferred country of practice"), blank=True)
    goals = models.TextField(_("goals"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    # Set when a mentorship ended and the mentee still wants a mentor: staff re-pair these first.
    needs_new_mentor_since = models.DateTimeField(_("needs a new mentor since"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                # In the order of the enum, as the migration wrote it.
                condition=Q(status__in=[s for s in RequestStatus if s in RequestStatus.current()]),
                name="one_current_mentee_request",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="mentee_request_status")]
        verbose_name = _("mentee request")
        verbose_name_plural = _("mentee requests")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def traits(self, *, at: datetime, context_countries=()) -> MenteeTraits:
        return MenteeTraits(
            languages=frozenset(self.languages),
            interests=frozenset(self.interests),
            utc_offset=utc_offset_hours(self.time_zone, at),
            preferred_country=str(self.preferred_country or ""),
            context_countries=frozenset(context_countries),
        )
