"""Models of the scholarship programme; import them from here."""

from applications.models.applications import Application, Document, RefereeRequest
from applications.models.board import BoardEntry, BoardState
from applications.models.calls import Call, Criterion, DocumentKind, EligibilityQuestion, Question
from applications.models.committees import CommitteeMembership
from applications.models.reviews import Assignment, ConflictDeclaration, Decision, Review

__all__ = [
    "Application",
    "Assignment",
    "BoardEntry",
    "BoardState",
    "Call",
    "CommitteeMembership",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "Document",
    "DocumentKind",
    "EligibilityQuestion",
    "Question",
    "RefereeRequest",
    "Review",
]
