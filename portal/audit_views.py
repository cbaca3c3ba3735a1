"""The staff's audit log: every recorded change and every view or download of a confidential
document, newest first, filtered, and as CSV."""

import json

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.audit import audit_list_all
from portal.exports import csv_response
from portal.filters import AuditEntryFilter
from portal.http import permission_required
from portal.pagination import paginate

PAGE_SIZE = 50


@require_GET
@permission_required("portal.view_audit")
def audit_log(request):
    filterset = AuditEntryFilter(request.GET, queryset=audit_list_all())
    page_obj = paginate(filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE)
    return render(request, "portal/audit_log.html", {"filter": filterset, "page_obj": page_obj})


def _json(value) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


@require_GET
@permission_required("portal.view_audit")
def audit_export(request):
    """The rows the same filters show, streamed: a year of downloads does not sit in memory."""
    entries = AuditEntryFilter(request.GET, queryset=audit_list_all()).qs
    header = [
        _("when (UTC)"),
        _("person"),
        _("email"),
        _("action"),
        _("about"),
        _("id"),
        _("scope"),
        _("before"),
        _("after"),
    ]

    def rows():
        for entry in entries.iterator(chunk_size=500):
            actor = entry.actor
            # Names and snapshots hold what people typed: `csv_response` guards every cell.
            yield [
                entry.at.isoformat(),
                actor.get_full_name() if actor else "",
                actor.email if actor else "",
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.scope,
                _json(entry.before),
                _json(entry.after),
            ]

    return csv_response("audit-log.csv", header, rows())
