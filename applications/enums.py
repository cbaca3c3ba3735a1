"""States and kinds of the scholarship domain, with the named groups of states the rules use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AwardMode(models.TextChoices):
    FIXED = "fixed", _("A fixed amount")
    REQUESTED = "requested", _("The amount requested, up to a maximum")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")

    @classmethod
    def with_choices(cls) -> frozenset[str]:
        """Questions answered from the call's list of choices."""
        return frozenset({cls.CHOICE, cls.MULTIPLE_CHOICE})

    @classmethod
    def word_limited(cls) -> frozenset[str]:
        """Questions whose word limit counts (the limit of any other kind is ignored)."""
        return frozenset({cls.LONG_TEXT})


class FileType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    AWARDED = "awarded", _("Awarded")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Not selected")
    ACCEPTED = "accepted", _("Award accepted")
    DECLINED_BY_APPLICANT = "declined_by_applicant", _("Award declined")
    LAPSED = "lapsed", _("Award lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT})

    @classmethod
    def withdrawable(cls) -> frozenset[str]:
        """Before any decision: a student may leave the process."""
        return frozenset({cls.DRAFT, cls.SUBMITTED})

    @classmethod
    def decidable(cls) -> frozenset[str]:
        """Submitted and not yet decided: the committee reviews these, the chair decides them."""
        return frozenset({cls.SUBMITTED, cls.UNDER_REVIEW})

    @classmethod
    def decided(cls) -> frozenset[str]:
        return frozenset(
            {
                cls.AWARDED,
                cls.WAITLISTED,
                cls.DECLINED,
                cls.ACCEPTED,
                cls.DECLINED_BY_APPLICANT,
                cls.LAPSED,
            }
        )

    @classmethod
    def holding_award(cls) -> frozenset[str]:
        """A published award the student has not declined."""
        return frozenset({cls.AWARDED, cls.ACCEPTED})

    @classmethod
    def awarded(cls) -> frozenset[str]:
        """A published award, whatever the student answered (or left unanswered until it
        lapsed)."""
        return cls.holding_award() | {cls.DECLINED_BY_APPLICANT, cls.LAPSED}

    @classmethod
    def committing(cls) -> frozenset[str]:
        """An award on an application in these states holds its amount of the budget: a draft
        while the application can still be decided, then once published until the student
        declines it or lets it lapse (a draft on an application withdrawn since holds
        nothing)."""
        return cls.decidable() | cls.holding_award()

    @classmethod
    def on_board(cls) -> frozenset[str]:
        """The states an application on the ranking board can be in (drafts and withdrawals
        never reach it)."""
        return frozenset(cls.values) - {cls.DRAFT, cls.WITHDRAWN}

    @classmethod
    def published_as(cls, outcome: str) -> str:
        """The state an application takes when its decision (a DecisionOutcome) is published."""
        return {
            DecisionOutcome.AWARD: cls.AWARDED,
            DecisionOutcome.WAITLIST: cls.WAITLISTED,
            DecisionOutcome.DECLINE: cls.DECLINED,
        }[outcome]


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Uploading")
    VERIFIED = "verified", _("Received")


class RefereeStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    RECEIVED = "received", _("Letter received")
    DECLINED = "declined", _("Declined")
    REPLACED = "replaced", _("Replaced")

    @classmethod
    def answered(cls) -> frozenset[str]:
        """The referee has sent a letter or declined: their link is used up."""
        return frozenset({cls.RECEIVED, cls.DECLINED})


class ConflictKind(models.TextChoices):
    APPLICATION = "application", _("One application")
    INSTITUTION = "institution", _("Every application from an institution")
    COUNTRY = "country", _("Every application from a country")
    PERSON = "person", _("Every application of a person")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class DecisionOutcome(models.TextChoices):
    AWARD = "award", _("Award")
    WAITLIST = "waitlist", _("Waitlist")
    DECLINE = "decline", _("Decline")
