"""Mentors: alumni, diaspora clinicians and faculty who take mentees."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from mentorship.enums import MentorStatus
from portal.taxonomy import TIME_ZONE_CHOICES


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    countries = models.JSONField(_("countries known"), default=list, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    capacity = models.PositiveSmallIntegerField(_("mentees taken"), default=2)
    status = models.CharField(
        _("status"), max_length=12, choices=MentorStatus.choices, default=MentorStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("bio"),
        FieldPanel("specialties"),
        FieldPanel("languages"),
        FieldPanel("countries"),
        FieldPanel("time_zone"),
        FieldPanel("capacity"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)
