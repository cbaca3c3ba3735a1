"""An applicant's documents: direct upload to storage with a progress bar, or through the portal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import selectors
from applications.enums import DocumentStatus
from applications.forms import DocumentForm
from applications.services.documents import DocumentUpload, document_remove
from applications.services.errors import ApplicationError
from applications.views.steps import step_context
from portal import storage

# Multipart framing around the file; anything bigger than the limit plus this is refused unread.
_MULTIPART_OVERHEAD = 64 * 1024


def _kind(application, kind_id: int):
    kind = next((k for k in application.call.document_kinds.all() if k.pk == kind_id), None)
    if kind is None:
        raise Http404
    return kind


@login_required
@require_GET
def application_documents(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    verified = {
        d.kind_id: d for d in application.documents.all() if d.status == DocumentStatus.VERIFIED
    }
    kinds = [(kind, verified.get(kind.pk)) for kind in application.call.document_kinds.all()]
    context = step_context(application, "documents")
    context.update({"kinds": kinds, "form": DocumentForm()})
    response = render(request, "applications/application_documents.html", context)
    origin = storage.upload_origin()
    if origin:  # the browser posts files straight to the bucket
        response._csp_update = {"connect-src": [origin]}
    return response


@login_required
@require_POST
def document_upload(request, pk: int, kind_id: int):
    """Without JavaScript: the file comes through the portal, under the same limits and checks."""
    application = selectors.application_get_own(user=request.user, application_id=pk)
    kind = _kind(application, kind_id)
    back = reverse("applications:documents", args=[pk])
    if int(request.META.get("CONTENT_LENGTH") or 0) > kind.max_size + _MULTIPART_OVERHEAD:
        messages.error(
            request,
            _("%(name)s: the file is larger than %(limit)s MB.")
            % {"name": kind.name, "limit": kind.max_size_mb},
        )
        return redirect(back)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("%(name)s: choose a file to upload.") % {"name": kind.name})
        return redirect(back)
    try:
        DocumentUpload(application=application, kind=kind).save_direct(
            file=form.cleaned_data["file"]
        )
    except (storage.UploadRejected, ApplicationError) as refusal:
        messages.error(request, f"{kind.name}: {refusal}")
    else:
        messages.success(request, _("%(name)s received.") % {"name": kind.name})
    return redirect(back)


@login_required
@require_POST
def document_ticket(request, pk: int, kind_id: int):
    """With JavaScript: a presigned POST for the browser to send the file straight to storage."""
    application = selectors.application_get_own(user=request.user, application_id=pk)
    kind = _kind(application, kind_id)
    try:
        size = int(request.POST.get("size", "0"))
    except ValueError:
        return HttpResponseBadRequest()
    if size > kind.max_size:
        message = _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": round(size / 1_000_000, 1),
            "limit": kind.max_size_mb,
        }
        return JsonResponse({"error": message}, status=400)
    try:
        ticket = DocumentUpload(application=application, kind=kind).start(
            content_type=request.POST.get("content_type", ""),
            filename=request.POST.get("filename", ""),
        )
    except (storage.UploadRejected, ApplicationError) as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    finish = reverse("applications:document_finish", args=[pk, kind.pk])
    return JsonResponse({"url": ticket.url, "fields": ticket.fields, "finish": finish})


@login_required
@require_POST
def document_finish(request, pk: int, kind_id: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    kind = _kind(application, kind_id)
    key = request.POST.get("key", "")
    if not application.documents.filter(key=key, kind=kind).exists():
        raise Http404
    try:
        document = DocumentUpload(application=application, kind=kind).finish(
            key=key, sha256=request.POST.get("sha256") or None
        )
    except (storage.UploadRejected, ApplicationError) as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    messages.success(request, _("%(name)s received.") % {"name": kind.name})
    return JsonResponse({"document": document.pk, "size": document.size})


@login_required
@require_POST
def document_delete(request, pk: int, document_id: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    document = next((d for d in application.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    try:
        document_remove(application=application, document=document)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
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
    return redirect(
        storage.download_url(
            key=document.key, filename=document.original_name, content_type=document.content_type
        )
    )
