"""View helpers for capabilities and scope: one call at the top of each view."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from chongdich.core.scoping import has_capability, in_scope


def capability_required(capability: str):
    """Login required; then 403 when the user holds ``capability`` nowhere."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator


def get_in_scope_or_404(queryset, **lookup):
    """The object, or 404 both when it does not exist and when it is outside the scope.  A value that
    cannot be an id ("abc", a number beyond 64 bits from a query string) does not exist either."""
    try:
        obj = queryset.filter(**lookup).first()
    except (ValueError, TypeError, OverflowError, ValidationError):
        raise Http404 from None
    if obj is None:
        raise Http404
    return obj


def get_for_user_or_404(source, user, capability: str | None = None, **lookup):
    """The one scoped fetch of a view: the object of ``source`` (a model or a queryset with
    ``for_user``) that ``user`` may use ``capability`` on, or 404 — the same answer whether the object
    does not exist or lies outside the user's area."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    return get_in_scope_or_404(queryset.for_user(user, capability), **lookup)


def require_in_scope(user, capability: str, target) -> None:
    """404 unless ``user`` may use ``capability`` on ``target`` (a record, a unit or a path)."""
    if not in_scope(user, capability, target):
        raise Http404
