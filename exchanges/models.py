"""Partner medical schools, their coordinators and the clinical rotations they offer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from exchanges.enums import RotationStatus
from portal.taxonomy import LANGUAGE_CHOICES, Specialty


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
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


class Rotation(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="rotations")
    title = models.CharField(_("title"), max_length=200)
    specialty = models.CharField(_("specialty"), max_length=40, choices=Specialty.choices)
    department = models.CharField(_("department"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    language = models.CharField(
        _("language of instruction"), max_length=10, choices=LANGUAGE_CHOICES
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    requirements = models.TextField(_("requirements"), blank=True)
    deadline = models.DateTimeField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RotationStatus.choices, default=RotationStatus.DRAFT
    )

    panels = [
        FieldPanel("institution"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("specialty"), FieldPanel("department")]),
        FieldRowPanel([FieldPanel("city"), FieldPanel("country"), FieldPanel("language")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("deadline"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("capacity"),
        FieldPanel("requirements"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["start_date", "title", "pk"]
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")

    def __str__(self) -> str:
        return f"{self.title} ({self.institution})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A rotation cannot end before it starts.")})
