"""Decisions, the ranking board and awards (see views/board.py, decisions.py, award.py)."""

urlpatterns: list = []
