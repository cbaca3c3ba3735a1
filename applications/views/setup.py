"""A call's set-up in the staff area (Wagtail's admin): a page per step, each the snippet's
edit view with that step's panels, an overview with the checklist and Publish, and Copy.

Dates are typed and shown in the call's time zone: each step runs, and renders, with that
zone active, which Django's date fields read and show in.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import CreateView, EditView

from applications.enums import CallSetupStep, CallState
from applications.models import Call
from applications.selectors.setup import call_checklist
from applications.services.setup import call_copy, call_placeholder_dates, call_publish
from portal.errors import Refused
from portal.permissions import allowed

URL_NAMESPACE = "wagtailsnippets_applications_call"
DATE_FIELDS = ("opens_at", "closes_at", "review_deadline")


def setup_url(name: str, call_id: int | None = None) -> str:
    """A URL of the set-up: "overview" (the snippet's "edit"), "publish", "copy", "add", or a
    step ("details" … "dates")."""
    url_name = {"overview": "edit"}.get(name, name)
    if name in CallSetupStep.values:
        url_name = f"setup_{name}"
    return reverse(f"{URL_NAMESPACE}:{url_name}", args=[] if call_id is None else [call_id])


def committee_url(call: Call) -> str:
    """Where the committee is managed, on the portal side."""
    try:
        return reverse("applications:committee_manage", args=[call.pk])
    except NoReverseMatch:  # the committee's own page is not there yet: its assignment is
        return reverse("applications:assignment", args=[call.pk])


def steps_nav(call: Call | None, current: str | None, checklist=None) -> list[dict]:
    """The steps in order, each with its link (none before the call exists) and whether its
    part of the checklist is met."""
    return [
        {
            "key": step.value,
            "label": step.label,
            "number": number,
            "url": setup_url(step.value, call.pk) if call is not None else None,
            "current": step.value == current,
            "done": checklist is not None and all(c.met for c in checklist.for_step(step.value)),
        }
        for number, step in enumerate(CallSetupStep, start=1)
    ]


def _refuse_unless_staff(request, call=None) -> None:
    # Someone who may not set up calls learns nothing of them: a 404, as everywhere.
    if not allowed(request.user, "applications.setup_call", call):
        raise Http404


class CallCreateView(CreateView):
    """The first step of a new call (details, languages, time zone). The dates start as past
    placeholders the checklist asks to change, until the dates step."""

    template_name = "applications/setup/create.html"

    def dispatch(self, request, *args, **kwargs):
        _refuse_unless_staff(request)
        return super().dispatch(request, *args, **kwargs)

    def get_initial_form_instance(self):
        return Call(**call_placeholder_dates(timezone.now()))

    def get_success_url(self):
        return setup_url(CallSetupStep.ELIGIBILITY, self.object.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = steps_nav(None, CallSetupStep.DETAILS)
        return context


class CallStepView(EditView):
    """One step of the set-up: the snippet's edit view with the step's panels only."""

    template_name = "applications/setup/step.html"
    step: str = CallSetupStep.DETAILS

    def dispatch(self, request, *args, **kwargs):
        _refuse_unless_staff(request, self.object)
        with timezone.override(self.object.zone):
            response = super().dispatch(request, *args, **kwargs)
            # A template response renders after the view returns: render it in the zone too.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for name in DATE_FIELDS:
            if name in form.fields:
                form.fields[name].help_text = _("In the call's time zone, %(zone)s.") % {
                    "zone": self.object.time_zone
                }
        return form

    def get_success_url(self):
        steps = CallSetupStep.values
        position = steps.index(self.step)
        if position + 1 < len(steps):
            return setup_url(steps[position + 1], self.object.pk)
        return setup_url("overview", self.object.pk)

    def get_page_subtitle(self):
        return f"{self.object} · {CallSetupStep(self.step).label}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = steps_nav(self.object, self.step)
        # The snippet's form posts to its edit URL, which here is the overview: post to the step.
        context["action_url"] = setup_url(self.step, self.object.pk)
        context["overview_url"] = setup_url("overview", self.object.pk)
        if self.step == CallSetupStep.COMMITTEE:
            context["committee_url"] = committee_url(self.object)
        return context


class CallAdminPage(WagtailAdminTemplateMixin, TemplateView):
    """A page of the set-up that is not a form of the call's fields."""

    index_url_name = f"{URL_NAMESPACE}:list"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        _refuse_unless_staff(request)
        self.call = get_object_or_404(Call, pk=kwargs["pk"])

    def get_page_title(self):
        return str(self.call)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Calls")},
            {"url": "", "label": str(self.call)},
        ]


class CallOverviewView(CallAdminPage):
    """The call's steps with the checklist, its stage, Publish and Copy."""

    template_name = "applications/setup/overview.html"
    http_method_names = ["get"]

    def get_context_data(self, refusal: Refused | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        checklist = call_checklist(call=call)
        steps = steps_nav(call, None, checklist)
        for step in steps:
            step["checks"] = checklist.for_step(step["key"])
        context.update(
            call=call,
            shown_state=call.displayed_state(),
            is_draft=call.state == CallState.DRAFT,
            checklist=checklist,
            steps=steps,
            refusal=refusal,
            publish_url=setup_url("publish", call.pk),
            copy_url=setup_url("copy", call.pk),
            applications_url=reverse("applications:call_applications", args=[call.pk]),
            committee_url=committee_url(call),
        )
        return context


class CallPublishView(CallOverviewView):
    """Publish from the overview; a refusal shows the overview again with what is missing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            call_publish(call=self.call, actor=request.user)
        except Refused as refusal:
            context = self.get_context_data(refusal=refusal)
            return self.render_to_response(context, status=400)
        messages.success(request, _("The call is published: students can see it."))
        return redirect(setup_url("overview", self.call.pk))


class CallCopyView(CallAdminPage):
    """Asks, then copies the call as a new draft and opens the copy's overview."""

    template_name = "applications/setup/copy.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(call=self.call, overview_url=setup_url("overview", self.call.pk))
        return context

    def post(self, request, *args, **kwargs):
        copy = call_copy(call=self.call, actor=request.user)
        messages.success(
            request, _("A copy was made as a draft. Set its dates and check it before publishing.")
        )
        return redirect(setup_url("overview", copy.pk))
