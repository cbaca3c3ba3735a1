"""Mentor profiles in the one admin; the portal's staff pages (/mentorship/staff/) do the rest."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from mentorship.models import MentorProfile


class MentorProfileViewSet(SnippetViewSet):
    model = MentorProfile
    icon = "user"
    menu_label = _("Mentors")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["user", "status", "capacity", "time_zone", "created_at"]
    list_filter = ["status"]


register_snippet(MentorProfileViewSet)
