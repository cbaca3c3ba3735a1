"""Template tags of the mentoring pages."""
