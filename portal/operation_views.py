"""The progress page of an operation (`portal.operations`): refreshed by the browser every few
seconds without JavaScript, polled with it; a failed one offers to start again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import operations
from portal.errors import Refused
from portal.models import Operation

#: Seconds between two looks at a running operation, with and without JavaScript.
POLL_SECONDS = 1
REFRESH_SECONDS = 3


def operation_started(request, kind: str, *, subject: str, **params) -> HttpResponse:
    """Start the work and answer with its progress page; while the same work already runs,
    its page, with a message saying so."""
    try:
        operation = operations.operation_start(kind, subject=subject, user=request.user, **params)
    except operations.AlreadyRunning as refusal:
        if refusal.operation is None:  # it ended between the two queries: start again
            return operation_started(request, kind, subject=subject, **params)
        messages.info(request, refusal.message)
        operation = refusal.operation
    return redirect(operations.operation_url(operation))


def _operation_for(request, token) -> tuple[Operation, operations.Kind]:
    try:
        operation = operations.operation_get(token)
    except Operation.DoesNotExist:
        raise Http404 from None
    kind = operations.kind_get(operation.kind)
    if not kind.allowed(request.user, operation):
        raise Http404
    return operation, kind


def _state(operation: Operation, kind: operations.Kind) -> dict:
    followups = [
        {"label": label, "done": done, "total": total}
        for label, done, total in (
            kind.followups(operation) if operation.status == Operation.Status.SUCCEEDED else []
        )
    ]
    return {
        "operation": operation,
        "kind": kind,
        "stage": kind.stages.get(operation.stage, "") if operation.active else "",
        "summary": kind.summary(operation.result)
        if operation.status == Operation.Status.SUCCEEDED
        else "",
        "followups": followups,
        "done_url": kind.done_url(operation),
        # Still worth looking again: the work itself, or what it set off.
        "pending": operation.active or any(row["done"] < row["total"] for row in followups),
        "refresh_seconds": REFRESH_SECONDS,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
@never_cache
def operation_page(request, token):
    operation, kind = _operation_for(request, token)
    return render(request, "portal/operation.html", _state(operation, kind))


@login_required
@require_GET
@never_cache
def operation_progress(request, token):
    """The state part of the page, for the script that polls it."""
    operation, kind = _operation_for(request, token)
    state = _state(operation, kind)
    html = render_to_string("portal/includes/operation_state.html", state, request=request)
    return JsonResponse({"status": operation.status, "pending": state["pending"], "html": html})


@login_required
@require_POST
def operation_retry(request, token):
    operation, _kind = _operation_for(request, token)
    try:
        again = operations.operation_retry(operation, user=request.user)
    except operations.AlreadyRunning as refusal:
        messages.info(request, refusal.message)
        again = refusal.operation or operation
    except Refused as refusal:  # not failed: nothing to start again
        messages.info(request, refusal.message)
        again = operation
    return redirect(operations.operation_url(again))
