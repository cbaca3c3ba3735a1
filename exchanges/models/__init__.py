"""The exchange programme's data: partner schools, rotations, cycles, rank lists, matches."""

from exchanges.models.cycles import ExchangeCycle
from exchanges.models.institutions import Coordinator, Institution
from exchanges.models.matching import MatchRun, Placement, seat_holding
from exchanges.models.ranking import RankList, RankListEntry, SchoolRankEntry, StudentDocument
from exchanges.models.rotations import Rotation

__all__ = [
    "Coordinator",
    "ExchangeCycle",
    "Institution",
    "MatchRun",
    "Placement",
    "RankList",
    "RankListEntry",
    "Rotation",
    "SchoolRankEntry",
    "StudentDocument",
    "seat_holding",
]
