"""A student's documents: straight to storage where JavaScript runs, through the portal where
it does not; and downloads, only after a permission check, as a short-lived URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchanges import selectors, services
from exchanges.enums import DocumentKind
from portal import uploads
from portal.http import confidential_download


def _upload(request, cycle_id: int, kind: str) -> services.DocumentUpload:
    if kind not in DocumentKind.values:
        raise Http404
    mine = selectors.rank_list_get_own(user=request.user, cycle_id=cycle_id)
    return services.DocumentUpload(rank_list=mine, kind=kind)


def _back(cycle_id: int) -> str:
    return reverse("exchanges:rank_list", args=[cycle_id]) + "#documents"


def _uploaded(upload: services.DocumentUpload) -> str:
    return _("%(document)s uploaded.") % {"document": upload.kind.label}


@login_required
@require_POST
def document_upload(request, cycle_id: int, kind: str):
    """Without JavaScript: the file comes through the portal, under the same checks."""
    upload = _upload(request, cycle_id, kind)
    return uploads.direct_response(request, upload, done=_back(cycle_id), success=_uploaded(upload))


@login_required
@require_POST
def document_ticket(request, cycle_id: int, kind: str):
    """With JavaScript, step one: a presigned POST for the browser to send the file to."""
    return uploads.ticket_response(
        request,
        _upload(request, cycle_id, kind),
        finish=reverse("exchanges:document_verify", args=[cycle_id, kind]),
    )


@login_required
@require_POST
def document_verify(request, cycle_id: int, kind: str):
    """With JavaScript, step two: the object is in storage; check it, then count it."""
    upload = _upload(request, cycle_id, kind)
    return uploads.finish_response(request, upload, done=_back(cycle_id), success=_uploaded(upload))


@login_required
@require_GET
def document_download(request, pk: int):
    document = selectors.document_get_downloadable(user=request.user, document_id=pk)
    return confidential_download(
        request,
        document,
        action="document.downloaded",
        key=document.key,
        filename=document.original_name,
        content_type=document.content_type,
        sha256=document.sha256,
    )


@login_required
@require_GET
def placement_letter(request, pk: int):
    placement = selectors.placement_get_visible(user=request.user, placement_id=pk)
    if not placement.letter_key:
        messages.info(
            request, _("Your placement letter is being written. Please try again in a minute.")
        )
        return redirect("exchanges:placement", cycle_id=placement.cycle_id)
    return confidential_download(
        request,
        placement,
        action="placement_letter.downloaded",
        key=placement.letter_key,
        filename=_("placement-letter-%(number)s.pdf") % {"number": placement.pk},
        content_type="application/pdf",
    )
