"""Calls (set up in steps: details, eligibility, form, documents, rubric, committee, dates) and
committees in the one admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from applications.enums import CallSetupStep
from applications.models import Call, CommitteeMembership
from applications.views.setup import (
    URL_NAMESPACE,
    CallCopyView,
    CallCreateView,
    CallOverviewView,
    CallPublishView,
    CallStepView,
)
from applications.widgets import JSONCheckboxSelectMultiple
from portal.content_languages import language_panels, localized_names
from portal.templatetags.formatting import date_text

# Each step's panels, edited on a page of its own. The time zone is chosen on the first step,
# so that the dates (the last step) are typed in it.
STEP_PANELS = {
    CallSetupStep.DETAILS: [
        *language_panels("title", "summary"),
        FieldPanel("slug"),
        FieldPanel("languages", widget=JSONCheckboxSelectMultiple(choices=settings.LANGUAGES)),
        FieldPanel("time_zone"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("currency"), FieldPanel("budget")]),
                FieldRowPanel([FieldPanel("award_mode"), FieldPanel("award_amount")]),
            ],
            heading=_("Money"),
        ),
    ],
    CallSetupStep.ELIGIBILITY: [
        InlinePanel("eligibility_questions", heading=_("Eligibility"), label=_("Question")),
    ],
    CallSetupStep.FORM: [
        InlinePanel("questions", heading=_("Application questions"), label=_("Question")),
    ],
    CallSetupStep.DOCUMENTS: [
        InlinePanel("document_kinds", heading=_("Required documents"), label=_("Document")),
        MultiFieldPanel(
            [FieldPanel("referees_required"), FieldPanel("referee_grace_days")],
            heading=_("Referees"),
        ),
    ],
    CallSetupStep.RUBRIC: [InlinePanel("criteria", heading=_("Rubric"), label=_("Criterion"))],
    CallSetupStep.COMMITTEE: [
        MultiFieldPanel(
            [FieldPanel("reviewers_per_application"), FieldPanel("blind_review")],
            heading=_("Review"),
        ),
    ],
    CallSetupStep.DATES: [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("review_deadline"),
                FieldPanel("response_days"),
            ],
            heading=_("Dates"),
        ),
    ],
}


class ApplicationsColumn(Column):
    """A link to the call's applications, filtered and exportable, on the portal side."""

    def get_value(self, instance):
        url = reverse("applications:call_applications", args=[instance.pk])
        return format_html('<a href="{}">{}</a>', url, _("See applications"))


class StateColumn(Column):
    """Draft, Published, Closed or Decided."""

    def get_value(self, instance):
        return instance.displayed_state().label


class DeadlineColumn(Column):
    """The deadline in the call's own time zone, named."""

    def get_value(self, instance):
        when = date_text(instance.closes_at, "DATETIME_FORMAT", instance.time_zone)
        return f"{when} ({instance.time_zone})"


class CallViewSet(SnippetViewSet):
    """A call is created at its first step; its "edit" page is the overview of the steps and
    the checklist, from which each step, Publish and Copy are reached: no other way to edit."""

    model = Call
    icon = "doc-full"
    menu_label = _("Calls")
    add_view_class = CallCreateView
    create_template_name = CallCreateView.template_name
    list_display = [
        "title",
        StateColumn("displayed_state", label=_("State")),
        DeadlineColumn("closes_at", label=_("Closes")),
        "currency",
        "budget",
        ApplicationsColumn("applications", label=_("Applications")),
    ]
    # Every language: staff find a call by any of its titles, whatever language they read.
    search_fields = localized_names("title", "summary")
    ordering = ["-closes_at"]

    def get_edit_handler(self):
        # The new call's page: its first step.
        return ObjectList(STEP_PANELS[CallSetupStep.DETAILS]).bind_to_model(Call)

    def _step_view(self, step: str):
        panel = ObjectList(STEP_PANELS[step]).bind_to_model(Call)
        return self.construct_view(
            CallStepView,
            **self.get_edit_view_kwargs(
                panel=panel,
                form_class=panel.get_form_class(),
                template_name=CallStepView.template_name,
                step=step,
            ),
        )

    def _page_view(self, view_class):
        return view_class.as_view(index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        # The snippet's own edit and copy views are replaced: one way to edit a call.
        replaced = {"edit", "copy"}
        return [
            *[pattern for pattern in super().get_urlpatterns() if pattern.name not in replaced],
            path("edit/<int:pk>/", self._page_view(CallOverviewView), name="edit"),
            path("publish/<int:pk>/", self._page_view(CallPublishView), name="publish"),
            path("copy/<int:pk>/", self._page_view(CallCopyView), name="copy"),
            *[
                path(f"edit/<int:pk>/{step}/", self._step_view(step), name=f"setup_{step}")
                for step in CallSetupStep.values
            ],
        ]


class CommitteeMembershipViewSet(SnippetViewSet):
    model = CommitteeMembership
    icon = "group"
    menu_label = _("Committees")
    list_display = ["user", "call", "is_chair"]
    list_filter = ["is_chair", "call"]


class ScholarshipGroup(SnippetViewSetGroup):
    menu_label = _("Scholarships")
    menu_icon = "doc-full"
    menu_order = 200
    items = (CallViewSet, CommitteeMembershipViewSet)


register_snippet(ScholarshipGroup)


# Before the portal's general refusal (portal/wagtail_hooks.py): a call's reason is more precise.
@hooks.register("before_delete_snippet", order=-1)
def call_delete_refuse(request, instances):
    """Wagtail's Delete (one call or several): refused, before the confirmation page, for a
    call that is published or has applications, with the reason."""
    kept = [item for item in instances if isinstance(item, Call) and not item.may_be_deleted()]
    if not kept:
        return None
    messages.error(
        request,
        gettext(
            "Only a draft call that nobody has applied to can be deleted; %(calls)s stays. "
            "Copy a call to start a new one."
        )
        % {"calls": ", ".join(str(call.title) for call in kept)},
    )
    return redirect(f"{URL_NAMESPACE}:list")
