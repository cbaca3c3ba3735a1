"""Messages to a call's applicants: writing one for the applications a filter keeps, its
preview, sending it as long work, the call's sent messages, and one application's log."""

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.filters import ApplicationFilter
from applications.forms.messages import MessageForm
from applications.selectors import messages as reads
from applications.services import messages as services
from portal.errors import Refused
from portal.http import form_refused
from portal.operation_views import operation_started
from portal.pagination import paginate

FILTER_FIELDS = tuple(ApplicationFilter.base_filters)


@login_required
@require_http_methods(["GET", "POST"])
def message_new(request, call_id: int):
    """The filters come in the query string (as on the call's applications page) and stay in
    it when the form is posted."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    filters = {name: request.GET.get(name, "") for name in FILTER_FIELDS}
    filterset = ApplicationFilter(filters, queryset=selectors.application_list_for_call(call=call))
    form = MessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            subjects, bodies = form.texts()
            try:
                message = services.message_create(
                    call=call, actor=request.user, subjects=subjects, bodies=bodies, filters=filters
                )
            except Refused as refusal:
                form_refused(form, refusal)
            else:
                return redirect("applications:message_preview", call.pk, message.pk)
        status = 400
    context = {
        "call": call,
        "form": form,
        "filter": filterset,
        "count": filterset.qs.count() if filterset.is_valid() else 0,
    }
    return render(request, "applications/message_new.html", context, status=status)


@login_required
@require_GET
def message_preview(request, call_id: int, message_id: int):
    message = reads.message_get_for_manager(
        user=request.user, call_id=call_id, message_id=message_id
    )
    preview = reads.message_preview(message=message)
    return render(
        request,
        "applications/message_preview.html",
        {
            "call": message.call,
            "message": message,
            "recipient": preview[0] if preview else None,
            "filled": preview[1] if preview else None,
            "delivered": reads.message_delivered_count(message=message),
        },
    )


@login_required
@require_POST
def message_send(request, call_id: int, message_id: int):
    """A second click while it runs leads to the running work; once everyone has it, to the
    list, saying so."""
    message = reads.message_get_for_manager(
        user=request.user, call_id=call_id, message_id=message_id
    )
    if reads.message_delivered_count(message=message) >= message.recipient_count:
        notices.info(request, _("This message has already been sent."))
        return redirect("applications:call_messages", call_id)
    return operation_started(
        request,
        services.SEND,
        subject=services.subject_of(message),
        message_id=message.pk,
        call_id=message.call_id,
    )


@login_required
@require_GET
def call_messages(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    page = paginate(reads.message_list_for_call(call=call), request.GET.get("page"), per_page=50)
    return render(request, "applications/message_list.html", {"call": call, "page_obj": page})


@login_required
@require_GET
def application_messages(request, pk: int):
    application = reads.application_get_for_messages(user=request.user, application_id=pk)
    return render(
        request,
        "applications/message_log.html",
        {
            "application": application,
            "call": application.call,
            "received": reads.messages_received(application=application),
            "own": application.applicant_id == request.user.pk,
        },
    )
