"""The JSON API's shared plumbing, used by every app's ``api.py`` router: the answers' one error shape
(``errors``), cursor pagination (``pagination``) and the bounded input types (``schemas``).

It sits in core because the routers live in the apps and may import only downward; ``chongdich.api``
(above every app) only builds the NinjaAPI and mounts the routers."""
