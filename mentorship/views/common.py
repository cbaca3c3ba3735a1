"""What the mentoring views share: the staff guard, pagination, service errors on forms."""

from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404

PAGE_SIZE = 25


def allowed(user, perm: str, obj=None) -> bool:
    """The rule itself, without Django's superuser shortcut: a superuser is programme staff,
    not the mentee or mentor of every pair, and has no mentor dashboard of their own."""
    return rules.has_perm(perm, user, obj)


def staff_required(view):
    """Programme staff only; anyone else gets 404 (the page does not exist for them)."""

    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        if not allowed(request.user, "mentorship.run_mentoring"):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)
