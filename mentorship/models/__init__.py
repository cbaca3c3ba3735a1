"""Mentoring's data: who offers and asks, how rounds pair them, and the mentorships that follow."""

from mentorship.models.mentorships import CheckIn, Mentorship
from mentorship.models.people import MenteeRequest, MentorProfile
from mentorship.models.rounds import MatchingWeights, MatchProposal, MatchRound, PairRule

__all__ = [
    "CheckIn",
    "MatchProposal",
    "MatchRound",
    "MatchingWeights",
    "MenteeRequest",
    "MentorProfile",
    "Mentorship",
    "PairRule",
]
