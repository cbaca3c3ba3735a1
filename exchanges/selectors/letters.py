"""Reads of the letters pages: a placement's passport details and record of attendance."""

from exchanges.models import Completion, Placement, TravelDetails


def travel_details_for(*, placement: Placement) -> TravelDetails | None:
    return TravelDetails.objects.filter(rank_list_id=placement.rank_list_id).first()


def completion_for(*, placement: Placement) -> Completion | None:
    return Completion.objects.filter(placement=placement).select_related("recorded_by").first()
