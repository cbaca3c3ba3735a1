"""One message from a call's managers to a filtered set of its applicants, and the log of whom
it reached: each applicant's copy, in their language, as it was sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.applications import Application
from applications.models.calls import Call


class Message(models.Model):
    """Texts are one-off, so they are kept as language → text rather than a column per
    language; English is always given. `recipients` holds the application ids the preview
    counted, so the message goes to the people staff saw and confirmed, not to whoever the
    filter matches later."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="messages")
    subjects = models.JSONField(_("subjects"), default=dict)
    bodies = models.JSONField(_("bodies"), default=dict)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filter_description = models.CharField(_("sent to"), max_length=500, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subjects.get("en", "")

    @property
    def subject(self) -> str:
        return self.subjects.get("en", "")


class ApplicationMessage(models.Model):
    """One applicant's copy, with the placeholders filled in as they read it: the record of what
    they were told. Unique per message, so a retried send skips those already written to."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="messages_received"
    )
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "application"], name="one_copy_of_a_message_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → #{self.application_id}"
