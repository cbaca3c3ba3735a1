"""Calls and committees in the one admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from applications.models import Call, CommitteeMembership


class CallViewSet(SnippetViewSet):
    model = Call
    icon = "doc-full"
    menu_label = _("Calls")
    list_display = ["title", "opens_at", "closes_at", "currency", "budget"]
    search_fields = ["title", "summary"]
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
