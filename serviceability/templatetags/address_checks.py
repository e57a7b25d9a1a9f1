"""Template filters for address check pages: speeds and BEAD level labels."""

from django import template

from serviceability.address import US_STATES

register = template.Library()

_LEVEL_LABELS = {"served": "Served", "underserved": "Underserved", "unserved": "Unserved"}


@register.filter
def mbps(value):
    """A speed in Mbps without pointless decimals: 1200.0 -> "1200", 0.768 -> "0.77"; unknown -> "—"."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if number.is_integer():
        return str(int(number))
    return f"{number:.2f}".rstrip("0").rstrip(".")


@register.filter
def level_label(value):
    """ "served" (or a BeadLevel) -> "Served"; nothing -> ""."""
    if not value:
        return ""
    return _LEVEL_LABELS.get(str(value), str(value).capitalize())


@register.simple_tag
def us_states():
    """The USPS state codes and names, for a state select outside the check form."""
    return US_STATES
