"""Partner institutions, coordinators, rotations and exchange cycles in the one admin.

Coordinators do their work in portal pages; the admin is for programme staff, who also invite
coordinators and run the match from the portal's staff pages (linked from the staff dashboard).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exchanges.models import Coordinator, ExchangeCycle, Institution, Rotation
from portal.content_languages import localized_names
from portal.permissions import allowed


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "site"
    menu_label = _("Institutions")
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city"]


class CoordinatorViewSet(SnippetViewSet):
    model = Coordinator
    icon = "user"
    menu_label = _("Coordinators")
    list_display = ["user", "institution"]


class RotationViewSet(SnippetViewSet):
    model = Rotation
    icon = "date"
    menu_label = _("Rotations")
    list_display = ["title", "institution", "specialty", "start_date", "capacity", "status"]
    list_filter = ["status", "specialty"]
    search_fields = [*localized_names("title", "department"), "city"]


class CycleViewSet(SnippetViewSet):
    model = ExchangeCycle
    icon = "calendar-alt"
    menu_label = _("Exchange cycles")
    list_display = ["name", "opens_at", "students_close_at", "schools_close_at", "max_ranks"]


class ExchangeGroup(SnippetViewSetGroup):
    menu_label = _("Exchanges")
    menu_icon = "site"
    menu_order = 210
    items = (InstitutionViewSet, CoordinatorViewSet, RotationViewSet, CycleViewSet)


register_snippet(ExchangeGroup)


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return allowed(request.user, "exchanges.run_match")


@hooks.register("register_admin_menu_item")
def register_match_menu_item():
    return StaffOnlyMenuItem(
        _("Matches and invitations"),
        reverse("exchanges:staff_cycles"),
        icon_name="resubmit",
        order=211,
    )
