"""Scholarship calls and what they ask of applicants: questions, documents, referees, rubric."""

import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from applications.algorithms.board import default_amount
from applications.enums import AwardMode, CallState, CallStatus, FileType, QuestionKind
from applications.widgets import JSONCheckboxSelectMultiple
from portal.content_languages import (
    DEFAULT,
    LANGUAGES,
    OTHERS,
    EnglishBaseColumn,
    language_panels,
    text_in,
    translations_of,
)
from portal.taxonomy import deadline_time_zone_field


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _english_only() -> list[str]:
    return [DEFAULT]


class Call(ClusterableModel, EnglishBaseColumn):
    """A scholarship call: opens and closes at aware datetimes, in its own time zone. Its texts,
    and those of its questions, documents and rubric, are given in every language
    (applications/translation.py), English required."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    time_zone = deadline_time_zone_field()
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
    award_mode = models.CharField(
        _("award amount"), max_length=12, choices=AwardMode.choices, default=AwardMode.FIXED
    )
    award_amount = models.DecimalField(
        _("amount (fixed, or the maximum that may be requested)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    review_deadline = models.DateTimeField(_("reviews due by"), null=True, blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("days an awarded student has to answer"), default=14
    )
    referees_required = models.PositiveSmallIntegerField(
        _("referees required"), default=0, validators=[MaxValueValidator(5)]
    )
    referee_grace_days = models.PositiveSmallIntegerField(
        _("days referees have after the deadline"), default=7
    )
    # Draft until published (the set-up's checklist complete), decided once decisions are
    # published; "closed" is read from the dates (`displayed_state`), never stored.
    state = models.CharField(
        _("state"), max_length=12, choices=CallState.stored(), default=CallState.DRAFT
    )
    languages = models.JSONField(
        _("languages the call is offered in"),
        default=_english_only,
        blank=True,
        help_text=_("Every text of the call is given in each of these. English always is."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Edited in steps, each with its panels: applications/wagtail_hooks.py.

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.languages = self.offered_languages
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})

    @property
    def offered_languages(self) -> list[str]:
        """The languages the call is offered in, English first and always, in the order of
        the interface's languages (unknown codes dropped)."""
        chosen = set(self.languages or [])
        return [code for code in LANGUAGES if code == DEFAULT or code in chosen]

    @property
    def is_public(self) -> bool:
        """Whether students may see it at all: a draft is for staff only."""
        return self.state in CallState.public()

    def may_be_deleted(self) -> bool:
        """Only a draft that nobody has applied to: a published call is closed or copied, and
        applications keep their call (the foreign key protects it)."""
        return self.state == CallState.DRAFT and not self.applications.exists()

    def displayed_state(self, now=None) -> CallState:
        """The state shown: the stored state, except that a published call past its
        deadline is Closed."""
        if self.state == CallState.PUBLISHED and (now or timezone.now()) >= self.closes_at:
            return CallState.CLOSED
        return CallState(self.state)

    def status(self, now=None) -> CallStatus:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallStatus.UPCOMING
        if now < self.closes_at:
            return CallStatus.OPEN
        return CallStatus.CLOSED

    def is_open_at(self, now) -> bool:
        """Accepting applications at `now`: published (a draft or a decided call never is), and
        between its dates."""
        return self.state == CallState.PUBLISHED and self.status(now) == CallStatus.OPEN

    @property
    def is_open(self) -> bool:
        """Accepting applications now."""
        return self.is_open_at(timezone.now())

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def day_has_passed(self, day, now=None) -> bool:
        """Whether the whole of `day` (a date such as an award's answer date) is over in the
        call's time zone: the one reading of "by this date" for answers and lapses."""
        return timezone.localdate(now or timezone.now(), self.zone) > day

    @property
    def referee_deadline(self):
        return self.closes_at + timedelta(days=self.referee_grace_days)

    def default_award(self, requested_amount: Decimal | None) -> Decimal:
        """A fixed call's amount, or what the student requested capped at the call's maximum
        (the maximum itself when they requested nothing)."""
        return default_amount(
            award_amount=self.award_amount,
            requested_amount=requested_amount if self.award_mode == AwardMode.REQUESTED else None,
        )


class EligibilityQuestion(Orderable, EnglishBaseColumn):
    """A yes/no question that screens an applicant out before the full form."""

    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="eligibility_questions")
    text = models.CharField(_("question"), max_length=300)
    required_answer = models.BooleanField(
        _("the answer that qualifies is yes"),
        default=True,
        help_text=_("Untick when the qualifying answer is no."),
    )
    reason = models.CharField(
        _("reason shown to those screened out"),
        max_length=300,
        help_text=_("For example: this call is for students in their clinical years."),
    )

    panels = [
        FieldPanel("required_answer"),
        *language_panels("text", "reason", collapse_others=True),
    ]

    def __str__(self) -> str:
        return self.text


class Question(Orderable, EnglishBaseColumn):
    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(_("section"), max_length=100, default=_("Your application"))
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    # Bounds on an answer, each for the kinds it fits (the others ignore it): the form says
    # which bound an answer broke, in the reader's words.
    max_length = models.PositiveIntegerField(
        _("most characters (short and long text)"), null=True, blank=True
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    earliest = models.DateField(_("earliest date"), null=True, blank=True)
    latest = models.DateField(_("latest date"), null=True, blank=True)
    choices = models.TextField(_("choices, one per line"), blank=True)
    identifying = models.BooleanField(
        _("identifying"),
        default=False,
        help_text=_("Hidden from reviewers in a blind call (for example a name or a school)."),
    )

    TRANSLATED = ("section", "label", "help_text")

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("identifying")]),
        FieldPanel("word_limit"),
        FieldPanel("max_length"),
        FieldRowPanel([FieldPanel("min_value"), FieldPanel("max_value")]),
        FieldRowPanel([FieldPanel("earliest"), FieldPanel("latest")]),
        *language_panels("section", "label", "help_text", "choices", collapse_others=True),
    ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        self._clean_bounds()
        english = self.choice_list
        if self.kind in QuestionKind.with_choices() and not english:
            raise ValidationError({"choices_en": _("Give at least one choice, one per line.")})
        for code in OTHERS:
            given = _lines(text_in(self, "choices", code))
            if given and len(given) != len(english):
                raise ValidationError(
                    {
                        f"choices_{code}": ngettext(
                            "Give the same choices as in English, in the same order: "
                            "%(count)d line.",
                            "Give the same choices as in English, in the same order: "
                            "%(count)d lines.",
                            len(english),
                        )
                        % {"count": len(english)}
                    }
                )

    def _clean_bounds(self) -> None:
        if None not in (self.min_value, self.max_value) and self.min_value > self.max_value:
            raise ValidationError(
                {"max_value": _("The largest number must not be below the smallest.")}
            )
        if None not in (self.earliest, self.latest) and self.earliest > self.latest:
            raise ValidationError({"latest": _("The latest date must not be before the earliest.")})

    @property
    def choice_list(self) -> list[str]:
        """The English choices: what an answer stores, whatever language it was given in."""
        return _lines(text_in(self, "choices", DEFAULT))

    def snapshot(self) -> dict:
        """The question as an application keeps it, so later edits never break answers: its
        English texts, and under "translations" those given in other languages (choices in
        the order of the English ones)."""
        with override(DEFAULT):
            english = {field: str(getattr(self, field)) for field in self.TRANSLATED}
        translations = translations_of(self, self.TRANSLATED)
        for code in OTHERS:
            choices = _lines(text_in(self, "choices", code))
            if choices:
                translations.setdefault(code, {})["choices"] = choices
        return {
            "id": self.pk,
            **english,
            "kind": self.kind,
            "required": self.required,
            "word_limit": self.word_limit,
            "max_length": self.max_length,
            # JSON keeps text: a bound reads back exactly as it was typed.
            "min_value": None if self.min_value is None else str(self.min_value),
            "max_value": None if self.max_value is None else str(self.max_value),
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "choices": self.choice_list,
            "identifying": self.identifying,
            "translations": translations,
        }


class DocumentKind(Orderable, EnglishBaseColumn):
    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="document_kinds")
    name = models.CharField(_("name"), max_length=100, help_text=_("For example: transcript."))
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    allowed_types = models.JSONField(_("allowed types"), default=list)
    max_size_mb = models.PositiveSmallIntegerField(
        _("maximum size (MB)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    required = models.BooleanField(_("required"), default=True)
    identifying = models.BooleanField(
        _("identifying"), default=False, help_text=_("Hidden from reviewers in a blind call.")
    )

    panels = [
        *language_panels("name", "help_text", collapse_others=True),
        FieldPanel("allowed_types", widget=JSONCheckboxSelectMultiple(choices=FileType.choices)),
        FieldRowPanel(
            [FieldPanel("max_size_mb"), FieldPanel("required"), FieldPanel("identifying")]
        ),
    ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.allowed_types or []) - set(FileType.values)
        if not self.allowed_types or unknown:
            raise ValidationError(
                {
                    "allowed_types": _("Choose among: %(types)s.")
                    % {"types": ", ".join(FileType.values)}
                }
            )

    @property
    def max_size(self) -> int:
        return self.max_size_mb * 1_000_000

    @property
    def type_labels(self) -> str:
        return ", ".join(FileType(value).label for value in self.allowed_types)


class Criterion(Orderable, EnglishBaseColumn):
    """One line of the rubric reviewers score against."""

    call = ParentalKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    panels = [
        *language_panels("name", "description", collapse_others=True),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale_max")]),
    ]

    def __str__(self) -> str:
        return self.name
