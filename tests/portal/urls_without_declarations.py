"""The project's URLs without the movement app's pages (a deployment without the health declaration)."""

from django.urls import URLResolver

from chongdich.urls import urlpatterns as mounted

urlpatterns = [p for p in mounted if not (isinstance(p, URLResolver) and p.app_name == "movement")]
urlpatterns = [p for p in urlpatterns if getattr(p, "name", None) != "declare_short"]
