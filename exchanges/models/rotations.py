"""Clinical rotations that partner schools post for exchange students."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from exchanges.enums import DocumentKind, RotationStatus
from portal.content_languages import EnglishBaseColumn, language_panels
from portal.taxonomy import LANGUAGE_CHOICES, Specialty


class Rotation(EnglishBaseColumn):
    """A rotation a partner school offers. Its title, department, requirements and fee waiver
    are given in every language (exchanges/translation.py), English required."""

    institution = models.ForeignKey(
        "exchanges.Institution", on_delete=models.CASCADE, related_name="rotations"
    )
    cycle = models.ForeignKey(
        "exchanges.ExchangeCycle",
        verbose_name=_("exchange cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rotations",
        help_text=_("Students rank the rotation, and the match places them, in this cycle."),
    )
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
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, help_text=_("Seats for exchange students; 0 is allowed.")
    )
    requirements = models.TextField(_("requirements"), blank=True)
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("Students upload these before they submit their rank list."),
    )
    fee_amount = models.DecimalField(
        _("fee"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when there is no fee."),
    )
    fee_currency = models.CharField(_("currency"), max_length=3, default="USD")
    fee_waiver = models.CharField(
        _("fee waiver"),
        max_length=300,
        blank=True,
        help_text=_("Who does not pay the fee, for example students of partner schools."),
    )
    deadline = models.DateTimeField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Students may add the rotation to their list until then."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RotationStatus.choices, default=RotationStatus.DRAFT
    )
    ranking_submitted_at = models.DateTimeField(
        _("school's ranking submitted at"), null=True, blank=True, editable=False
    )

    panels = [
        FieldPanel("institution"),
        FieldPanel("cycle"),
        *language_panels("title", "department", "requirements", "fee_waiver"),
        FieldPanel("specialty"),
        FieldRowPanel([FieldPanel("city"), FieldPanel("country"), FieldPanel("language")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("deadline"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("capacity"),
        FieldRowPanel([FieldPanel("fee_amount"), FieldPanel("fee_currency")]),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["start_date", "title", "pk"]
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="rotation_ends_after_it_starts",
                violation_error_message=_("A rotation cannot end before it starts."),
            )
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="rotation_catalogue_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.institution})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A rotation cannot end before it starts.")})
        unknown = set(self.required_documents or ()) - set(DocumentKind.values)
        if unknown:
            raise ValidationError({"required_documents": _("Unknown document kind.")})

    @property
    def is_published(self) -> bool:
        return self.status == RotationStatus.PUBLISHED

    @property
    def required_document_labels(self) -> list[str]:
        return [DocumentKind(kind).label for kind in self.required_documents or ()]
