"""Scholarship calls and the committees that review them."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from applications.enums import CallStatus
from portal.taxonomy import TIME_ZONE_CHOICES


class Call(models.Model):
    """A scholarship call: opens and closes at aware datetimes, in its own time zone."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("Deadlines are shown in this time zone as well as the reader's."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    award_amount = models.DecimalField(
        _("award amount"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    referees_required = models.PositiveSmallIntegerField(_("referees required"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("currency"), FieldPanel("budget"), FieldPanel("award_amount")]
                )
            ],
            heading=_("Money"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("reviewers_per_application"),
                FieldPanel("blind_review"),
                FieldPanel("referees_required"),
            ],
            heading=_("Review"),
        ),
    ]

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})

    def status(self, now=None) -> CallStatus:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallStatus.UPCOMING
        if now < self.closes_at:
            return CallStatus.OPEN
        return CallStatus.CLOSED

    @property
    def is_open(self) -> bool:
        return self.status() == CallStatus.OPEN

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class CommitteeMembership(models.Model):
    """A reviewer (or the chair) on one call's committee."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    expertise = models.JSONField(
        _("expertise"),
        default=list,
        blank=True,
        help_text=_("Specialties and regions, as tags."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)

    panels = [
        FieldPanel("call"),
        FieldPanel("user"),
        FieldPanel("is_chair"),
        FieldPanel("expertise"),
        FieldPanel("languages"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"], name="one_membership_per_call_and_user"
            )
        ]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")

    def __str__(self) -> str:
        role = _("chair") if self.is_chair else _("reviewer")
        return f"{self.user} ({role}, {self.call})"
