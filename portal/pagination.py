"""One paginator for every list: a page of a queryset (or a list), rendered by
`templates/includes/pagination.html`, which keeps the list's filters in its links."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(items, page_number: str | int | None, *, per_page: int = PAGE_SIZE) -> Page:
    """The page `page_number` of `items`; a missing, invalid or too large number gives the
    first or last page rather than an error (a bookmarked page of a list that shrank)."""
    return Paginator(items, per_page).get_page(page_number)
