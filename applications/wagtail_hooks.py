"""Calls (with their questions, documents, referees and rubric) and committees in the one admin."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from applications.models import Call, CommitteeMembership
from portal.content_languages import localized_names


class ApplicationsColumn(Column):
    """A link to the call's applications, filtered and exportable, on the portal side."""

    def get_value(self, instance):
        url = reverse("applications:call_applications", args=[instance.pk])
        return format_html('<a href="{}">{}</a>', url, _("See applications"))


class CallViewSet(SnippetViewSet):
    model = Call
    icon = "doc-full"
    menu_label = _("Calls")
    list_display = [
        "title",
        "opens_at",
        "closes_at",
        "currency",
        "budget",
        ApplicationsColumn("applications", label=_("Applications")),
    ]
    # Every language: staff find a call by any of its titles, whatever language they read.
    search_fields = localized_names("title", "summary")
    ordering = ["-closes_at"]


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
