"""The checklist a call must pass before it is published: each rule, what is missing, and the
step of the set-up where staff fix it."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from applications.enums import CallSetupStep
from applications.models import Call
from applications.selectors.review import membership_list_reviewers
from portal.content_languages import DEFAULT, text_in


@dataclass(frozen=True)
class Check:
    """One rule of the checklist: its words, the step that fixes it, and what is missing."""

    step: str
    label: str
    missing: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Checklist:
    checks: list[Check]

    @property
    def complete(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def missing(self) -> list[str]:
        """Every missing thing, each prefixed by its step: the details of a refused publish."""
        return [
            f"{CallSetupStep(check.step).label}: {line}"
            for check in self.checks
            for line in check.missing
        ]

    def for_step(self, step: str) -> list[Check]:
        return [check for check in self.checks if check.step == step]


def _language_name(code: str) -> str:
    return get_language_info(code)["name_translated"]


def _texts_missing(obj, fields: tuple[str, ...], languages: list[str], *, name: str) -> list[str]:
    """For each field given in English, the other offered languages it is not given in."""
    lines = []
    for field_name in fields:
        if text_in(obj, field_name, DEFAULT) is None:
            continue
        verbose = obj._meta.get_field(field_name).verbose_name
        for code in languages:
            if code != DEFAULT and text_in(obj, field_name, code) is None:
                lines.append(
                    _("%(item)s: the %(field)s in %(language)s.")
                    % {"item": name, "field": verbose, "language": _language_name(code)}
                )
    return lines


def _numbered(noun: str, number: int, text) -> str:
    return _("%(noun)s %(number)d (%(text)s)") % {"noun": noun, "number": number, "text": text}


def _details(call: Call, languages: list[str]) -> list[Check]:
    return [
        Check(
            CallSetupStep.DETAILS,
            _("Title and summary in each language the call is offered in"),
            _texts_missing(call, ("title", "summary"), languages, name=_("The call")),
        )
    ]


def _eligibility(call: Call, languages: list[str]) -> list[Check]:
    missing = []
    for number, question in enumerate(call.eligibility_questions.all(), start=1):
        name = _numbered(_("Question"), number, question.text_en)
        missing += _texts_missing(question, ("text", "reason"), languages, name=name)
    return [Check(CallSetupStep.ELIGIBILITY, _("Eligibility questions in each language"), missing)]


def _form(call: Call, languages: list[str]) -> list[Check]:
    questions = list(call.questions.all())
    missing = []
    for number, question in enumerate(questions, start=1):
        name = _numbered(_("Question"), number, question.label_en)
        fields = ("section", "label", "help_text", "choices")
        missing += _texts_missing(question, fields, languages, name=name)
    return [
        Check(
            CallSetupStep.FORM,
            _("At least one question"),
            [] if questions else [_("Add a question to the application form.")],
        ),
        Check(CallSetupStep.FORM, _("Questions in each language"), missing),
    ]


def _documents(call: Call, languages: list[str]) -> list[Check]:
    missing = []
    for number, kind in enumerate(call.document_kinds.all(), start=1):
        name = _numbered(_("Document"), number, kind.name_en)
        missing += _texts_missing(kind, ("name", "help_text"), languages, name=name)
    return [Check(CallSetupStep.DOCUMENTS, _("Documents in each language"), missing)]


def _rubric(call: Call, languages: list[str]) -> list[Check]:
    criteria = list(call.criteria.all())
    missing = []
    for number, criterion in enumerate(criteria, start=1):
        name = _numbered(_("Criterion"), number, criterion.name_en)
        missing += _texts_missing(criterion, ("name", "description"), languages, name=name)
    # A review's total is each score times its weight over the most it could be (the board's
    # `weighted_total`): weights are shares, so 1, 1, 2 and 25, 25, 50 rank alike, and only
    # weights that are all zero leave no total at all.
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    return [
        Check(
            CallSetupStep.RUBRIC,
            _("At least one criterion"),
            [] if criteria else [_("Add a criterion to the rubric.")],
        ),
        Check(
            CallSetupStep.RUBRIC,
            _("The weights add up to more than zero"),
            [] if not criteria or total > 0 else [_("Give at least one criterion a weight.")],
        ),
        Check(CallSetupStep.RUBRIC, _("Criteria in each language"), missing),
    ]


def _committee(call: Call) -> list[Check]:
    wanted = call.reviewers_per_application
    # A member whose load cap is 0 reviews nothing (the cap is optional: None is no cap).
    reviewers = [
        member
        for member in membership_list_reviewers(call=call)
        if getattr(member, "load_cap", None) != 0
    ]
    missing = []
    if wanted < 1:
        missing.append(_("Ask for at least one reviewer per application."))
    elif len(reviewers) < wanted:
        missing.append(
            ngettext(
                "%(count)d reviewer on the committee; each application needs %(wanted)d.",
                "%(count)d reviewers on the committee; each application needs %(wanted)d.",
                len(reviewers),
            )
            % {"count": len(reviewers), "wanted": wanted}
        )
    label = ngettext(
        "At least %(wanted)d reviewer on the committee, besides the chair",
        "At least %(wanted)d reviewers on the committee, besides the chair",
        wanted,
    ) % {"wanted": wanted}
    return [Check(CallSetupStep.COMMITTEE, label, missing)]


def _dates(call: Call, now: datetime) -> list[Check]:
    checks = [
        Check(
            CallSetupStep.DATES,
            _("The deadline is in the future"),
            [] if call.closes_at > now else [_("Set a deadline that has not passed.")],
        ),
        Check(
            CallSetupStep.DATES,
            _("The call closes after it opens"),
            [] if call.closes_at > call.opens_at else [_("Set the deadline after the opening.")],
        ),
    ]
    if call.review_deadline is not None:
        checks.append(
            Check(
                CallSetupStep.DATES,
                _("Reviews are due after the deadline"),
                []
                if call.review_deadline > call.closes_at
                else [_("Set the date reviews are due after the call's deadline.")],
            )
        )
    return checks


def call_checklist(*, call: Call, now: datetime | None = None) -> Checklist:
    """Every rule a call must meet before it is published, in the order of the steps."""
    now = now or timezone.now()
    languages = call.offered_languages
    return Checklist(
        [
            *_details(call, languages),
            *_eligibility(call, languages),
            *_form(call, languages),
            *_documents(call, languages),
            *_rubric(call, languages),
            *_committee(call),
            *_dates(call, now),
        ]
    )
