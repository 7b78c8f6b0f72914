"""View helpers for capabilities and scope: one call at the top of each view."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from chongdich.core.scoping import has_capability, scope_for


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


def require_path_in_scope(user, capability: str, path: str) -> None:
    if not scope_for(user, capability).contains(path):
        raise Http404
