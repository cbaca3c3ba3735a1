"""A student's documents: straight to storage where JavaScript runs, through the portal where
it does not; downloads, only after a permission check, as a short-lived URL; and a host
school's check of each one, from the dossier page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchanges import selectors, services
from exchanges.enums import DocumentKind
from exchanges.forms import DocumentCheckForm
from exchanges.selectors.document_checks import document_get_checkable, dossier_checks
from exchanges.services.document_checks import document_check as check_service
from portal import uploads
from portal.audit import audit_access
from portal.errors import Refused
from portal.http import confidential_download, form_refused, refusals
from portal.taxonomy import LANGUAGE_NAMES


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


def dossier_response(request, rotation, rank_list, documents, *, status: int = 200):
    """The dossier page, read by a host school or programme staff (and so audited): who the
    student is, and a check form for each document; a document whose check was refused
    carries its form as typed in `check_form`."""
    audit_access(request, "dossier.viewed", rank_list)
    return render(
        request,
        "exchanges/dossier.html",
        {
            "rotation": rotation,
            "rank_list": rank_list,
            "documents": documents,
            "document_problem": dossier_checks(
                rank_list=rank_list, rotation=rotation, documents=documents
            ),
            "languages": [LANGUAGE_NAMES.get(code, code) for code in rank_list.languages],
        },
        status=status,
    )


def _dossier_url(pk: int, rank_list_id: int, document_id: int | None = None) -> str:
    url = reverse("exchanges:dossier", args=[pk, rank_list_id])
    return f"{url}#document-{document_id}" if document_id else url


@login_required
@require_POST
@refusals(_dossier_url)
def document_check(request, pk: int, rank_list_id: int, document_id: int):
    """Accept or reject one document: host schools that read the dossier, programme staff. A
    check refused is shown on the dossier again, with what was typed."""
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    rank_list, documents, document = document_get_checkable(
        user=request.user, rotation=rotation, rank_list_id=rank_list_id, document_id=document_id
    )
    form = DocumentCheckForm(request.POST)
    if form.is_valid():
        try:
            checked = check_service(document=document, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            if refusal.field is None:  # replaced meanwhile: a message on the new dossier
                raise
            form_refused(form, refusal)
        else:
            label = DocumentKind(checked.kind).label
            messages.success(
                request,
                _("%(document)s accepted.") % {"document": label}
                if checked.is_accepted
                else _("%(document)s rejected; the student is told why.") % {"document": label},
            )
            return redirect(_dossier_url(pk, rank_list_id, document_id))
    document.check_form = form
    return dossier_response(request, rotation, rank_list, documents, status=400)
