"""Signals of the risk module: apps above it (the public portal) react without risk importing them."""

from django.dispatch import Signal

# Sent after a day's assessment is stored: kwargs ``day``.
day_assessed = Signal()
