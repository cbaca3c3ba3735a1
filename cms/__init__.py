"""The public site's Wagtail pages: programmes, stories and the rotation catalogue."""
