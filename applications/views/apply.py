"""Starting an application and filling it in, section by section."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications import selectors
from applications.forms import AboutForm, EligibilityForm, SectionForm
from applications.services import applications as services
from applications.views.steps import application_steps, step_context
from portal.errors import Refused
from portal.http import form_refused, refusal_messages


@login_required
@require_http_methods(["GET", "POST"])
def call_apply(request, slug: str):
    """The way in: the call, its eligibility questions, then the application."""
    call = selectors.call_get_by_slug(slug=slug)
    if not call.is_public:
        raise Http404  # a draft is seen only in the staff area, where it is set up
    existing = selectors.application_get_for_call(user=request.user, call=call)
    if existing is not None:
        return redirect("applications:detail", existing.pk)
    form = EligibilityForm(request.POST if request.method == "POST" else None, call=call)
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                call=call, applicant=request.user, eligibility=form.answers()
            )
        except Refused as refusal:
            if refusal.code == "not_eligible":
                reasons = refusal.details
            else:
                refusal_messages(request, refusal)
        else:
            return redirect("applications:detail", application.pk)
    return render(
        request, "applications/call_apply.html", {"call": call, "form": form, "reasons": reasons}
    )


@login_required
def application_detail(request, pk: int):
    """Open an application at its first step that still lacks something."""
    application = selectors.application_get_own(user=request.user, application_id=pk)
    if not application.is_editable:
        return redirect("applications:submit", pk)
    steps = application_steps(application)
    first_gap = next((step for step in steps if step.missing), steps[-1])
    return redirect(first_gap.url)


@login_required
@require_http_methods(["GET", "POST"])
def application_about(request, pk: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    initial = {
        "country": application.country,
        "institution": application.institution,
        "year_of_study": application.year_of_study,
        "requested_amount": application.requested_amount,
        "version": application.version,
    }
    return _section_page(
        request,
        application,
        step="about",
        form=_about_form(request, application, initial),
        save=lambda form: services.application_save(
            application=application,
            version=form.cleaned_data["version"],
            profile={k: v for k, v in form.cleaned_data.items() if k != "version"},
        ),
    )


def _about_form(request, application, initial):
    return AboutForm(
        request.POST if request.method == "POST" else None, initial=initial, call=application.call
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_section(request, pk: int, number: int):
    application = selectors.application_get_own(user=request.user, application_id=pk)
    sections = application.sections
    if not 1 <= number <= len(sections):
        return redirect("applications:detail", pk)
    questions = [q for q in application.questions if q["section"] == sections[number - 1]]
    initial = {f"q{q['id']}": application.answers.get(str(q["id"])) for q in questions}
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": application.version},
        questions=questions,
    )
    return _section_page(
        request,
        application,
        step=f"section-{number}",
        form=form,
        save=lambda form: services.application_save(
            application=application,
            version=form.cleaned_data["version"],
            answers=form.valid_answers(),
        ),
    )


def _section_page(request, application, *, step: str, form, save):
    """Save what is valid, keep what was typed, refuse a stale version, then render or move on.

    Autosave (a fetch from application.js) gets JSON instead of a page.
    """
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        form.is_valid()
        if "version" in form.errors:
            return redirect(request.path)
        try:
            application = save(form)
        except Refused as refusal:
            if autosave:  # the script shows the sentence next to the form, whatever the code
                return JsonResponse({"error": refusal.message, "code": refusal.code}, status=409)
            if refusal.code != "stale":  # no longer editable: the submit page says why
                refusal_messages(request, refusal)
                return redirect("applications:submit", application.pk)
            form_refused(form, refusal)
        else:
            if autosave:
                saved = time_format(timezone.localtime(), "H:i")
                return JsonResponse({"version": application.version, "saved": saved})
            form = _refreshed(form, application)
            application = selectors.application_get_own(
                user=request.user, application_id=application.pk
            )
            if not form.errors:
                messages.success(request, _("Saved."))
                target = request.POST.get("go")
                return redirect(target if _is_step_url(application, target) else request.path)
    context = step_context(application, step)
    context["form"] = form
    return render(request, "applications/application_section.html", context)


def _refreshed(form, application):
    """After a save the page must carry the new version, or the next save would be refused."""
    data = form.data.copy()
    data["version"] = application.version
    form.data = data
    return form


def _is_step_url(application, target) -> bool:
    return bool(target) and any(step.url == target for step in application_steps(application))
