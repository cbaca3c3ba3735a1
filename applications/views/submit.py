"""Review and submit (a summary and a declaration), the application's progress once submitted,
the PDF of a submitted application, withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import selectors
from applications.enums import DocumentStatus
from applications.forms.apply import SubmitForm
from applications.pdf import application_pdf
from applications.selectors.timeline import application_timeline, information_requests_of
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
    """Before submission, everything given, read-only, with a link back to each step and the
    declaration to tick; after it, the application's progress and any request for more
    information."""
    application = selectors.application_get_own(user=request.user, application_id=pk)
    refusal = None
    form = SubmitForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and application.is_editable:
        if form.is_valid():
            now = timezone.now()  # the declaration is ticked in the same click
            try:
                application, first_time = services.application_submit(
                    application=application, declared_at=now, now=now
                )
            except Refused as error:
                refusal = _submit_refusal(error)
            else:
                if first_time:
                    messages.success(
                        request,
                        _("Your application is submitted. We have emailed you a confirmation."),
                    )
                return redirect("applications:submit", pk)
        status = 400
    elif request.method == "POST":  # a second click after submission: nothing to do again
        return redirect("applications:submit", pk)
    application = selectors.application_get_own(user=request.user, application_id=pk)
    context = step_context(application, "submit")
    context.update(
        {
            "missing": selectors.missing_items(application),
            "refusal": refusal,
            "form": form,
            "sections": _summary_sections(application, context["steps"]),
            "kinds": _documents_by_kind(application),
            "active_referees": [r for r in application.referees.all() if r.is_active],
            "timeline": application_timeline(application),
            "information_requests": information_requests_of(application=application),
        }
    )
    return render(request, "applications/application_submit.html", context, status=status)


def _summary_sections(application, steps) -> list[dict]:
    """Each section of questions with its answers and the page to change them on."""
    urls = {step.slug: step.url for step in steps}
    return [
        {
            "title": title,
            "url": urls.get(f"section-{number}"),
            "answers": [
                {**question, "value": application.answers.get(str(question["id"]))}
                for question in application.questions
                if question["section"] == title
            ],
        }
        for number, title in enumerate(application.sections, start=1)
    ]


def _documents_by_kind(application) -> list[tuple]:
    received = {
        document.kind_id: document
        for document in application.documents.all()
        if document.status == DocumentStatus.VERIFIED
    }
    return [(kind, received.get(kind.pk)) for kind in application.call.document_kinds.all()]


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
        content=application_pdf(application, language=translation.get_language()),
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
