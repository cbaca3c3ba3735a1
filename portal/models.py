"""The audit trail: who changed a score or a decision, when, from what, to what."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=50)  # e.g. "review.submitted", "decision.changed"
    # What the entry is about, and the scope whose managers may read it (e.g. "call:7").
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    scope = models.CharField(max_length=50, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
