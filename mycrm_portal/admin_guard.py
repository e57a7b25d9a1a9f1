"""The admin's list filters take values from the URL: a year of 99999 or a day of 40 makes Django
raise while it builds the list (a 500). Every registered admin gets its list built under a guard
that turns such a value into Django's own "invalid filter" answer (a redirect with ?e=1)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError


def _guarded(method):
    def get_changelist_instance(self, request):
        try:
            return method(self, request)
        except (ValueError, OverflowError, TypeError, ValidationError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    get_changelist_instance.guarded = True
    return get_changelist_instance


def guard_admin_filters(site=admin.site) -> None:
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if not getattr(cls.get_changelist_instance, "guarded", False):
            cls.get_changelist_instance = _guarded(cls.get_changelist_instance)
