"""Referees: the applicant invites, reminds and replaces; the referee answers by a link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.forms import DeclineForm, LetterForm, RefereeForm
from applications.services import referees as services
from applications.services.errors import ApplicationError
from applications.views.steps import step_context
from portal import storage


@login_required
@require_http_methods(["GET", "POST"])
def application_referees(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    form = RefereeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referee_invite(application=application, **form.cleaned_data)
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request, _("We have emailed %(name)s.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("applications:referees", pk)
    context = step_context(application, "referees")
    context.update(
        {
            "form": form,
            "referees": [r for r in application.referees.all() if r.is_active],
            "replace_form": RefereeForm(prefix="replace"),
        }
    )
    return render(request, "applications/application_referees.html", context)


def _own_referee(request, pk: int, referee_id: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    referee = next((r for r in application.referees.all() if r.pk == referee_id), None)
    if referee is None:
        raise Http404
    return application, referee


@login_required
@require_POST
def referee_remind(request, pk: int, referee_id: int):
    application, referee = _own_referee(request, pk, referee_id)
    try:
        services.referee_remind(application=application, referee=referee)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("We have reminded %(name)s.") % {"name": referee.name})
    return redirect("applications:referees", pk)


@login_required
@require_POST
def referee_replace(request, pk: int, referee_id: int):
    application, referee = _own_referee(request, pk, referee_id)
    form = RefereeForm(request.POST, prefix="replace")
    if not form.is_valid():
        messages.error(request, _("Give the new referee's name and a valid email address."))
        return redirect("applications:referees", pk)
    try:
        services.referee_replace(application=application, referee=referee, **form.cleaned_data)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("We have emailed %(name)s.") % {"name": form.cleaned_data["name"]}
        )
    return redirect("applications:referees", pk)


@never_cache
@require_http_methods(["GET", "POST"])
def referee_letter(request, token: str):
    """The referee's page: the applicant's name and the call, one letter or a decline."""
    try:
        referee = services.referee_for_token(token=token)
    except services.RefereeLinkInvalid as invalid:
        status = 404 if invalid.reason == "unknown" else 410
        return render(
            request, "applications/referee_invalid.html", {"reason": invalid.reason}, status=status
        )
    letter_form = LetterForm()
    decline_form = DeclineForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    services.referee_decline(token=token, **decline_form.cleaned_data)
                    return render(request, "applications/referee_done.html", {"declined": True})
            else:
                letter_form = LetterForm(request.POST, request.FILES)
                if letter_form.is_valid():
                    services.referee_letter_save(
                        token=token, file=letter_form.cleaned_data["letter"]
                    )
                    return render(request, "applications/referee_done.html", {"declined": False})
        except storage.UploadRejected as refusal:
            letter_form.add_error("letter", str(refusal))
        except services.RefereeLinkInvalid as invalid:
            return render(
                request, "applications/referee_invalid.html", {"reason": invalid.reason}, status=410
            )
    application = referee.application
    return render(
        request,
        "applications/referee_letter.html",
        {
            "referee": referee,
            "applicant_name": application.applicant.get_full_name(),
            "call": application.call,
            "letter_form": letter_form,
            "decline_form": decline_form,
            "max_mb": services.LETTER_MAX_SIZE // 1_000_000,
        },
    )
