"""More information on a submitted application: the call's managers ask and read the answers,
the applicant answers in the portal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.forms.information import InformationAnswerForm, InformationRequestForm
from applications.selectors.timeline import (
    application_get_for_information,
    information_request_get_for_reader,
    information_request_get_own,
    information_requests_of,
)
from applications.services import information as services
from portal import uploads
from portal.errors import Refused
from portal.http import confidential_download, form_refused


@login_required
@require_http_methods(["GET", "POST"])
def information_requests(request, pk: int):
    """The requests made on one application with their answers, and a form for a new one."""
    application = application_get_for_information(user=request.user, application_id=pk)
    form = InformationRequestForm(
        request.POST if request.method == "POST" else None, application=application
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind, item_id = form.chosen_item()
            try:
                services.information_request(
                    application=application,
                    actor=request.user,
                    item_kind=kind,
                    item_id=item_id,
                    message=form.cleaned_data["message"],
                )
            except Refused as refusal:
                form_refused(form, refusal)
            else:
                messages.success(request, _("We have emailed the applicant your request."))
                return redirect("applications:information_requests", pk)
        status = 400
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "requests": information_requests_of(application=application),
    }
    return render(request, "applications/application_information.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def information_answer(request, pk: int, request_id: int):
    """The applicant reads the request and answers it once."""
    information = information_request_get_own(
        user=request.user, application_id=pk, request_id=request_id
    )
    form = InformationAnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not information.is_answered:
        if form.is_valid():
            try:
                services.information_answer(
                    information_request=information,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                )
            except Refused as refusal:
                form_refused(form, refusal)
            else:
                messages.success(request, _("Thank you: your answer is sent."))
                return redirect("applications:submit", pk)
        status = 400
    elif request.method == "POST":  # answered already (another tab): say so, keep the first
        messages.info(request, _("You have already answered this request. Thank you."))
        return redirect("applications:information_answer", pk, request_id)
    application = information.application
    context = {
        "application": application,
        "call": application.call,
        "information": information,
        "form": form,
    }
    context["max_mb"] = services.FILE_MAX_SIZE // 1_000_000
    return uploads.allow_upload_origin(
        render(request, "applications/application_information_answer.html", context, status=status)
    )


def _answer_page(pk: int, request_id: int) -> str:
    return reverse("applications:information_answer", args=[pk, request_id])


def _file_upload(request, pk: int, request_id: int) -> services.InformationFileUpload:
    information = information_request_get_own(
        user=request.user, application_id=pk, request_id=request_id
    )
    return services.InformationFileUpload(information_request=information)


@login_required
@require_POST
def information_file_upload(request, pk: int, request_id: int):
    """Without JavaScript: the file comes through the portal, under the same limits."""
    return uploads.direct_response(
        request,
        _file_upload(request, pk, request_id),
        done=_answer_page(pk, request_id),
        success=_("File received. Send your answer when it is complete."),
    )


@login_required
@require_POST
def information_file_ticket(request, pk: int, request_id: int):
    return uploads.ticket_response(
        request,
        _file_upload(request, pk, request_id),
        finish=reverse("applications:information_file_finish", args=[pk, request_id]),
    )


@login_required
@require_POST
def information_file_finish(request, pk: int, request_id: int):
    return uploads.finish_response(
        request,
        _file_upload(request, pk, request_id),
        done=_answer_page(pk, request_id),
        success=_("File received. Send your answer when it is complete."),
    )


@login_required
@require_GET
def information_file_download(request, pk: int, request_id: int):
    """The file joined to an answer: for the applicant, the call's managers and reviewers."""
    information = information_request_get_for_reader(
        user=request.user, application_id=pk, request_id=request_id
    )
    if not information.file_key:
        raise Http404
    return confidential_download(
        request,
        information,
        action="information_file.downloaded",
        key=information.file_key,
        filename=information.file_name or "file",
        content_type=information.file_type,
        sha256=information.file_sha256,
    )
