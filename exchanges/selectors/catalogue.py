"""The public side: the rotation catalogue (read by cms.RotationCatalogPage) and a rotation."""

from datetime import date

from django.core.paginator import Page as ResultPage
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

from exchanges import rules
from exchanges.enums import RotationStatus
from exchanges.filters import RotationFilter
from exchanges.models import Rotation
from portal.content_languages import localized
from portal.pagination import paginate
from portal.taxonomy import LANGUAGE_NAMES, Specialty

CATALOGUE_PAGE_SIZE = 20
SPECIALTY_NAMES = dict(Specialty.choices)


def rotation_list_published(*, today: date | None = None) -> QuerySet[Rotation]:
    """Published rotations that have not ended, soonest first, with what a card shows."""
    today = today or timezone.localdate()
    return (
        Rotation.objects.filter(status=RotationStatus.PUBLISHED, end_date__gte=today)
        .select_related("institution", "cycle")
        .order_by("start_date", localized("title"), "pk")
    )


def rotation_catalogue(*, params, page_number=None) -> tuple[RotationFilter, ResultPage]:
    """The filters and a page of published rotations, each with its specialty and language
    named in the reader's language (`specialty_name`, `language_name`: Django's
    `get_language_display` translates all of the hundred-odd languages at every call)."""
    filterset = RotationFilter(params or None, queryset=rotation_list_published())
    page = paginate(filterset.qs, page_number, per_page=CATALOGUE_PAGE_SIZE)
    for rotation in page:
        rotation.specialty_name = SPECIALTY_NAMES.get(rotation.specialty, rotation.specialty)
        rotation.language_name = LANGUAGE_NAMES.get(rotation.language, rotation.language)
    return filterset, page


def catalogue_url() -> str | None:
    """The URL of the catalogue page in the reader's language, if an editor has made one.

    The page type belongs to `cms`, which reads from this app; it is found by its content
    type so that this app does not import the CMS back.
    """
    pages = Page.objects.live().filter(
        content_type__app_label="cms", content_type__model="rotationcatalogpage"
    )
    page = pages.filter(locale__language_code=get_language()).first() or pages.first()
    return page.url if page else None


def rotation_get_in_cycle(*, cycle, rotation_id: int) -> Rotation:
    return get_object_or_404(cycle.rotations.all(), pk=rotation_id)


def rotation_is_on_list(*, user, rotation: Rotation) -> bool:
    """Whether this person ranks the rotation (a page shows it as on their list)."""
    if not user.is_authenticated or not rotation.cycle_id:
        return False
    return rotation.rank_entries.filter(rank_list__student=user).exists()


def rotation_get_visible(*, user, rotation_id: int) -> Rotation:
    return get_object_or_404(
        rules.rotations_visible_to(user).select_related("institution", "cycle"), pk=rotation_id
    )
