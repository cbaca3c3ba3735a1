from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import audit_views, operation_views, privacy_views, views
from portal.accounts import views as account_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("storage/upload/", views.storage_upload, name="storage_upload"),
    path("storage/download/<str:token>/", views.storage_download, name="storage_download"),
    path("email/unsubscribe/<str:token>/", views.email_unsubscribe, name="email_unsubscribe"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    # Only Wagtail's public images; private documents are never served from a media URL.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:original_images|images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    path("accounts/notifications/", views.email_preferences, name="email_preferences"),
    path("accounts/privacy/", privacy_views.privacy_home, name="privacy"),
    path("accounts/privacy/export/", privacy_views.privacy_export, name="privacy_export"),
    path(
        "accounts/privacy/export/<str:token>/",
        privacy_views.privacy_export_download,
        name="privacy_export_download",
    ),
    path("accounts/privacy/erase/", privacy_views.privacy_erase, name="privacy_erase"),
    path("accounts/privacy/notice/", privacy_views.privacy_notice, name="privacy_notice"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/staff/", views.staff_dashboard, name="staff_dashboard"),
    path("dashboard/staff/jobs/", views.job_list, name="job_list"),
    path("dashboard/staff/jobs/<str:name>/run/", views.job_run, name="job_run"),
    path("dashboard/staff/people/", account_views.people_list, name="people_list"),
    path(
        "dashboard/staff/people/<int:user_id>/mfa-reset/",
        account_views.mfa_reset,
        name="mfa_reset",
    ),
    path("dashboard/staff/audit/", audit_views.audit_log, name="audit_log"),
    path("work/<uuid:token>/", operation_views.operation_page, name="operation"),
    path(
        "work/<uuid:token>/progress/",
        operation_views.operation_progress,
        name="operation_progress",
    ),
    path("work/<uuid:token>/retry/", operation_views.operation_retry, name="operation_retry"),
    path("dashboard/staff/audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("applications/", include("applications.urls")),
    path("exchanges/", include("exchanges.urls")),
    path("mentorship/", include("mentorship.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "portal.views.page_not_found"
