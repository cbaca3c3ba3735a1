"""Multi-factor authentication is required for every role that sees other people's files;
pages show times in the reader's own time zone."""

import zoneinfo

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import roles
from portal.emails import recipient_time_zone

MFA_SESSION_FLAG = "portal_mfa_ok"
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/storage/", "/email/")


class RequireMultiFactorMiddleware:
    """Sends a person holding a role registered with `requires_mfa` (staff, committee members,
    school coordinators, editors: see each app's `apps.py`) and no TOTP authenticator to set
    one up before any other page, the Wagtail admin included. Once a TOTP authenticator
    exists, allauth asks for it at every sign-in; the session then remembers the check, and
    a page asks nothing more. Without the check in the session, the roles are asked afresh at
    every request (never from the header's kept answers: a role just granted needs its second
    factor at once), and the authenticators only of a person whose roles need one.

    A POST may change the person's own roles (a mentee's request, a mentor's profile): it also
    forgets the roles the header keeps in the session (`roles.roles_shown`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.method == "POST":
            roles.roles_forget(request)
        if (
            user.is_authenticated
            and not request.session.get(MFA_SESSION_FLAG)
            and not _is_open(request.path_info)
            and roles.requires_mfa(user)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[MFA_SESSION_FLAG] = True
            else:
                messages.warning(
                    request,
                    _(
                        "Your role gives you access to other people's documents. "
                        "Set up an authenticator app to continue."
                    ),
                )
                return redirect(f"{reverse('mfa_activate_totp')}?required=1")
        return self.get_response(request)


def _is_open(path: str) -> bool:
    # Account pages stay reachable in every language: `/ar/accounts/...` as well as `/accounts/`.
    parts = path.split("/", 2)
    if len(parts) > 2 and len(parts[1]) == 2:
        path = "/" + parts[2]
    return path.startswith(_OPEN_PREFIXES)


class ReaderTimeZoneMiddleware:
    """Times on a page are shown in the signed-in person's time zone (from their profile);
    without one, or signed out, in UTC. Deadlines also name their own zone: see
    `portal.templatetags.formatting`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = recipient_time_zone(request.user) if request.user.is_authenticated else ""
        timezone.deactivate()
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
