"""The daily digest job: one email a day to each person with something waiting for them.

The sections are the apps' (`portal.digest`); this module only gathers them for each of their
recipients, in that person's language, and sends the result once per person and day.
"""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from portal import digest, jobs, notifications
from portal.emails import email_send, recipient_language, recipient_time_zone
from portal.links import public_url

KIND = "digest"


def _absolute(url: str) -> str:
    return public_url(url)


def digest_blocks(*, user, sections: list[digest.Section], now: datetime) -> list[dict]:
    """Each section's title and lines for `user`, in their language and time zone; sections
    with no line are left out. Titles and texts are made strings here, while both are active."""
    blocks = []
    with (
        translation.override(recipient_language(user)),
        timezone.override(recipient_time_zone(user) or None),
    ):
        for section in sections:
            lines = section.lines(user, now)
            if lines:
                blocks.append(
                    {
                        "title": str(section.title),
                        "lines": [(str(text), _absolute(url)) for text, url in lines],
                    }
                )
    return blocks


def digest_send(*, now: datetime) -> dict[str, int]:
    """The job: for each recipient of any section, the lines of the sections they receive.

    A section is asked only about its own recipients (`recipients(now)` says who may have
    something waiting there). Nothing is sent to a person with nothing waiting, nor twice on
    the same (UTC) day: the ledger key is the person and the date.
    """
    sections = digest.section_list()
    sections_of: dict[int, list[digest.Section]] = {}
    for section in sections:
        for user_id in set(section.recipients(now)):
            sections_of.setdefault(user_id, []).append(section)
    counts = {"sent": 0, "nothing_waiting": 0, "turned_off": 0}
    users = get_user_model().objects.filter(pk__in=sections_of, is_active=True).order_by("pk")
    for user in users:
        if not notifications.wants(user, KIND):
            counts["turned_off"] += 1
            continue
        blocks = digest_blocks(user=user, sections=sections_of[user.pk], now=now)
        if not blocks:
            counts["nothing_waiting"] += 1
            continue
        with transaction.atomic():
            if not jobs.once(f"portal.digest:{user.pk}:{now.astimezone(UTC).date().isoformat()}"):
                continue
            email_send(
                to=[user.email],
                template="digest",
                context={"name": user.get_short_name(), "blocks": blocks},
                kind=KIND,
                user=user,
            )
            counts["sent"] += 1
    return counts
