"""Notification pages: the list (unread or all, by kind; mark one or all read), opening a notice (marks
it read and goes to its page), and the settings (kinds received, channels, the daily digest)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chongdich.core.forms import submit
from chongdich.core.pagination import paginate_table
from chongdich.core.redirects import next_url
from chongdich.notices import kinds, selectors
from chongdich.notices.actions import do_mark_read, do_save_settings
from chongdich.notices.filters import ReceiptFilter
from chongdich.notices.forms import MarkReadForm, SettingsForm
from chongdich.notices.tables import ReceiptTable


@login_required
def notice_list(request):
    filters = ReceiptFilter(request.GET, selectors.receipts_for(request.user), request=request)
    rows = filters.results()
    table = paginate_table(request, ReceiptTable(rows), per_page=30)
    return render(
        request,
        "notices/list.html",
        {
            "filter": filters,
            "table": table,
            "total": rows.count(),
            "unread": selectors.unread_count(request.user),
            "here": request.get_full_path(),
        },
    )


@login_required
def notice_open(request, pk: int):
    """Open a notice: the user's own receipt only (another user's notice is a 404), marked read."""
    receipt = selectors.receipt_of(request.user, pk)
    submit(request, do_mark_read, request.user, [receipt.notice_id])
    return redirect(selectors.open_link(receipt) or reverse("notices:list"))


@require_POST
@login_required
def mark_read(request):
    form = MarkReadForm(request.POST)
    if form.is_valid() and (form.cleaned_data["all"] or form.cleaned_data["notice"]):
        everything = form.cleaned_data["all"]
        done = submit(request, do_mark_read, request.user, [form.cleaned_data["notice"]], everything=everything)
        if done and everything:
            messages.success(
                request,
                ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", done.value)
                % {"n": done.value},
            )
    else:
        messages.error(request, _("Choose a notification to mark read."))
    return redirect(next_url(request, reverse("notices:list")))


@login_required
def notice_settings(request):
    shown = selectors.kinds_for(request.user)
    choices = [(kind.code, kinds.label(kind)) for kind in shown]
    preference = selectors.preference_of(request.user)
    muted = selectors.muted_kinds(request.user)
    initial = {
        "email": preference.email,
        "sms": preference.sms,
        "zalo": preference.zalo,
        "digest": preference.digest,
        "receive": [code for code, _label in choices if code not in muted],
    }
    form = SettingsForm(request.POST or None, initial=initial, kind_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            do_save_settings,
            request.user,
            receive=data["receive"],
            shown=[code for code, _label in choices],
            email=data["email"],
            sms=data["sms"],
            zalo=data["zalo"],
            digest=data["digest"],
        )
        if done:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notices:settings")
    return render(
        request,
        "notices/settings.html",
        {"form": form, "kinds": {kind.code: kind for kind in shown}},
        status=422 if request.method == "POST" else 200,
    )
