"""Exchange views: the coordinator's dashboard (rotations and the match come with their issue)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from exchanges import selectors


@login_required
def coordinator_dashboard(request):
    if not request.user.has_perm("exchanges.view_coordinator_dashboard"):
        raise Http404
    institutions = selectors.institution_list_for_coordinator(user=request.user)
    return render(request, "exchanges/coordinator_dashboard.html", {"institutions": institutions})
