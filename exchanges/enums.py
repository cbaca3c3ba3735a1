"""States of rotations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
