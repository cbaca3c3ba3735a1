"""States and vocabularies of the exchange programme: rotations, cycles, documents, placements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class CyclePhase(models.TextChoices):
    """Where an exchange cycle stands; computed from its dates and whether a match is published."""

    UPCOMING = "upcoming", _("Not open yet")
    STUDENTS_RANKING = "students_ranking", _("Students are ranking")
    SCHOOLS_RANKING = "schools_ranking", _("Schools are ranking")
    MATCHING = "matching", _("Waiting for the match")
    PUBLISHED = "published", _("Match published")
    CLOSED = "closed", _("Closed")

    @classmethod
    def schools_ranking_open(cls) -> frozenset[str]:
        """Schools may rank their applicants while students rank, and after until their own
        deadline."""
        return frozenset({cls.STUDENTS_RANKING, cls.SCHOOLS_RANKING})


class DocumentKind(models.TextChoices):
    """Documents a host school may require, close to the common ones of AAMC's VSLO."""

    IMMUNISATION = "immunisation_record", _("Immunisation record")
    INSURANCE = "proof_of_insurance", _("Proof of insurance")
    TRANSCRIPT = "transcript", _("Academic transcript")
    GOOD_STANDING = "good_standing", _("Letter of good standing")
    CV = "cv", _("Curriculum vitae")
    PASSPORT = "passport", _("Passport identity page")
    LANGUAGE = "language_certificate", _("Language certificate")
    MOTIVATION = "motivation_letter", _("Motivation letter")
    LIFE_SUPPORT = "life_support", _("Basic life support certificate")


class Direction(models.TextChoices):
    UP = "up", _("Move up")
    DOWN = "down", _("Move down")


class PlacementSource(models.TextChoices):
    """Where a placement comes from. MATCH is an offer of a run of the match, the main one or
    the second round's (the placement's run says which). WAITLIST is a seat that a lapsed offer
    left: the job that lapses offers gives it to the next student on the school's own ranking,
    as an offer to answer. POST_MATCH is a first-come seat the student claimed at a school that
    takes such claims, placed only once that school confirmed it."""

    MATCH = "match", _("The match")
    POST_MATCH = "post_match", _("Post-match round")
    WAITLIST = "waitlist", _("The school's waiting list")


class PlacementStatus(models.TextChoices):
    OFFERED = "offered", _("Offered, waiting for an answer")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed, not answered in time")


# Documents: what a student may upload, and how large it may be.
DOCUMENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
DOCUMENT_MAX_SIZE = 10_000_000


class LeftOut(models.TextChoices):
    """Why a student, or a student at one rotation, is left out of a match run."""

    NOT_ENDORSED = "not_endorsed", _("Not endorsed by their home school by the ranking deadline")
    DOCUMENT_REJECTED = "document_rejected", _("A required document was rejected")
    DOCUMENT_EXPIRES = "document_expires", _("A document expires before the rotation ends")
