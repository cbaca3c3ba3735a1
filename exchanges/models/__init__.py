"""The exchange programme's data: partner schools, rotations, cycles, rank lists, matches."""

from exchanges.models.completion import Completion
from exchanges.models.couples import Couple, CoupleChoice, CoupleStatus
from exchanges.models.cycles import ExchangeCycle
from exchanges.models.endorsement import Endorsement, EndorsementStatus
from exchanges.models.institutions import Coordinator, Institution
from exchanges.models.matching import MatchRun, Placement, seat_holding
from exchanges.models.ranking import RankList, RankListEntry, SchoolRankEntry, StudentDocument
from exchanges.models.rotations import Rotation
from exchanges.models.second_round import (
    ClaimStatus,
    MatchRound,
    SeatClaim,
    SecondRound,
    SecondRoundChoice,
    SecondRoundDecision,
)
from exchanges.models.travel import TravelDetails

__all__ = [
    "ClaimStatus",
    "Completion",
    "Coordinator",
    "Couple",
    "CoupleChoice",
    "CoupleStatus",
    "Endorsement",
    "EndorsementStatus",
    "ExchangeCycle",
    "Institution",
    "MatchRound",
    "MatchRun",
    "Placement",
    "RankList",
    "RankListEntry",
    "Rotation",
    "SchoolRankEntry",
    "SeatClaim",
    "SecondRound",
    "SecondRoundChoice",
    "SecondRoundDecision",
    "StudentDocument",
    "TravelDetails",
    "seat_holding",
]
