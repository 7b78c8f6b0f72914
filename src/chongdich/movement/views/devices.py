"""The page that makes a device token, shared by checkpoints and venues (the token is shown once)."""

from __future__ import annotations

from django.shortcuts import render

from chongdich.core.forms import client_id, submit
from chongdich.movement.actions import devices as device_actions
from chongdich.movement.forms.venues import DeviceForm


def make_device(request, place, form_url: str):
    """Make a token for a device of ``place`` (found in the user's scope by the calling view)."""
    form = DeviceForm(request.POST)
    made = None
    if form.is_valid():
        done = submit(
            form, device_actions.do_make_device, request.user, place, **form.cleaned_data, client_id=client_id(request)
        )
        made = done.value if done else None
    return render(
        request,
        "movement/venues/device_made.html",
        {"place": place, "form": form, "made": made, "form_url": form_url},
        status=200 if made else 400,
    )
