"""Writes of the scholarship domain. Views call these; nothing else writes the models."""
