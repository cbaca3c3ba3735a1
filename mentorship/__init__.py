"""Mentoring: mentors and mentees sign up, staff run match rounds, pairs log their check-ins."""
