"""Plumbing views: health check, local stand-ins for presigned URLs, the dashboard router, the
scheduled jobs for staff, and a person's choice of optional emails."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import jobs, notifications, roles, storage
from portal.http import permission_required, refusals
from portal.models import JobRun
from portal.pagination import paginate
from portal.pending_uploads import pending_upload_closed


@never_cache
@require_GET
def healthz(request):
    """For a load balancer: 200 when the database and the document storage answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        checks["storage"] = "ok" if storage.storage_healthy() else "error"
    except Exception:
        checks["storage"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@csrf_exempt  # like an S3 POST policy, the signed policy field is the authorisation
@require_POST
def storage_upload(request):
    """Local-disk stand-in for an S3 presigned POST: same fields, same limits."""
    if storage.is_s3():
        raise Http404
    try:
        policy = storage.local_upload_policy(request.POST.get("policy", ""))
    except signing.BadSignature:
        return HttpResponse(_("This upload link has expired. Reload the page."), status=403)
    upload = request.FILES.get("file")
    if (
        upload is None
        or request.POST.get("key") != policy["key"]
        or request.POST.get("Content-Type") != policy["content_type"]
    ):
        return HttpResponse(_("The upload does not match its policy."), status=400)
    if not 1 <= upload.size <= policy["max_size"]:
        return HttpResponse(_("The file is larger than allowed."), status=400)
    if pending_upload_closed(key=policy["key"]):  # a one-time key: its upload was finished
        return HttpResponse(status=409)
    name = default_storage.save(policy["key"], upload)
    if name != policy["key"]:  # random keys never collide; if one did, refuse rather than alias
        default_storage.delete(name)
        return HttpResponse(status=409)
    target = request.POST.get("success_action_redirect")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        separator = "&" if "?" in target else "?"
        return redirect(f"{target}{separator}key={name}")
    return HttpResponse(status=201)


@require_GET
def storage_download(request, token: str):
    """Local-disk stand-in for an S3 presigned GET: the signed token is short-lived."""
    if storage.is_s3():
        raise Http404
    try:
        data = storage.local_download(token)
    except signing.BadSignature:
        raise Http404 from None
    if not default_storage.exists(data["key"]):
        raise Http404
    response = FileResponse(
        default_storage.open(data["key"], "rb"), content_type=data["content_type"]
    )
    response["Content-Disposition"] = data["disposition"]
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dashboard(request):
    """Send each person to the dashboard of their most demanding role."""
    held = roles.roles_for(request.user)
    return redirect(held[0].dashboard)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@permission_required("portal.view_staff_dashboard")
def staff_dashboard(request):
    panels = [(panel.title, panel.build()) for panel in roles.staff_panels()]
    return render(request, "portal/staff_dashboard.html", {"panels": panels})


@permission_required("portal.run_jobs")
def job_list(request):
    """Every scheduled job: when it runs next, its last run and what it did, its last failure."""
    now = timezone.now()
    recent = list(JobRun.objects.order_by("-period", "-pk")[:500])
    rows = []
    for job in jobs.job_list():
        runs = [run for run in recent if run.job == job.name]
        last = runs[0] if runs else None
        failed = next((run for run in runs if run.status == JobRun.Status.FAILED), None)
        rows.append(
            {
                "job": job,
                "next": job.next_after(now),
                "last": last,
                "last_counts": job.describe(last.counts) if last else [],
                "failed": failed,
            }
        )
    page_obj = paginate(JobRun.objects.order_by("-period", "-pk"), request.GET.get("page"))
    for run in page_obj:
        run.described = (
            jobs.job_get(run.job).describe(run.counts) if run.job in jobs.names() else []
        )
    return render(request, "portal/job_list.html", {"rows": rows, "page_obj": page_obj})


@require_POST
@permission_required("portal.run_jobs")
@refusals("job_list")
def job_run(request, name: str):
    if name not in jobs.names():
        raise Http404
    run = jobs.job_run_now(name, user=request.user)
    if run is None:
        messages.info(request, _("This job was just started; it runs once."))
    else:
        messages.success(
            request,
            _("“%(job)s” is queued; this page shows what it did once it has run.")
            % {"job": jobs.job_get(name).label},
        )
    return redirect("job_list")


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    """Which reminders and digests this person receives; decisions are always sent."""
    kinds = notifications.kind_list()
    if request.method == "POST":
        chosen = set(request.POST.getlist("receive"))
        notifications.preferences_set(user=request.user, receive=chosen)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("email_preferences")
    choices = [(kind, notifications.wants(request.user, kind.slug)) for kind in kinds]
    return render(request, "portal/email_preferences.html", {"choices": choices})


@csrf_exempt  # the signed link is the authorisation; mail clients post it without a session
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request, token: str):
    """One click from an email (RFC 8058): GET asks, POST turns that kind of email off."""
    try:
        user_id, slug = notifications.unsubscribe_read(token)
        kind = notifications.kind_get(slug)
        user = get_user_model().objects.get(pk=user_id)
    except (signing.BadSignature, KeyError, ObjectDoesNotExist):
        raise Http404 from None
    done = request.method == "POST"
    if done:
        notifications.turn_off(user=user, slug=slug)
    return render(request, "portal/email_unsubscribe.html", {"kind": kind, "done": done})
