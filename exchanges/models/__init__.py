"""The exchange programme's data: partner schools, rotations, cycles, rank lists, matches."""

from exchanges.models.completion import Completion
from exchanges.models.couples import Couple, CoupleChoice, CoupleStatus
from exchanges.models.cycles import ExchangeCycle
from exchanges.models.endorsement import Endorsement, EndorsementStatus
from exchanges.models.institutions import Coordinator, Institution
from exchanges.models.matching import MatchRun, Placement, seat_holding
from exchanges.models.ranking import RankList, RankListEntry, SchoolRankEntry, StudentDocument
from exchanges.models.rotations import Rotation
from exchanges.models.travel import TravelDetails

__all__ = [
    "Completion",
    "Coordinator",
    "Couple",
    "CoupleChoice",
    "CoupleStatus",
    "Endorsement",
    "EndorsementStatus",
    "ExchangeCycle",
    "Institution",
    "MatchRun",
    "Placement",
    "RankList",
    "RankListEntry",
    "Rotation",
    "SchoolRankEntry",
    "StudentDocument",
    "TravelDetails",
    "seat_holding",
]
