"""Small template filters shared by the portal's pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as words a rep reads: "15 minutes", "1 hour"."""
    if not isinstance(value, timedelta):
        return value
    minutes = int(value.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
