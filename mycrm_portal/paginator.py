"""A paginator that counts at most `cap` + 1 rows, so a page costs the same with a thousand rows or
a million (a plain COUNT(*) reads every row on every page view)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    cap = 10_000

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery: stops after cap + 1 rows.
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self.count > self.cap


def capped_paginator(cap: int) -> type[CappedPaginator]:
    return type(f"CappedPaginator{cap}", (CappedPaginator,), {"cap": cap})
