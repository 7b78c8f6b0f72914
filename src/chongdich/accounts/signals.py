"""Audit logins and failed logins."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from chongdich.core import audit


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(user, audit.AuditAction.LOGIN, user, label=user.get_username())


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record(None, audit.AuditAction.LOGIN_FAILED, None, detail={"username": username}, label=username)
