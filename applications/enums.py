"""States and kinds of the scholarship domain, with the named groups of states the rules use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CallState(models.TextChoices):
    """A call's state. Draft, Published and Decided are stored (`Call.state`); Closed is read
    from the dates: a Published call past its deadline (`Call.displayed_state`)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")

    @classmethod
    def stored(cls) -> list[tuple[str, str]]:
        """The choices of `Call.state`: Closed is never stored."""
        return [(value, label) for value, label in cls.choices if value != cls.CLOSED]

    @classmethod
    def public(cls) -> frozenset[str]:
        """Stored states students may see: a draft exists only for staff."""
        return frozenset({cls.PUBLISHED, cls.DECIDED})


class CallSetupStep(models.TextChoices):
    """The steps of a call's set-up in the staff area, in order: a page each."""

    DETAILS = "details", _("Details and languages")
    ELIGIBILITY = "eligibility", _("Eligibility")
    FORM = "form", _("Application form")
    DOCUMENTS = "documents", _("Documents and referees")
    RUBRIC = "rubric", _("Rubric")
    COMMITTEE = "committee", _("Committee")
    DATES = "dates", _("Dates")


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


class InformationItem(models.TextChoices):
    """What a request for more information is about: one of the application's questions, one
    of the call's documents, or something else its message names."""

    QUESTION = "question", _("A question")
    DOCUMENT = "document", _("A document")
    OTHER = "other", _("Something else")


class StageKind(models.TextChoices):
    """What a call's second stage is: the shortlisted meet the panel one by one, or together."""

    INTERVIEW = "interview", _("Interview")
    PANEL = "panel", _("Panel")


class InstalmentCondition(models.TextChoices):
    """What must happen before an instalment of an award is paid; programme staff mark it met."""

    NONE = "none", _("None")
    ENROLMENT = "enrolment", _("Proof of enrolment received")
    PROGRESS = "progress_report", _("Progress report received")
    OTHER = "other", _("Other")


class BidLevel(models.TextChoices):
    """How much a committee member wants to review an application, said before the assignment."""

    EAGER = "eager", _("Eager to review")
    WILLING = "willing", _("Willing to review")
    UNWILLING = "unwilling", _("Would rather not")
    CONFLICT = "conflict", _("Conflict of interest")
