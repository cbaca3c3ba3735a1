"""Pages about people's accounts: a person's own profile; for staff, finding a person and
resetting their second factor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts import selectors, services
from portal.accounts.forms import ProfileForm
from portal.accounts.services import PROFILE_FIELDS
from portal.errors import Refused
from portal.http import form_refused, permission_required, redirect_back, refusals
from portal.pagination import paginate


@permission_required("accounts.reset_mfa")
def people_list(request):
    query = request.GET.get("q", "")
    page = paginate(selectors.user_list_search(query=query), request.GET.get("page"))
    return render(request, "portal/people_list.html", {"query": query, "page_obj": page})


@permission_required("accounts.reset_mfa")
@require_http_methods(["GET", "POST"])
@refusals("people_list")
def mfa_reset(request, user_id: int):
    """A confirmation page; the POST deletes the person's authenticators."""
    person = selectors.user_get(user_id=user_id)
    services.mfa_reset_check(actor=request.user, user=person)
    if request.method == "POST":
        if services.user_mfa_reset(actor=request.user, user=person):
            messages.success(
                request,
                _("%(name)s will set up a new second factor at their next sign-in.")
                % {"name": person},
            )
        return redirect_back(request, "people_list")
    factors = selectors.authenticator_types(user=person)
    return render(request, "portal/mfa_reset.html", {"person": person, "factors": factors})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The person's own name, form of address, language and time zone."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.user_profile_update(user=user, **form.cleaned_data)
            except Refused as refusal:
                form_refused(form, refusal)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("profile")
    else:
        # A language never chosen shows the page's own, as at sign-up.
        initial = {field: getattr(user, field) for field in PROFILE_FIELDS}
        form = ProfileForm(initial={key: value for key, value in initial.items() if value})
    return render(request, "portal/profile.html", {"form": form})
