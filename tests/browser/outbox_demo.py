"""The project's URLs plus a stand-in outbox form under /movement/ (test only): the real pages (passage
screen, health declaration, venue check-in) are built alongside; this one keeps the contract they keep.

- GET: a page with <form data-outbox="demo"> (CSRF token, client_id), the outbox include and script;
- POST: a declaration through ``movement.ingest.save_events`` (a re-sent client_id returns the first
  row), then a redirect to the page with a success message; a refusal re-renders the form with 422.
``BEHAVIOUR`` lets a test slow the answer down past the form's timeout (a lost answer) or fail it.
"""

from __future__ import annotations

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path

from chongdich.core import clock
from chongdich.movement.ingest import save_events
from chongdich.movement.models import Declaration
from chongdich.territory.models import AdminUnit
from chongdich.urls import urlpatterns as mounted

BEHAVIOUR = {"delay": 0.0, "fail": False, "posts": 0}

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load static %}
{% block content %}
<h1 class="h4">Khai báo thử</h1>
<form method="post" action="{{ request.path }}" data-outbox="demo" data-outbox-timeout="{{ timeout }}"
      data-outbox-summary="full_name,phone" id="demo-form" novalidate>{% csrf_token %}
  <input type="hidden" name="client_id" value="server-made"><input type="hidden" name="at" value="">
  {% include "_form.html" %}
  <button class="btn btn-primary" type="submit" id="demo-submit">Gửi</button>
</form>
{% include "movement/offline/outbox.html" %}
{% endblock %}
{% block scripts %}<script src="{% static 'movement/outbox.js' %}"></script>{% endblock %}"""
)


class DemoForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    phone = forms.CharField(label="Số điện thoại", max_length=16, required=False)
    checkpoint = forms.CharField(label="Chốt", max_length=40, required=False)

    def clean_full_name(self):
        name = self.cleaned_data["full_name"]
        if name.upper().startswith("REFUSE"):
            raise forms.ValidationError("Tên này bị máy chủ từ chối (thử).")
        return name


@login_required
def demo(request):
    form = DemoForm(request.POST or None)
    form.fields["checkpoint"].widget.attrs["data-outbox-keep"] = ""
    if request.method == "POST":
        BEHAVIOUR["posts"] += 1
        if BEHAVIOUR["fail"]:
            return _page(request, form, status=503)
        if form.is_valid():
            now = clock.now()
            row = Declaration(
                received_at=now,
                day=now.date(),
                client_id=request.POST.get("client_id") or None,
                receipt="D" + (request.POST.get("client_id") or "x")[:8].upper(),
                full_name=form.cleaned_data["full_name"],
                birth_year=1980,
                sex="male",
                phone=form.cleaned_data["phone"],
            )
            row.place_in(AdminUnit.objects.get(code="25228"))
            saved = save_events(Declaration, [row])[0]
            if BEHAVIOUR["delay"]:
                time.sleep(BEHAVIOUR["delay"])  # saved, but the answer comes after the device gave up
            messages.success(request, f"Đã nhận: {saved.record.receipt}")
            return redirect(request.path)
        return _page(request, form, status=422)
    return _page(request, form)


def _page(request, form, status=200):
    return HttpResponse(PAGE.render({"form": form, "timeout": 1500}, request), status=status)


urlpatterns = [path("movement/outbox-demo/", demo, name="outbox_demo"), *mounted]
