"""CSV cells a spreadsheet will not run: the one rule for every CSV the portal writes (the admin's
export, the reports, the bulk lists) and for the text it refuses to take as an address."""

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_START


def safe_cell(value) -> str:
    """`value` as CSV text, with a leading quote when it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text
