"""Writes of mentoring: each service validates, then writes in one transaction.

``profiles``: mentor profiles and mentee requests; ``pairs``: staff's pinned and forbidden
pairs; ``rounds``: preparing, adjusting and publishing a match round; ``mentorships``: pairing
by hand, introductions, goals, check-ins and ending; ``nudges``: the daily job that nudges
quiet mentorships, then tells the coordinators.
"""
