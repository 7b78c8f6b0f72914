from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chongdich.api"
    label = "api"
    verbose_name = "API"
