"""Response headers that keep personal data out of caches."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every answer built for a signed-in user — page, htmx fragment, export, file, API answer — carries
    ``Cache-Control: no-store``: neither the browser (on a shared office computer) nor a proxy keeps a
    copy of people's data.  So does every API answer.  A response that sets its own Cache-Control keeps
    it (public pages for anonymous visitors, unit boundaries); static files never come this far."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)  # the API's token authentication sets it inside the view
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
