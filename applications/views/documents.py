"""An applicant's documents: the shared upload endpoints (`portal.uploads`), removal, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import selectors
from applications.enums import DocumentStatus
from applications.services.documents import DocumentUpload, document_remove
from applications.views.steps import step_context
from portal import uploads
from portal.http import confidential_download, refusals


def _upload(request, pk: int, kind_id: int) -> DocumentUpload:
    application = selectors.application_get_own(user=request.user, application_id=pk)
    kind = next((k for k in application.call.document_kinds.all() if k.pk == kind_id), None)
    if kind is None:
        raise Http404
    return DocumentUpload(application=application, kind=kind)


def _received(upload: DocumentUpload) -> str:
    return _("%(name)s received.") % {"name": upload.kind.name}


@login_required
@require_GET
def application_documents(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    verified = {
        d.kind_id: d for d in application.documents.all() if d.status == DocumentStatus.VERIFIED
    }
    kinds = [(kind, verified.get(kind.pk)) for kind in application.call.document_kinds.all()]
    context = step_context(application, "documents")
    context["kinds"] = kinds
    return uploads.allow_upload_origin(
        render(request, "applications/application_documents.html", context)
    )


@login_required
@require_POST
def document_upload(request, pk: int, kind_id: int):
    """Without JavaScript: the file comes through the portal, under the same limits and checks."""
    upload = _upload(request, pk, kind_id)
    return uploads.direct_response(
        request,
        upload,
        done=reverse("applications:documents", args=[pk]),
        success=_received(upload),
        label=upload.kind.name,
    )


@login_required
@require_POST
def document_ticket(request, pk: int, kind_id: int):
    """With JavaScript: a presigned POST for the browser to send the file straight to storage."""
    return uploads.ticket_response(
        request,
        _upload(request, pk, kind_id),
        finish=reverse("applications:document_finish", args=[pk, kind_id]),
    )


@login_required
@require_POST
def document_finish(request, pk: int, kind_id: int):
    upload = _upload(request, pk, kind_id)
    return uploads.finish_response(
        request,
        upload,
        done=reverse("applications:documents", args=[pk]),
        success=_received(upload),
    )


@login_required
@require_POST
@refusals(lambda pk, document_id: reverse("applications:documents", args=[pk]))
def document_delete(request, pk: int, document_id: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    document = next((d for d in application.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    document_remove(application=application, document=document)
    messages.success(request, _("Removed %(name)s.") % {"name": document.original_name})
    return redirect("applications:documents", pk)


@login_required
@require_GET
def document_download(request, pk: int, document_id: int):
    """Anyone who may see the application may read its documents, for a few minutes."""
    application = selectors.application_get_for_viewer(user=request.user, application_id=pk)
    document = next(
        (
            d
            for d in application.documents.all()
            if d.pk == document_id and d.status == DocumentStatus.VERIFIED
        ),
        None,
    )
    if document is None:
        raise Http404
    return confidential_download(
        request,
        document,
        action="document.downloaded",
        key=document.key,
        filename=document.original_name,
        content_type=document.content_type,
        sha256=document.sha256,
    )
