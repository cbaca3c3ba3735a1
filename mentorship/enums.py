"""States of mentor profiles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PAUSED = "paused", _("Paused")
