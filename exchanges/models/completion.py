"""After a rotation: whether the student attended, for how many days, and the host school's
short evaluation, which the certificate of completion rests on."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Completion(models.Model):
    """One per placement, recorded by a coordinator of the host school or programme staff
    (`exchanges.services.completion.completion_record`); recording again edits it. The
    ratings are 1 (poor) to 5 (excellent), empty when the student did not attend."""

    placement = models.OneToOneField(
        "exchanges.Placement", on_delete=models.CASCADE, related_name="completion"
    )
    attended = models.BooleanField(_("attended"))
    days_attended = models.PositiveSmallIntegerField(_("days attended"), default=0)
    clinical_skills = models.PositiveSmallIntegerField(
        _("clinical skills"), null=True, blank=True, validators=RATING
    )
    professionalism = models.PositiveSmallIntegerField(
        _("professionalism"), null=True, blank=True, validators=RATING
    )
    communication = models.PositiveSmallIntegerField(
        _("communication"), null=True, blank=True, validators=RATING
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    RATING_FIELDS = ("clinical_skills", "professionalism", "communication")

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attended=True, days_attended__gte=1)
                | models.Q(attended=False, days_attended=0),
                name="completion_days_match_attendance",
            )
        ]

    def __str__(self) -> str:
        return f"completion of {self.placement_id} ({'attended' if self.attended else 'absent'})"

    @property
    def ratings(self) -> list[tuple[str, int | None]]:
        """(label, rating) for each rated quality, in order."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.RATING_FIELDS
        ]
