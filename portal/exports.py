"""CSV exports that a spreadsheet opens safely."""


def spreadsheet_cell(value) -> str:
    """Text as a spreadsheet shows it: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
