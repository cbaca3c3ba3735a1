"""More information asked of an applicant about a submitted application, and their answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import InformationItem
from applications.models.applications import Application


class InformationRequest(models.Model):
    """Asked by the call's staff or chair while the application is submitted or under review;
    answered once by the applicant in the portal, without reopening the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    item_kind = models.CharField(_("about"), max_length=12, choices=InformationItem.choices)
    # The question's id in the application's snapshot, or the call's document kind: kept as
    # plain ids so that a later edit of the call never breaks the request.
    question_id = models.PositiveIntegerField(null=True, blank=True)
    document_kind_id = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(_("message"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # A file the applicant may join to the answer (`portal.uploads`, like documents): its
    # verified key and checksum, so the committee reads exactly what was sent.
    file_key = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    file_type = models.CharField(max_length=100, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("request for more information")
        verbose_name_plural = _("requests for more information")

    def __str__(self) -> str:
        return f"#{self.application_id}: {self.get_item_kind_display()}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
