"""Review and submit, the PDF of a submitted application, withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.pdf import application_pdf
from applications.services import applications as services
from applications.views.steps import step_context
from portal.errors import Refused
from portal.http import refusals, rendered_download


def _submit_refusal(refusal: Refused) -> str:
    """The submit page says more than the service: what is missing is listed under it, and a
    passed deadline comes with what to do."""
    if refusal.code == "incomplete":
        return _("Your application is not complete yet. It still needs:")
    if refusal.code == "deadline_passed":
        return _(
            "The deadline has passed, so this application can no longer be submitted. "
            "Your draft is kept; contact the programme team if something went wrong."
        )
    return refusal.message


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    refusal = None
    if request.method == "POST":
        try:
            application, first_time = services.application_submit(application=application)
        except Refused as error:
            refusal = _submit_refusal(error)
        else:
            if first_time:
                messages.success(
                    request,
                    _("Your application is submitted. We have emailed you a confirmation."),
                )
            return redirect("applications:submit", pk)
    application = selectors.application_get_own(user=request.user, application_id=pk)
    context = step_context(application, "submit")
    context.update({"missing": selectors.missing_items(application), "refusal": refusal})
    return render(request, "applications/application_submit.html", context)


@login_required
@require_GET
def application_download_pdf(request, pk: int):
    application = selectors.application_get_for_viewer(user=request.user, application_id=pk)
    if application.submitted_at is None:
        raise Http404
    return rendered_download(
        request,
        application,
        action="application_pdf.downloaded",
        content=application_pdf(application),
        filename=f"application-{application.pk}.pdf",
    )


@login_required
@require_POST
@refusals("applications:dashboard")
def application_withdraw(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    services.application_withdraw(application=application)
    messages.success(request, _("Your application is withdrawn."))
    return redirect("applications:dashboard")
