"""More information on a submitted application: the call's staff or chair ask, the applicant
answers in the portal; the application stays submitted (or under review) throughout."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from applications.enums import ApplicationState, FileType, InformationItem
from applications.models import Application, InformationRequest
from portal import storage
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused
from portal.uploads import Upload

FILE_TYPES = tuple(FileType.values)
FILE_MAX_SIZE = 10_000_000


def _scope(application: Application) -> str:
    return f"call:{application.call_id}"


def _check_open(application: Application) -> None:
    """Only while the committee may still consider it: not a draft, a withdrawal or a decision."""
    if application.state == ApplicationState.WITHDRAWN:
        raise Refused(
            _lazy("This application has been withdrawn, so no more information can be asked."),
            code="withdrawn",
        )
    if application.state not in ApplicationState.decidable():
        raise Refused(
            _lazy("More information can be asked only of a submitted application not yet decided."),
            code="not_under_consideration",
        )


def _check_item(application: Application, kind: str, item_id: int | None) -> None:
    if kind == InformationItem.QUESTION:
        known = {question["id"] for question in application.questions}
    elif kind == InformationItem.DOCUMENT:
        known = {document_kind.pk for document_kind in application.call.document_kinds.all()}
    elif kind == InformationItem.OTHER:
        return
    else:
        known = set()
    if item_id not in known:
        raise Refused(
            _lazy("Choose a question or a document of this application."),
            code="unknown_item",
            field="item",
        )


def _check_answerable(request: InformationRequest) -> None:
    if request.is_answered:
        raise Refused(
            _lazy("You have already answered this request. Thank you."),
            code="already_answered",
            status=409,
        )
    _check_open(request.application)


def information_request(
    *,
    application: Application,
    actor,
    item_kind: str,
    item_id: int | None,
    message: str,
    now=None,
) -> InformationRequest:
    """Ask the applicant for more information on one item, and email them."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Application.objects.select_for_update()
            .select_related("call", "applicant")
            .get(pk=application.pk)
        )
        _check_open(current)
        _check_item(current, item_kind, item_id)
        request = InformationRequest.objects.create(
            application=current,
            item_kind=item_kind,
            question_id=item_id if item_kind == InformationItem.QUESTION else None,
            document_kind_id=item_id if item_kind == InformationItem.DOCUMENT else None,
            message=message.strip(),
            requested_by=actor,
            requested_at=now,
        )
        audit_record(
            actor=actor,
            action="information.requested",
            obj=request,
            scope=_scope(current),
            before=None,
            after={
                "application": current.pk,
                "item_kind": item_kind,
                "item_id": item_id,
                "message": request.message,
            },
        )
        applicant = current.applicant
        email_send(
            to=[applicant.email],
            template="information_requested",
            context={
                "name": applicant.get_short_name(),
                "call": current.call,
                "application_id": current.pk,
                "request_id": request.pk,
                "message": request.message,
            },
            user=applicant,
        )
    return request


def information_answer(
    *, information_request: InformationRequest, actor, answer: str, now=None
) -> InformationRequest:
    """The applicant's one answer. A second one (a double click, another tab) is refused
    politely and leaves the first as it was: the committee may already have read it."""
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            InformationRequest.objects.select_for_update()
            .select_related("application__call")
            .get(pk=information_request.pk)
        )
        _check_answerable(current)
        if not answer.strip() and not current.file_key:
            raise Refused(
                _lazy("Write your answer, or attach a file first."),
                code="empty_answer",
                field="answer",
            )
        current.answer = answer.strip()
        current.answered_at = now
        current.answered_by = actor
        current.save(update_fields=["answer", "answered_at", "answered_by"])
        audit_record(
            actor=actor,
            action="information.answered",
            obj=current,
            scope=_scope(current.application),
            before=None,
            after={
                "application": current.application_id,
                "answer": current.answer,
                "file": current.file_name,
            },
        )
    return current


class InformationFileUpload(Upload):
    """A file the applicant joins to their answer (a PDF or a picture) until they send it; a
    new file replaces the previous one."""

    def __init__(self, *, information_request: InformationRequest, now=None):
        application = information_request.application
        super().__init__(
            prefix=f"information/{application.call_id}/{application.pk}/{information_request.pk}",
            allowed_types=FILE_TYPES,
            max_size=FILE_MAX_SIZE,
            now=now,
        )
        self.information_request = information_request

    def authorise(self) -> None:
        _check_answerable(self.information_request)

    def recorded(self, key: str) -> InformationRequest | None:
        return InformationRequest.objects.filter(
            pk=self.information_request.pk, file_key=key
        ).first()

    def record(self, stored: storage.StoredObject, *, name: str) -> InformationRequest:
        current = (
            InformationRequest.objects.select_for_update()
            .select_related("application")
            .get(pk=self.information_request.pk)
        )
        if current.file_key == stored.key:  # the same upload, finished twice
            return current
        _check_answerable(current)  # sent in another tab while this file travelled
        if current.file_key:
            self.discard(current.file_key)
        current.file_key = stored.key
        current.file_name = name
        current.file_size = stored.size
        current.file_type = stored.content_type
        current.file_sha256 = stored.sha256
        current.save(
            update_fields=["file_key", "file_name", "file_size", "file_type", "file_sha256"]
        )
        return current
