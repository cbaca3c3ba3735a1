"""Referees: the applicant invites, reminds and replaces; the referee answers by a link."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.forms import DeclineForm, RefereeForm
from applications.services import referees as services
from applications.views.steps import step_context
from portal import uploads
from portal.errors import Refused
from portal.http import form_refused, refusal_json, refusals


def _referees_page(pk: int, **_kwargs) -> str:
    return reverse("applications:referees", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def application_referees(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    form = RefereeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referee_invite(application=application, **form.cleaned_data)
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(
                request, _("We have emailed %(name)s.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("applications:referees", pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, application, form=form, status=status)


def _page(request, application, *, form=None, replace_form=None, replacing=None, status=200):
    """The referees step; a refused replacement opens again under its referee, as typed."""
    context = step_context(application, "referees")
    context.update(
        {
            "form": form or RefereeForm(),
            "referees": [r for r in application.referees.all() if r.is_active],
            "replace_form": RefereeForm(prefix="replace"),
            "refused_replace_form": replace_form,
            "replacing": replacing,
        }
    )
    return render(request, "applications/application_referees.html", context, status=status)


def _own_referee(request, pk: int, referee_id: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    referee = next((r for r in application.referees.all() if r.pk == referee_id), None)
    if referee is None:
        raise Http404
    return application, referee


@login_required
@require_POST
@refusals(_referees_page)
def referee_remind(request, pk: int, referee_id: int):
    application, referee = _own_referee(request, pk, referee_id)
    services.referee_remind(application=application, referee=referee)
    messages.success(request, _("We have reminded %(name)s.") % {"name": referee.name})
    return redirect("applications:referees", pk)


@login_required
@require_POST
@refusals(_referees_page)
def referee_replace(request, pk: int, referee_id: int):
    application, referee = _own_referee(request, pk, referee_id)
    form = RefereeForm(request.POST, prefix="replace")
    if form.is_valid():
        try:
            services.referee_replace(application=application, referee=referee, **form.cleaned_data)
        except Refused as refusal:
            if refusal.field is None:  # not about what was typed: said above the page
                raise
            form_refused(form, refusal)
        else:
            name = form.cleaned_data["name"]
            messages.success(request, _("We have emailed %(name)s.") % {"name": name})
            return redirect("applications:referees", pk)
    application = selectors.application_get_own(user=request.user, application_id=pk)
    return _page(request, application, replace_form=form, replacing=referee.pk, status=400)


def _link_refused(request, refusal: Refused):
    return render(
        request,
        "applications/referee_invalid.html",
        {"message": refusal.message},
        status=refusal.status,
    )


def _done(request, *, declined: bool):
    return render(request, "applications/referee_done.html", {"declined": declined})


@never_cache
@require_http_methods(["GET", "POST"])
def referee_letter(request, token: str):
    """The referee's page: the applicant's name and the call, one letter or a decline.

    The letter goes by the shared upload protocol; its two steps with JavaScript post to this
    page with ``?step=ticket`` and ``?step=finish``, and a sent letter comes back to it with
    ``?sent=1`` for the thanks.
    """
    page = reverse("applications:referee", args=[token])
    step = request.GET.get("step") if request.method == "POST" else None
    try:
        referee = services.referee_for_token(
            token=token, address=get_adapter().get_client_ip(request)
        )
    except Refused as refusal:
        received = (
            services.referee_with_letter(token=token)
            if step == "finish" and refusal.code == "answered"
            else None
        )
        if received is not None:  # the same letter finished twice answers as the first time
            letter = services.LetterUpload(referee=received)
            return uploads.finish_response(request, letter, done=f"{page}?sent=1", success=None)
        if step:
            return refusal_json(refusal)
        if refusal.code == "answered" and request.GET.get("sent"):
            return _done(request, declined=False)
        return _link_refused(request, refusal)
    letter = services.LetterUpload(referee=referee)
    if step == "ticket":
        return uploads.ticket_response(request, letter, finish=f"{page}?step=finish")
    if step == "finish":
        return uploads.finish_response(request, letter, done=f"{page}?sent=1", success=None)
    decline_form = DeclineForm()
    if request.method == "POST" and request.POST.get("action") == "decline":
        decline_form = DeclineForm(request.POST)
        if decline_form.is_valid():
            try:
                services.referee_decline(token=token, **decline_form.cleaned_data)
            except Refused as refusal:
                return _link_refused(request, refusal)
            return _done(request, declined=True)
    elif request.method == "POST":
        return uploads.direct_response(
            request, letter, done=f"{page}?sent=1", back=page, success=None
        )
    application = referee.application
    context = {
        "referee": referee,
        "applicant_name": application.applicant.get_full_name(),
        "call": application.call,
        "page": page,
        "decline_form": decline_form,
        "max_mb": services.LETTER_MAX_SIZE // 1_000_000,
    }
    return uploads.allow_upload_origin(render(request, "applications/referee_letter.html", context))
