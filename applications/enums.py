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
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def editable(cls) -> set[str]:
        return {cls.DRAFT}

    @classmethod
    def withdrawable(cls) -> set[str]:
        """Before any decision: a student may leave the process."""
        return {cls.DRAFT, cls.SUBMITTED}

    @classmethod
    def decided(cls) -> set[str]:
        return {
            cls.AWARDED,
            cls.WAITLISTED,
            cls.DECLINED,
            cls.ACCEPTED,
            cls.DECLINED_BY_APPLICANT,
        }


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Uploading")
    VERIFIED = "verified", _("Received")


class RefereeStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    RECEIVED = "received", _("Letter received")
    DECLINED = "declined", _("Declined")
    REPLACED = "replaced", _("Replaced")


class ConflictKind(models.TextChoices):
    APPLICATION = "application", _("One application")
    INSTITUTION = "institution", _("Every application from an institution")
    COUNTRY = "country", _("Every application from a country")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class DecisionOutcome(models.TextChoices):
    AWARD = "award", _("Award")
    WAITLIST = "waitlist", _("Waitlist")
    DECLINE = "decline", _("Decline")
