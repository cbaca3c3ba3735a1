"""What every view does the same way: refusals shown to people, permission guards, going back.

Views are thin: they authorise through `allowed`, call one service or selector, and render.
When the service raises `Refused`, the `refusals` decorator (or `form_refused` for a form that
is shown again with what was typed) turns it into words on the page, or into JSON for the
small scripts that post in the background.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

from portal import storage
from portal.audit import audit_access
from portal.errors import Refused
from portal.permissions import allowed


def wants_json(request: HttpRequest) -> bool:
    """The portal's scripts ask for JSON; a plain form post does not."""
    return "application/json" in request.headers.get("Accept", "")


def redirect_back(request: HttpRequest, fallback: str, *args, **kwargs) -> HttpResponse:
    """Back to `next` when it is a page of this site, else to `fallback` (a URL or URL name)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(resolve_url(fallback, *args, **kwargs))


def refusal_messages(request: HttpRequest, refusal: Refused) -> None:
    """The refusal as messages on the next page: the sentence, then each detail."""
    messages.error(request, refusal.message)
    for detail in refusal.details:
        messages.error(request, detail)


def refusal_json(refusal: Refused) -> JsonResponse:
    """The refusal for a script: its words, its code and details, with its status."""
    return JsonResponse(
        {"error": refusal.message, "code": refusal.code, "details": refusal.details},
        status=refusal.status,
    )


def refusal_response(request: HttpRequest, refusal: Refused, fallback: str) -> HttpResponse:
    if wants_json(request):
        return refusal_json(refusal)
    refusal_messages(request, refusal)
    return redirect_back(request, fallback)


def refusals(fallback: str | Callable[..., str]):
    """Turn a `Refused` raised by the view into a message and a redirect (or a JSON error).

    `fallback` is where to go back to: a URL, a URL name, or a function of the view's
    keyword arguments that returns a URL (``lambda pk: reverse("x", args=[pk])``).
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Refused as refusal:
                target = fallback(**kwargs) if callable(fallback) else fallback
                return refusal_response(request, refusal, target)

        return wrapper

    return decorate


def form_refused(form, refusal: Refused) -> None:
    """Show a refusal on a form that is rendered again with what the person typed."""
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)
    for detail in refusal.details:
        form.add_error(None, detail)


def permission_required(perm: str):
    """Signed in and allowed `perm` (a rule without an object); anyone else gets the 404 a
    missing page would give, so the page's existence is not revealed."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user, perm):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def rendered_download(
    request: HttpRequest, obj, *, action: str, content: bytes, filename: str, detail=None
) -> HttpResponse:
    """A confidential PDF made on request (an application's PDF, a visa letter), after the
    view's permission check: recorded in the audit log as taken by this person, never cached."""
    audit_access(request, action, obj, detail=detail)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def confidential_download(
    request: HttpRequest,
    obj,
    *,
    action: str,
    key: str,
    filename: str,
    content_type: str,
    sha256: str | None = None,
) -> HttpResponse:
    """The one way to hand out a private document, after the view's permission check: a
    short-lived link (given only if the stored object still has its checksum), recorded in
    the audit log as taken by this person, never cached by the browser or a proxy."""
    url = storage.download_url(key=key, filename=filename, content_type=content_type, sha256=sha256)
    audit_access(request, action, obj)
    response = redirect(url)
    response["Cache-Control"] = "private, no-store"
    return response
