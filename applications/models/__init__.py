"""Models of the scholarship programme; import them from here."""

from applications.models.applications import Application, Document, RefereeRequest
from applications.models.bids import Bid
from applications.models.board import BoardEntry, BoardState
from applications.models.calls import Call, Criterion, DocumentKind, EligibilityQuestion, Question
from applications.models.committees import CommitteeMembership
from applications.models.disbursements import Instalment, Payment
from applications.models.information import InformationRequest
from applications.models.invitations import CommitteeInvitation
from applications.models.messages import ApplicationMessage, Message
from applications.models.reviews import Assignment, ConflictDeclaration, Decision, Review
from applications.models.stages import (
    InterviewSlot,
    Shortlisting,
    Stage,
    StageCriterion,
    StageScore,
)

__all__ = [
    "Application",
    "ApplicationMessage",
    "Assignment",
    "Bid",
    "BoardEntry",
    "BoardState",
    "Call",
    "CommitteeInvitation",
    "CommitteeMembership",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "Document",
    "DocumentKind",
    "EligibilityQuestion",
    "InformationRequest",
    "Instalment",
    "InterviewSlot",
    "Message",
    "Payment",
    "Question",
    "RefereeRequest",
    "Review",
    "Shortlisting",
    "Stage",
    "StageCriterion",
    "StageScore",
]
