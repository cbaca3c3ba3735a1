"""What the exchange selectors share: page sizes and pagination."""

from django.core.paginator import Page as ResultPage
from django.core.paginator import Paginator

CATALOGUE_PAGE_SIZE = 20
LIST_PAGE_SIZE = 25


def _paginate(queryset, page_number, per_page: int = LIST_PAGE_SIZE) -> ResultPage:
    return Paginator(queryset, per_page).get_page(page_number)
