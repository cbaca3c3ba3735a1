"""What a placed student gives for their visa letter: their passport, as the passport says."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TravelDetails(models.Model):
    """One per rank list (so one per placement): typed by the student on their placement's
    letters page, checked by `exchanges.services.letters.travel_details_save`, and printed on
    the visa letter. Personal data: exported and erased with the person's other data."""

    rank_list = models.OneToOneField(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="travel_details"
    )
    passport_number = models.CharField(_("passport number"), max_length=20)
    nationality = CountryField(_("nationality"))
    passport_expires_on = models.DateField(_("passport expires on"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("travel details")
        verbose_name_plural = _("travel details")

    def __str__(self) -> str:
        return f"travel details of {self.rank_list_id}"
