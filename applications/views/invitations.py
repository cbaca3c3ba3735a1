"""An invitation to a call's committee: the link's page, where the signed-in person accepts
it; and the managers' sending again and withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors
from applications.selectors import committee as committee_selectors
from applications.services import invitations as services
from portal.errors import Refused
from portal.http import refusals


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """Anyone with the link sees what it invites to; signed in, they accept it for the account
    they are signed in with; signed out, they sign in or create an account and come back.
    A link that cannot be used (unknown, withdrawn, expired, accepted by someone else) says
    so on a page of its own."""
    user = request.user if request.user.is_authenticated else None
    try:
        invitation = services.invitation_for_token(token=token, user=user)
        if request.method == "POST":
            if user is None:
                return redirect(f"{reverse('account_login')}?next={request.path}")
            membership = services.invitation_accept(token=token, user=user)
            messages.success(request, _("Welcome to the committee."))
            if membership.is_chair:
                return redirect("applications:chair_dashboard")
            return redirect("applications:committee_member", membership.call_id, membership.pk)
    except Refused as refusal:
        return render(
            request,
            "applications/invitation_invalid.html",
            {"message": refusal.message},
            status=refusal.status or 410,
        )
    return render(
        request,
        "applications/invitation.html",
        {
            "invitation": invitation,
            "call": invitation.call,
            "accepted": invitation.accepted_at is not None,
            "has_account": user is None and services.account_exists(invitation.email),
            "other_address": user is not None
            and user.email.strip().casefold() != invitation.email.strip().casefold(),
        },
    )


def _manage_url(call_id: int, **_kwargs) -> str:
    return reverse("applications:committee_manage", args=[call_id])


@login_required
@require_POST
@refusals(_manage_url)
def invitation_resend(request, call_id: int, invitation_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    invitation = committee_selectors.invitation_get_in_call(call=call, invitation_id=invitation_id)
    services.invitation_resend(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is sent again, with a new link."))
    return redirect("applications:committee_manage", call.pk)


@login_required
@require_POST
@refusals(_manage_url)
def invitation_revoke(request, call_id: int, invitation_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    invitation = committee_selectors.invitation_get_in_call(call=call, invitation_id=invitation_id)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("applications:committee_manage", call.pk)
