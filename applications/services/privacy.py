"""The scholarship app's part of a person's data rights: what it exports about them, their
documents, and how their erasure keeps decided records for the programme's figures."""

from datetime import datetime

from django.db import transaction

from applications.enums import ApplicationState, DocumentStatus
from applications.models import (
    Application,
    ApplicationMessage,
    Document,
    InformationRequest,
    RefereeRequest,
    Review,
)
from portal.privacy import objects_delete_on_commit


def _own_applications(user):
    return Application.objects.filter(applicant=user).select_related("call").order_by("pk")


def applications_export(user) -> dict:
    """Their applications as they wrote them, the decisions published to them, and the
    committees they sat on with the reviews they wrote."""
    applications = []
    for application in _own_applications(user).prefetch_related(
        "documents__kind",
        "referees",
        "information_requests",
        "messages_received",
        "instalments__payments",
    ):
        decision = getattr(application, "decision", None)
        published = decision is not None and decision.published_at is not None
        applications.append(
            {
                "call": application.call.title,
                "state": application.get_state_display(),
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
                    {
                        "name": referee.name,
                        "email": referee.email,
                        "status": referee.get_status_display(),
                    }
                    for referee in application.referees.all()
                ],
                "information_requests": [
                    {
                        "about": request.get_item_kind_display(),
                        "message": request.message,
                        "requested_at": request.requested_at,
                        "answer": request.answer,
                        "file_name": request.file_name,
                        "answered_at": request.answered_at,
                    }
                    for request in application.information_requests.all()
                ],
                "messages_received": [
                    {"subject": sent.subject, "body": sent.body, "sent_at": sent.sent_at}
                    for sent in application.messages_received.all()
                ],
                "instalments": [
                    {
                        "number": instalment.number,
                        "amount": instalment.amount,
                        "currency": instalment.currency,
                        "due_date": instalment.due_date,
                        "condition": instalment.get_condition_display(),
                        "payments": [
                            {"amount": payment.amount, "paid_on": payment.paid_on}
                            for payment in instalment.payments.all()
                        ],
                    }
                    for instalment in application.instalments.all()
                ],
                "decision": {
                    "outcome": decision.get_outcome_display(),
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
                "recommendation": review.get_recommendation_display()
                if review.recommendation
                else "",
                "state": review.get_state_display(),
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
        requests = InformationRequest.objects.filter(application__in=own)
        keys += list(requests.exclude(file_key="").values_list("file_key", flat=True))
        # Their answers and the messages sent to them go; a decided application keeps only
        # the requests' dates, and its instalments and payments, which finance must keep.
        requests.filter(application__in=decided).update(
            answer="", file_key="", file_name="", file_size=0, file_type="", file_sha256=""
        )
        ApplicationMessage.objects.filter(application__in=own).delete()
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
