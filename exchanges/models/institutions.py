"""Partner medical schools and the people who coordinate exchanges for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    # Issue 17: after the second run, students may claim a free seat here; the school still
    # confirms each claim (exchanges/services/claims.py).
    accepts_first_come = models.BooleanField(
        _("takes first-come claims of free seats"),
        default=False,
        help_text=_(
            "After the second round, students may claim a free seat at your rotations. "
            "You confirm or decline each claim."
        ),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Coordinator",
        related_name="coordinated_institutions",
        blank=True,
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
        FieldPanel("website"),
        FieldPanel("accepts_first_come"),
    ]

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self) -> str:
        return self.name


class Coordinator(models.Model):
    """One person may coordinate for several institutions."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="coordinator_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_links"
    )

    panels = [FieldPanel("institution"), FieldPanel("user")]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "user"], name="one_coordinator_link_per_pair"
            )
        ]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")

    def __str__(self) -> str:
        return f"{self.user}, {self.institution}"


class CoordinatorConflict(models.Model):
    """A coordinator's declared conflict with one student (their own child, a student of their
    own home school): the coordinator no longer sees that student's dossier or documents, nor
    ranks them, for any rotation; another coordinator of the school or programme staff do."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinator_conflicts"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="coordinator_conflicts"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "institution", "student"],
                name="one_coordinator_conflict_per_student",
            )
        ]
        verbose_name = _("coordinator's conflict of interest")
        verbose_name_plural = _("coordinators' conflicts of interest")

    def __str__(self) -> str:
        return f"{self.coordinator} ≠ {self.student} ({self.institution})"
