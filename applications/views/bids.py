"""A reviewer's bids on the call's applications, anonymised, one page of them at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.forms.committee import BidsForm
from applications.selectors import committee as selectors
from applications.services import bids as services
from portal.errors import Refused
from portal.http import form_refused


@login_required
@require_http_methods(["GET", "POST"])
def bids(request, call_id: int):
    membership = selectors.membership_get_for_bidding(user=request.user, call_id=call_id)
    page_number = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
    page, rows = selectors.bid_page(membership=membership, page_number=page_number)
    form = BidsForm(
        request.POST if request.method == "POST" else None,
        application_ids=[row.application_id for row in rows],
        levels={row.application_id: row.level for row in rows},
        initial={"page": page.number},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bids_save(membership=membership, levels=form.levels(), actor=request.user)
        except Refused as refusal:
            form_refused(form, refusal)
        else:
            messages.success(request, _("Your bids are saved."))
            return redirect(f"{reverse('applications:bids', args=[call_id])}?page={page.number}")
    return render(
        request,
        "applications/bids.html",
        {
            "call": membership.call,
            "membership": membership,
            "page_obj": page,
            "rows": [(row, form[f"bid_{row.application_id}"]) for row in rows],
            "form": form,
            "open": services.bids_open(membership=membership),
        },
        status=400 if form.errors else 200,
    )
