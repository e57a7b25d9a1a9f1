# The portal's one way of writing dates and times, on every page and in the admin:
# "Dec 2, 2026, 7:37 AM" (Django's own English default is "Dec. 2, 2026, 7:37 a.m.").
DATETIME_FORMAT = "M j, Y, g:i A"
DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
SHORT_DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATE_FORMAT = "M j, Y"
