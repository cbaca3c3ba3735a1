"""Partner institutions, coordinators and rotations in the one admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exchanges.models import Coordinator, Institution, Rotation


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
    search_fields = ["title", "department", "city"]


class ExchangeGroup(SnippetViewSetGroup):
    menu_label = _("Exchanges")
    menu_icon = "site"
    menu_order = 210
    items = (InstitutionViewSet, CoordinatorViewSet, RotationViewSet)


register_snippet(ExchangeGroup)
