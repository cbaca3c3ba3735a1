"""Review committees: who reviews which call."""

import json

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.panels import FieldPanel

from applications.models.calls import Call
from portal.taxonomy import LANGUAGE_CHOICES, Specialty


def expertise_choices() -> list:
    """What an expertise tag can be chosen from: a specialty (stored as its code) or a
    country (its ISO code), both of which `services.affinity` matches against applications."""
    return [
        (_("Specialties"), list(Specialty.choices)),
        (_("Countries"), [(country.code, country.name) for country in countries]),
    ]


class TagsWidget(forms.SelectMultiple):
    """A multiple choice for a JSON list field (the form field hands it JSON and wants JSON
    back). A stored tag that is no longer among the choices is shown under "Other tags", so
    that saving the form keeps it."""

    def __init__(self, choices, attrs=None):
        super().__init__(attrs={"size": 12, **(attrs or {})})
        self.all_choices = choices  # a callable: labels in the reader's language

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return [str(v) for v in value or []]

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return json.dumps(list(values))

    def optgroups(self, name, value, attrs=None):
        choices = list(self.all_choices())
        known = {
            str(option)
            for group, options in choices
            for option in ([o for o, _label in options] if isinstance(options, list) else [group])
        }
        other = [(tag, tag) for tag in value if tag not in known]
        self.choices = [*choices, *([(_("Other tags"), other)] if other else [])]
        return super().optgroups(name, value, attrs)


class CommitteeMembership(models.Model):
    """A reviewer (or the chair) on one call's committee."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    expertise = models.JSONField(
        _("expertise"), default=list, blank=True, help_text=_("Specialties and regions, as tags.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    load_cap = models.PositiveSmallIntegerField(
        _("most applications to review"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )

    panels = [
        FieldPanel("call"),
        FieldPanel("user"),
        FieldPanel("is_chair"),
        FieldPanel("expertise", widget=TagsWidget(expertise_choices)),
        FieldPanel("languages", widget=TagsWidget(lambda: [(_("Languages"), LANGUAGE_CHOICES)])),
        FieldPanel("load_cap"),
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

    def conflict_with(self, application) -> str | None:
        """Why this member may not judge the application, or None: the one test every path
        asks (assignment, swaps, the review rules and pages, the board, letters, documents).

        "applicant": it is their own application; "referee": they are asked for a letter for it
        (by their email, whatever the case; a referee the applicant replaced no longer counts);
        "declared": one of their declared conflicts covers it (an application, an institution,
        a country, a person). Prefetch `conflicts`, the
        member's `user`, and the applications' `referees` and `applicant` when asking it of
        many.
        """
        if application.applicant_id == self.user_id:
            return "applicant"
        if any(conflict.covers(application) for conflict in self.conflicts.all()):
            return "declared"
        email = (self.user.email or "").strip().casefold()
        if email and any(
            referee.is_active and referee.email.strip().casefold() == email
            for referee in application.referees.all()
        ):
            return "referee"
        return None

    def conflicts_with(self, application) -> bool:
        return self.conflict_with(application) is not None
