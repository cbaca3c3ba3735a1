"""What the exchange views share: refusals as messages, safe redirects, staff-only access."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from exchanges.services import Refused


def refuse(request, refusal: Refused) -> None:
    messages.error(request, refusal.message)
    for detail in refusal.details:
        messages.error(request, detail)


def redirect_back(request, fallback: str):
    """Back to `next` when it is a page of this site, else to `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def staff_required(view):
    """Programme staff only; anyone else gets the 404 a missing page would give."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("exchanges.run_match"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
