"""Page numbers from the query string, and paginators that never fail on them.

Every web list pages through one of these.  ``?page=`` may hold anything a user or a robot typed:
text, a negative number, ``99999999999999999999`` (whose offset overflows the database's 64-bit
integer).  Anything that is not a positive whole number opens the first page; a page past the end
opens the last page.  ``?per_page=`` is not read: the view decides the page size.
"""

from __future__ import annotations

from math import ceil

from django.core.paginator import EmptyPage, Paginator
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

# Far beyond any real list, and small enough that page × page size stays a valid SQL offset.
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 500


def page_number(raw) -> int:
    """The page asked for: a positive whole number (at most ``MAX_PAGE``); anything else is page 1."""
    if isinstance(raw, bool):
        return 1
    if isinstance(raw, int):
        number = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not (text.isascii() and text.isdigit()):
            return 1
        number = int(text) if len(text) <= 12 else MAX_PAGE  # no need to parse a thousand digits
    if number < 1:
        return 1
    return min(number, MAX_PAGE)


def _per_page(per_page) -> int:
    return max(1, min(int(per_page), MAX_PER_PAGE))


class SafePaginator(Paginator):
    """Django's paginator (with a count): any page number gives a page, past the end the last one."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, _per_page(per_page), *args, **kwargs)

    def validate_number(self, number):
        return min(page_number(number), max(self.num_pages, 1))


class SafeLazyPaginator(LazyPaginator):
    """django-tables2's paginator without a count query: any page number gives a page.  Past the end,
    one count finds the last page (only then: the common case stays count-free)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, _per_page(per_page), *args, **kwargs)

    def validate_number(self, number):
        return page_number(number)

    def page(self, number):
        number = self.validate_number(number)
        try:
            return super().page(number)
        except EmptyPage:
            total = Paginator.count.func(self)  # Django's count: a query for a queryset, len() for a list
            return super().page(max(1, ceil(total / self.per_page)))

    def get_page(self, number):
        return self.page(number)


def paginate_table(request, table, *, per_page: int, lazy: bool = True):
    """Order a django-tables2 table from the request and show the page asked for (``?page=``)."""
    RequestConfig(request, paginate=False).configure(table)
    paginator_class = SafeLazyPaginator if lazy else SafePaginator
    table.paginate(paginator_class=paginator_class, per_page=per_page, page=request.GET.get(table.prefixed_page_field))
    return table
