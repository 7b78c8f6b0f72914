"""The bell of the top bar: ``{% notice_bell %}`` (the unread count: one indexed count query)."""

from __future__ import annotations

from django import template

from chongdich.notices.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notices/_bell.html", takes_context=True)
def notice_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    count = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"count": count, "shown": "99+" if count > 99 else count}
