"""Writes of the exchange programme: each atomic, named `<entity>_<verb>`, keyword-only."""

from exchanges.services.claims import seat_claim, seat_claim_decide
from exchanges.services.documents import DocumentUpload
from exchanges.services.invitations import coordinator_invite
from exchanges.services.matching import match_publish, match_run, match_run_check
from exchanges.services.placements import (
    open_seats,
    placement_answer,
    placement_confirm_for_school,
    placement_letter_render,
    placement_letters_render,
)
from exchanges.services.ranking import (
    rank_list_add,
    rank_list_for,
    rank_list_move,
    rank_list_remove,
    rank_list_reorder,
    rank_list_submit,
    rank_list_update_profile,
    rank_list_withdraw,
)
from exchanges.services.rotations import rotation_create, rotation_set_status, rotation_update
from exchanges.services.schools import (
    school_rank_decide,
    school_rank_move,
    school_rank_reorder,
    school_rank_submit,
)

__all__ = [
    "DocumentUpload",
    "coordinator_invite",
    "match_publish",
    "match_run",
    "match_run_check",
    "open_seats",
    "placement_answer",
    "placement_confirm_for_school",
    "placement_letter_render",
    "placement_letters_render",
    "rank_list_add",
    "rank_list_for",
    "rank_list_move",
    "rank_list_remove",
    "rank_list_reorder",
    "rank_list_submit",
    "rank_list_update_profile",
    "rank_list_withdraw",
    "rotation_create",
    "rotation_set_status",
    "rotation_update",
    "school_rank_decide",
    "school_rank_move",
    "school_rank_reorder",
    "school_rank_submit",
    "seat_claim",
    "seat_claim_decide",
]
