"""A student's documents: straight to storage where JavaScript runs, through the portal where
it does not; and downloads, only after a permission check, as a short-lived URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchanges import selectors, services
from exchanges.enums import DOCUMENT_MAX_SIZE, DocumentKind
from exchanges.forms import DocumentForm, TicketForm, VerifyForm
from exchanges.views.common import refuse
from portal import storage


def _upload(request, cycle_id: int, kind: str) -> services.DocumentUpload:
    if kind not in DocumentKind.values:
        raise Http404
    mine = selectors.rank_list_get_own(user=request.user, cycle_id=cycle_id)
    return services.DocumentUpload(rank_list=mine, kind=kind)


def _back(cycle_id: int) -> str:
    return reverse("exchanges:rank_list", args=[cycle_id]) + "#documents"


# Multipart framing around the file; a request bigger than the limit plus this is refused unread.
_MULTIPART_OVERHEAD = 64 * 1024


@login_required
@require_POST
def document_upload(request, cycle_id: int, kind: str):
    """Without JavaScript: the file comes through the portal, under the same checks."""
    try:
        upload = _upload(request, cycle_id, kind)
        if int(request.META.get("CONTENT_LENGTH") or 0) > DOCUMENT_MAX_SIZE + _MULTIPART_OVERHEAD:
            raise services.Refused(_("The file is larger than 10 MB."))
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise services.Refused(_("Choose a file to upload."))
        file = form.cleaned_data["file"]
        document = upload.save(file=file, original_name=file.name)
    except services.Refused as refusal:
        refuse(request, refusal)
    else:
        messages.success(
            request, _("%(document)s uploaded.") % {"document": document.get_kind_display()}
        )
    return redirect(_back(cycle_id))


@login_required
@require_POST
def document_ticket(request, cycle_id: int, kind: str):
    """With JavaScript, step one: a presigned POST for the browser to send the file to."""
    form = TicketForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("Upload a PDF, JPEG or PNG file.")}, status=400)
    try:
        ticket = _upload(request, cycle_id, kind).start(
            content_type=form.cleaned_data["content_type"]
        )
    except services.Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    return JsonResponse({"url": ticket.url, "fields": ticket.fields, "key": ticket.key})


@login_required
@require_POST
def document_verify(request, cycle_id: int, kind: str):
    """With JavaScript, step two: the object is in storage; check it, then count it."""
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("This upload cannot be read.")}, status=400)
    try:
        document = _upload(request, cycle_id, kind).finish(
            key=form.cleaned_data["key"], original_name=form.cleaned_data["name"]
        )
    except services.Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    messages.success(
        request, _("%(document)s uploaded.") % {"document": document.get_kind_display()}
    )
    return JsonResponse({"redirect": _back(cycle_id)})


@login_required
@require_GET
def document_download(request, pk: int):
    document = selectors.document_get_downloadable(user=request.user, document_id=pk)
    response = redirect(
        storage.download_url(
            key=document.key, filename=document.original_name, content_type=document.content_type
        )
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def placement_letter(request, pk: int):
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not placement.letter_key:
        messages.info(
            request, _("Your placement letter is being written. Please try again in a minute.")
        )
        return redirect("exchanges:placement", cycle_id=placement.cycle_id)
    response = redirect(
        storage.download_url(
            key=placement.letter_key,
            filename=_("placement-letter-%(number)s.pdf") % {"number": placement.pk},
            content_type="application/pdf",
        )
    )
    response["Cache-Control"] = "private, no-store"
    return response
