"""Named date and number formats where Django's own do not suit the portal.

Django looks here first (`FORMAT_MODULE_PATH`), then in its own module for the language, one
name at a time: each module below holds only what it changes. Templates use the names
(`DATE_FORMAT`, `DATETIME_FORMAT`, `SHORT_DATE_FORMAT`, ...) through the filters of
`portal/templatetags/formatting.py`, never a pattern of their own.
"""
