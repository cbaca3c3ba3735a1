"""The scholarship app's part of a person's data rights: what it exports about them, their
documents, and how their erasure keeps decided records for the programme's figures."""

from datetime import datetime

from django.db import transaction

from applications.enums import ApplicationState, DocumentStatus
from applications.models import Application, Document, RefereeRequest, Review
from portal.privacy import objects_delete_on_commit


def _own_applications(user):
    return Application.objects.filter(applicant=user).select_related("call").order_by("pk")


def applications_export(user) -> dict:
    """Their applications as they wrote them, the decisions published to them, and the
    committees they sat on with the reviews they wrote."""
    applications = []
    for application in _own_applications(user).prefetch_related("documents__kind", "referees"):
        decision = getattr(application, "decision", None)
        published = decision is not None and decision.published_at is not None
        applications.append(
            {
                "call": application.call.title,
                "state": application.state,
                "country": str(application.country or ""),
                "institution": application.institution,
                "year_of_study": application.year_of_study,
                "requested_amount": application.requested_amount,
                "questions": application.questions,
                "answers": application.answers,
                "submitted_at": application.submitted_at,
                "withdrawn_at": application.withdrawn_at,
                "created_at": application.created_at,
                "documents": [
                    {"kind": document.kind.name, "file_name": document.original_name}
                    for document in application.documents.all()
                ],
                "referees": [
                    {"name": referee.name, "email": referee.email, "status": referee.status}
                    for referee in application.referees.all()
                ],
                "decision": {
                    "outcome": decision.outcome,
                    "amount": decision.amount,
                    "respond_by": decision.respond_by,
                    "published_at": decision.published_at,
                    "responded_at": decision.responded_at,
                }
                if published
                else None,
            }
        )
    reviews = Review.objects.filter(assignment__membership__user=user).select_related(
        "assignment__application__call"
    )
    return {
        "applications": applications,
        "committees": [
            {"call": membership.call.title, "chair": membership.is_chair}
            for membership in user.committee_memberships.select_related("call")
        ],
        "reviews_written": [
            {
                "call": review.assignment.application.call.title,
                "application": review.assignment.application_id,
                "scores": review.scores,
                "comment": review.comment,
                "recommendation": review.recommendation,
                "state": review.state,
                "submitted_at": review.submitted_at,
            }
            for review in reviews
        ],
    }


def applications_documents(user) -> list[tuple[str, str]]:
    """Their verified documents and the letters of their published decisions (referees'
    letters are confidential to the committee, so not theirs to download)."""
    files = [
        (f"{document.application_id}-{document.kind.name}-{document.original_name}", document.key)
        for document in Document.objects.filter(
            application__applicant=user, status=DocumentStatus.VERIFIED
        ).select_related("kind")
    ]
    for application in (
        _own_applications(user)
        .filter(decision__published_at__isnull=False)
        .exclude(decision__letter_key="")
    ):
        files.append((f"{application.pk}-decision-letter.pdf", application.decision.letter_key))
    return files


def applications_erase(user, now: datetime) -> None:
    """Undecided applications go with their documents and letters; a decided one stays for the
    call's figures (its state, country, school, amounts, reviews), without answers, documents,
    referees or letter, and its applicant's account is anonymised by the caller."""
    with transaction.atomic():
        own = Application.objects.filter(applicant=user)
        documents = Document.objects.filter(application__in=own)
        referees = RefereeRequest.objects.filter(application__in=own)
        keys = list(documents.values_list("key", flat=True))
        keys += list(referees.exclude(letter_key="").values_list("letter_key", flat=True))
        decided = own.filter(state__in=ApplicationState.decided())
        keys += [
            key
            for key in decided.values_list("decision__letter_key", flat=True)
            if key  # None without a decision, "" without a letter
        ]
        documents.delete()
        referees.delete()
        own.exclude(state__in=ApplicationState.decided()).delete()
        decided.update(answers={})
        for application in decided.select_related("decision"):
            decision = getattr(application, "decision", None)
            if decision is not None and decision.letter_key:
                decision.letter_key = ""
                decision.save(update_fields=["letter_key"])
        objects_delete_on_commit(keys)
