import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chongdich.settings.prod")
application = get_wsgi_application()

# The event POSTs (declarations, check-ins, passages) are answered by the fast ingest front, everything
# else by Django (docs/operations/movement.md); CHONGDICH_INGEST_FRONT=0 leaves them to Django too.
if os.environ.get("CHONGDICH_INGEST_FRONT", "1") != "0":
    from chongdich.movement.front import IngestFront

    application = IngestFront(application)
