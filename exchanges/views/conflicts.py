"""A coordinator declares a conflict of interest with a student, from the applicants page or
the dossier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges import selectors
from exchanges.services.conflicts import coordinator_conflict_declare
from portal.http import refusals


def _applicants_url(pk: int, **_other_kwargs) -> str:
    return reverse("exchanges:rotation_applicants", args=[pk])


@login_required
@require_POST
@refusals(_applicants_url)
def student_conflict_declare(request, pk: int, rank_list_id: int):
    rotation = selectors.rotation_get_managed(user=request.user, rotation_id=pk)
    coordinator_conflict_declare(
        coordinator=request.user,
        rotation=rotation,
        rank_list_id=rank_list_id,
        reason=request.POST.get("reason", ""),
    )
    messages.success(
        request, _("The conflict is recorded: this student's dossier is closed to you.")
    )
    return redirect(_applicants_url(pk))
