"""States and vocabularies of mentoring: profiles, requests, rounds, mentorships."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PAUSED = "paused", _("Paused")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a mentor")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")

    @classmethod
    def current(cls) -> frozenset[str]:
        """A person has at most one request in these states at a time."""
        return frozenset({cls.OPEN, cls.MATCHED})


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Preview")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class ProposalSource(models.TextChoices):
    ALGORITHM = "algorithm", _("Optimal assignment")
    PINNED = "pinned", _("Pinned by staff")
    MANUAL = "manual", _("Changed by hand")


class PairRuleKind(models.TextChoices):
    PIN = "pin", _("Pin: pair them in the next round")
    FORBID = "forbid", _("Forbid: never pair them")


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    GOALS_MET = "goals_met", _("We reached our goals")
    NO_TIME = "no_time", _("No longer enough time")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    LEFT_PROGRAMME = "left_programme", _("Leaving the programme")
    OTHER = "other", _("Another reason")
