"""An exchange cycle: when students rank, when schools rank, when the match is published."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from exchanges.enums import CyclePhase
from portal.taxonomy import deadline_time_zone_field


class ExchangeCycle(models.Model):
    name = models.CharField(_("name"), max_length=200)
    time_zone = deadline_time_zone_field()
    opens_at = models.DateTimeField(_("ranking opens at"))
    students_close_at = models.DateTimeField(_("students rank until"))
    schools_close_at = models.DateTimeField(_("schools rank until"))
    respond_by = models.DateTimeField(
        _("students confirm or decline by"),
        help_text=_(
            "After this moment an unanswered placement is released to the post-match round."
        ),
    )
    post_match_closes_at = models.DateTimeField(
        _("post-match round ends at"), null=True, blank=True
    )
    max_ranks = models.PositiveSmallIntegerField(
        _("rotations a student may rank"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    published_run = models.ForeignKey(
        "exchanges.MatchRun",
        verbose_name=_("published match run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("time_zone"),
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                FieldRowPanel([FieldPanel("students_close_at"), FieldPanel("schools_close_at")]),
                FieldRowPanel([FieldPanel("respond_by"), FieldPanel("post_match_closes_at")]),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("max_ranks"),
    ]

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("exchange cycle")
        verbose_name_plural = _("exchange cycles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.students_close_at and self.students_close_at <= self.opens_at:
            errors["students_close_at"] = _("Students must be able to rank for some time.")
        if (
            self.students_close_at
            and self.schools_close_at
            and self.schools_close_at < self.students_close_at
        ):
            errors["schools_close_at"] = _("Schools rank students after students have ranked.")
        if self.schools_close_at and self.respond_by and self.respond_by <= self.schools_close_at:
            errors["respond_by"] = _("Students answer after the match, so after schools rank.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def phase(self, now=None) -> CyclePhase:
        now = now or timezone.now()
        if self.published_run_id:
            if self.post_match_closes_at and now >= self.post_match_closes_at:
                return CyclePhase.CLOSED
            return CyclePhase.PUBLISHED
        if now < self.opens_at:
            return CyclePhase.UPCOMING
        if now < self.students_close_at:
            return CyclePhase.STUDENTS_RANKING
        if now < self.schools_close_at:
            return CyclePhase.SCHOOLS_RANKING
        return CyclePhase.MATCHING

    def students_may_rank(self, now=None) -> bool:
        return self.phase(now) == CyclePhase.STUDENTS_RANKING

    def schools_may_rank(self, now=None) -> bool:
        return self.phase(now) in CyclePhase.schools_ranking_open()

    def match_may_run(self, now=None) -> bool:
        return self.phase(now) == CyclePhase.MATCHING

    def post_match_open(self, now=None) -> bool:
        return self.phase(now) == CyclePhase.PUBLISHED
